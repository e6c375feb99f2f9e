import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable, pipeline } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

import type { ServiceDeps } from './core/deps';
import { AwsError, toAwsError } from './core/errors';
import {
  LOCAL_ACCOUNT_ID,
  type LocalAwsEnvironment,
  type RequestContext,
  type ServiceProvider,
} from './core/service';
import { type FaultConfig, type FaultDecision, FaultInjector } from './faults';
import { FALLBACK_PROTOCOL, protocolFor, routeService } from './protocols/router';
import type { WireCall, WireProtocol, WireRequest, WireResponse } from './protocols/wire';
import { mountServices } from './services/registry';
import { rejectNonLocalClient } from './security/local-clients';
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
}

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
  /** Closes the server and stops every provider (child processes included). */
  stop(): Promise<void>;
}

/** A request body larger than this is refused unless the operation streams it (S3 uploads). */
const MAX_BUFFERED_BODY = 64 * 1024 * 1024;

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
  const dispatch = dispatcher({ env, byName, faults, options });
  const server = http.createServer((req, res) => void dispatch(req, res));
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

interface DispatchContext {
  readonly env: LocalAwsEnvironment;
  readonly byName: ReadonlyMap<string, ServiceProvider>;
  readonly faults: FaultInjector;
  readonly options: LocalAwsServerOptions;
}

function dispatcher(context: DispatchContext) {
  const { env, byName, faults, options } = context;
  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (rejectNonLocalClient(req, res, options.allowClients)) return;
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/_mlops/')) {
      send(req, res, await admin(req, url.pathname, { faults, services: [...byName.keys()], env }));
      return;
    }
    const request = wireRequest(req, url);
    const service = routeService(request);
    const protocol = protocolFor(service) ?? FALLBACK_PROTOCOL;
    const ctx: RequestContext = { region: env.region, accountId: env.accountId, requestId: randomUUID() };
    const state: { call?: WireCall } = {};
    let response: WireResponse;
    try {
      response = await serve({ request, service, protocol, ctx, context, state });
    } catch (error) {
      if (!(error instanceof AwsError)) options.onInternalError?.(error);
      response = protocol.encodeError(toAwsError(error), ctx, state.call);
    }
    send(req, res, response);
    options.log?.(`${service} ${state.call?.operation ?? '?'} ${response.status} ${Date.now() - started}ms`);
  };
}

interface Serving {
  readonly request: WireRequest;
  readonly service: string;
  readonly protocol: WireProtocol;
  readonly ctx: RequestContext;
  readonly context: DispatchContext;
  /** Where the decoded call is left, so an error can be encoded for its operation. */
  readonly state: { call?: WireCall };
}

/** Decodes the call, applies fault injection, runs the operation and encodes its result. */
async function serve({ request, service, protocol, ctx, context, state }: Serving): Promise<WireResponse> {
  const { byName, faults } = context;
  if (!protocolFor(service)) {
    const running = [...byName.keys()].join(', ');
    throw new AwsError(
      'UnknownOperationException',
      `the local AWS does not run service "${service}"; it runs ${running}`,
    );
  }
  const call = await protocol.decode(request);
  state.call = call;
  await injectFault(faults.decide(service), protocol);
  const handler = byName.get(service)?.operations[call.operation];
  if (!handler) throw protocol.unknownOperation(call.operation, service);
  return protocol.encode(call, await handler(call.input, ctx), ctx);
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
    body: () => (body ??= readBody(req)),
  };
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BUFFERED_BODY) {
      throw new AwsError('RequestEntityTooLarge', `request body exceeds ${MAX_BUFFERED_BODY} bytes`, {
        status: 413,
      });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function send(req: http.IncomingMessage, res: http.ServerResponse, response: WireResponse): void {
  // A body the operation did not read (an error before a streamed upload) is drained, keeping the connection usable.
  if (!req.complete) req.resume();
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
      const text = (await readBody(req)).toString('utf8');
      return json(200, context.faults.configure(JSON.parse(text || '{}')));
    } catch (error) {
      return json(400, { message: (error as Error).message });
    }
  }
  return json(404, {
    message: `no admin route ${req.method} ${path}; expected GET /_mlops/health or GET|POST /_mlops/faults`,
  });
}
