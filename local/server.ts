import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable, pipeline } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

import { callerOf } from './core/caller';
import type { ServiceDeps } from './core/deps';
import { AwsError, toAwsError } from './core/errors';
import {
  LOCAL_ACCOUNT_ID,
  type LocalAwsEnvironment,
  type RequestContext,
  type ServiceProvider,
} from './core/service';
import { type FaultConfig, type FaultDecision, FaultInjector } from './faults';
import { BodyTooLarge, readRequestBody, streamRequestBody } from './http/request-body';
import { DEFAULT_BODY_LIMIT } from './protocols/body-limits';
import { createRouter, type Route, type Router } from './protocols/router';
import type { WireCall, WireProtocol, WireRequest, WireResponse } from './protocols/wire';
import { mountServices } from './services/registry';
import { localClientsGuard } from './security/local-clients';
import { StateStore } from './state/store';

export interface LocalAwsServerOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly stateDir: string;
  readonly region: string;
  readonly faults?: FaultConfig;
  /** Receives one line per request (`s3 PutObject 200 3ms`). */
  readonly log?: (line: string) => void;
  /** Receives internal failures (500s) with their stack. */
  readonly onInternalError?: (error: unknown) => void;
  /** Hosts and origins served besides local clients (local/security/local-clients.ts). */
  readonly allowClients?: readonly string[];
  /** Checks run on every request after the local-clients check; the first that answers refuses the request. */
  readonly guards?: readonly RequestGuard[];
}

/** A check of a raw request (e.g. where it comes from): an answer refuses it, undefined lets it through. */
export type RequestGuard = (req: http.IncomingMessage) => WireResponse | undefined;

/** Largest request head (request line + headers) read; a larger one is answered 431 and the connection closed. */
const MAX_HEADER_BYTES = 16 * 1024;

export interface LocalAwsServer {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly stateDir: string;
  readonly region: string;
  /** In-process access to the services (S3 objects, SSM parameters, Lambda, any provider's operations). */
  readonly deps: ServiceDeps;
  /** Fault injection settings, changeable while running (also via `POST /_mlops/faults`). */
  readonly faults: FaultInjector;
  readonly services: readonly string[];
  /** The operations each model-driven provider implements, by its model's name (`sagemaker`, `ssm`, ...). */
  readonly implemented: Readonly<Record<string, readonly string[]>>;
  /** Closes the server and stops every provider (child processes included). */
  stop(): Promise<void>;
}

/**
 * The local AWS's HTTP server, bound to 127.0.0.1: routes each request to its service, lets the service's
 * protocol decode it, runs the provider's operation and encodes the result or the AwsError.
 */
export async function startServer(options: LocalAwsServerOptions): Promise<LocalAwsServer> {
  const store = new StateStore(options.stateDir);
  let endpoint = '';
  const env: LocalAwsEnvironment = {
    region: options.region,
    accountId: LOCAL_ACCOUNT_ID,
    stateDir: store.root,
    store,
    endpoint: () => endpoint,
  };
  const { providers, deps } = mountServices(env);
  const byName = new Map(providers.map((provider) => [provider.name, provider]));
  const faults = new FaultInjector(options.faults);
  const router = createRouter(providers);
  const dispatch = dispatcher({ env, byName, faults, options, router });
  const server = http.createServer(
    { maxHeaderSize: MAX_HEADER_BYTES },
    (req, res) => void dispatch(req, res),
  );
  server.on('clientError', answerClientError);
  server.keepAliveTimeout = 60_000;

  await listen(server, options.port);
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    for (const provider of providers) await provider.start?.();
  } catch (error) {
    await shutdown(server, providers);
    throw error;
  }

  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    stateDir: store.root,
    region: options.region,
    deps,
    faults,
    services: providers.map((provider) => provider.name),
    implemented: Object.fromEntries(
      providers.flatMap((p) => (p.model ? [[p.model, Object.keys(p.operations).sort()]] : [])),
    ),
    stop: () => (stopping ??= shutdown(server, providers)),
  };
}

function listen(server: http.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`port ${port} is in use; pass --port 0 or another port`)
          : error,
      );
    });
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

async function shutdown(server: http.Server, providers: readonly ServiceProvider[]): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
  for (const provider of [...providers].reverse()) await provider.stop?.();
}

/**
 * A request the HTTP parser refused (headers over MAX_HEADER_BYTES, a malformed request line or chunked
 * framing) is answered in plain HTTP when the socket can still take it, then closed.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: import('node:net').Socket): void {
  if (!socket.writable || (socket as { _httpMessage?: unknown })._httpMessage) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
  const message = tooLarge
    ? `request headers exceed ${MAX_HEADER_BYTES} bytes`
    : `malformed HTTP request (${error.code ?? error.message})`;
  const body = JSON.stringify({ __type: tooLarge ? 'RequestHeaderSectionTooLarge' : 'BadRequest', message });
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}

interface DispatchContext {
  readonly env: LocalAwsEnvironment;
  readonly byName: ReadonlyMap<string, ServiceProvider>;
  readonly faults: FaultInjector;
  readonly options: LocalAwsServerOptions;
  readonly router: Router;
}

/**
 * Serves one request. Nothing a client sends can take the process down: stream errors on the request and
 * the response are handled, and any failure (parse, handler, encoding) becomes the protocol's error answer.
 */
function dispatcher(context: DispatchContext) {
  const { options } = context;
  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    try {
      send(req, res, await answer(req, context));
    } catch (error) {
      options.onInternalError?.(error);
      if (!res.headersSent)
        send(req, res, plainError(500, `internal error in the local AWS: ${String(error)}`));
      else res.destroy();
    }
  };
}

async function answer(req: http.IncomingMessage, context: DispatchContext): Promise<WireResponse> {
  const { env, byName, faults, options, router } = context;
  // Request guards run first, before anything is read or routed.
  for (const guard of [localClientsGuard(options.allowClients), ...(options.guards ?? [])]) {
    const refusal = guard(req);
    if (refusal) return refusal;
  }
  const started = Date.now();
  const url = parseUrl(req.url);
  if (!url) return plainError(400, `malformed request target "${String(req.url).slice(0, 200)}"`);
  if (url.pathname.startsWith('/_mlops/')) {
    return admin(req, url.pathname, { faults, services: [...byName.keys()], env });
  }
  const request = wireRequest(req, url);
  const caller = callerOf(request, env.accountId);
  const ctx: RequestContext = {
    region: env.region,
    accountId: env.accountId,
    requestId: randomUUID(),
    ...(caller ? { caller } : {}),
  };
  const state: Serving['state'] = {};
  let route: Route = { service: '?' };
  let response: WireResponse;
  try {
    route = router.route(request);
    response = await serve({
      request,
      service: route.service,
      protocol: route.protocol ?? router.fallback,
      ctx,
      context,
      state,
    });
  } catch (error) {
    const protocol = route.protocol ?? router.fallback;
    if (!(error instanceof AwsError)) options.onInternalError?.(error);
    if (error instanceof BodyTooLarge) state.closeConnection = true;
    response = protocol.encodeError(toAwsError(error), ctx, state.call);
  }
  options.log?.(
    `${route.service} ${state.call?.operation ?? '?'} ${response.status} ${Date.now() - started}ms`,
  );
  if (state.closeConnection) return { ...response, headers: { ...response.headers, connection: 'close' } };
  return response;
}

function parseUrl(target: string | undefined): URL | undefined {
  try {
    return new URL(target ?? '/', 'http://127.0.0.1');
  } catch {
    return undefined;
  }
}

function plainError(status: number, message: string): WireResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message }) };
}

interface Serving {
  readonly request: WireRequest;
  readonly service: string;
  readonly protocol: WireProtocol;
  readonly ctx: RequestContext;
  readonly context: DispatchContext;
  /** Where the decoded call is left, so an error can be encoded for its operation. */
  readonly state: { call?: WireCall; closeConnection?: boolean };
}

/** Decodes the call, applies fault injection, runs the operation and encodes its result. */
async function serve({ request, service, protocol, ctx, context, state }: Serving): Promise<WireResponse> {
  const { byName, faults } = context;
  if (!byName.has(service)) {
    const running = [...byName.keys()].join(', ');
    throw new AwsError(
      'UnknownOperationException',
      `the local AWS does not run service "${service}"; it runs ${running}`,
    );
  }
  checkPercentEncoding(request.path);
  const call = await protocol.decode(request);
  state.call = call;
  await injectFault(faults.decide(service), protocol);
  const handler = byName.get(service)?.operations[call.operation];
  if (!handler) throw protocol.unknownOperation(call.operation, service);
  return protocol.encode(call, await handler(call.input, ctx), ctx);
}

/** A path that is not valid percent-encoding is refused before any codec reads it, as AWS's front door does. */
function checkPercentEncoding(path: string): void {
  try {
    decodeURIComponent(path);
  } catch {
    throw new AwsError('InvalidURI', `Couldn't parse the specified URI: ${path.slice(0, 200)}`);
  }
}

/** Faults strike after decoding and before the operation runs, so a refused call changes nothing. */
async function injectFault(decision: FaultDecision, protocol: WireProtocol): Promise<void> {
  if (decision.latencyMs > 0) await sleep(decision.latencyMs);
  if (decision.fault === 'throttle') {
    const { code, status, message } = protocol.throttling;
    throw new AwsError(code, `${message} (injected by the local AWS fault settings)`, { status });
  }
  if (decision.fault === 'error') {
    throw new AwsError('InternalFailure', 'injected internal failure (local AWS fault settings)', {
      status: 500,
    });
  }
}

function wireRequest(req: http.IncomingMessage, url: URL): WireRequest {
  let body: Promise<Buffer> | undefined;
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    stream: req,
    body: (limit = DEFAULT_BODY_LIMIT) => (body ??= readRequestBody(req, limit)),
    bodyStream: (limit) => streamRequestBody(req, limit),
  };
}

/** How long a refused body may still stream in, discarded, before its connection is cut. */
const LINGER_MS = 2000;

/**
 * A lingering close (as nginx does): the answer is sent and the server's side ends after it (Node's
 * `connection: close`), while what the client still sends is read and dropped for at most LINGER_MS.
 * Destroying the socket at once would reset a connection the client is still writing to, and a reset
 * makes its TCP stack drop the answer it has not read yet.
 */
function lingeringClose(req: http.IncomingMessage): void {
  const socket = req.socket;
  // Node's server ends a `connection: close` socket and destroys it once the end is flushed
  // (socket.destroySoon): keep the end, drop the destroy, and let the timer or the client close it.
  socket.off('finish', socket.destroy);
  const cut = setTimeout(() => socket.destroy(), LINGER_MS).unref();
  socket.once('close', () => clearTimeout(cut));
}

/**
 * Writes the answer. A body nobody read is discarded: unpiped from whatever decoder an operation attached
 * (so a half-read aws-chunked body cannot fail after the answer) and drained, keeping the connection
 * usable — unless it was refused as too large, then the connection closes after a lingering close.
 */
function send(req: http.IncomingMessage, res: http.ServerResponse, response: WireResponse): void {
  if (!req.complete) {
    req.unpipe();
    if (response.headers.connection === 'close') res.on('finish', () => lingeringClose(req));
    req.resume();
  }
  const { body } = response;
  if (body instanceof Readable) {
    res.writeHead(response.status, response.headers);
    // pipeline closes the file if the client goes away mid-download; the status is already sent by then.
    pipeline(body, res, () => undefined);
    return;
  }
  const headers = { ...response.headers };
  if (body !== undefined && headers['content-length'] === undefined)
    headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(response.status, headers);
  res.end(body);
}

interface AdminContext {
  readonly faults: FaultInjector;
  readonly services: readonly string[];
  readonly env: LocalAwsEnvironment;
}

/** `GET /_mlops/health`, `GET|POST /_mlops/faults`: the local AWS's own control routes. */
async function admin(req: http.IncomingMessage, path: string, context: AdminContext): Promise<WireResponse> {
  const json = (status: number, value: unknown): WireResponse => ({
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(value),
  });
  if (path === '/_mlops/health' && req.method === 'GET') {
    const { env } = context;
    return json(200, {
      status: 'ok',
      services: context.services,
      region: env.region,
      endpoint: env.endpoint(),
      stateDir: env.stateDir,
    });
  }
  if (path === '/_mlops/faults' && req.method === 'GET') return json(200, context.faults.current());
  if (path === '/_mlops/faults' && (req.method === 'POST' || req.method === 'PUT')) {
    try {
      const text = (await readRequestBody(req, DEFAULT_BODY_LIMIT)).toString('utf8');
      return json(200, context.faults.configure(JSON.parse(text || '{}')));
    } catch (error) {
      return json(400, { message: (error as Error).message });
    }
  }
  return json(404, {
    message: `no admin route ${req.method} ${path}; expected GET /_mlops/health or GET|POST /_mlops/faults`,
  });
}
