import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

import type { WireResponse } from '../protocols/wire';

/** Host names a local client uses to reach 127.0.0.1 (SDKs, CLIs, curl). */
const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

export interface LocalClientPolicy {
  /** The port the server is bound to: a Host header must name it. */
  readonly port: number;
  /**
   * Extra `Host` values (`name:port`, or a bare name for any port) and `Origin` values
   * (`http://name:port`) to accept, e.g. a dev container's host name or a local web console.
   */
  readonly allow?: readonly string[];
}

/**
 * A request guard that answers 403 to a request that did not come from a local client (a browser page, or a
 * Host other than the loopback names on this port), and lets everything else through.
 */
export function localClientsGuard(allow: readonly string[] | undefined) {
  return (req: IncomingMessage): WireResponse | undefined => {
    const reason = refuseNonLocalClient(req.headers, {
      port: req.socket.localPort ?? 0,
      ...(allow ? { allow } : {}),
    });
    if (reason === undefined) return undefined;
    return {
      status: 403,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ __type: 'AccessDeniedException', message: reason }),
    };
  };
}

/** Why a request is refused, or undefined when it may be served. */
export function refuseNonLocalClient(
  headers: IncomingHttpHeaders,
  policy: LocalClientPolicy,
): string | undefined {
  const allow = new Set((policy.allow ?? []).map((entry) => entry.toLowerCase()));
  const host = (headers.host ?? '').toLowerCase();
  if (!hostAllowed(host, policy.port, allow)) {
    return (
      `Host "${headers.host ?? ''}" is not this local AWS: it answers only Host 127.0.0.1:${policy.port}, ` +
      `localhost:${policy.port} or [::1]:${policy.port} (a different Host is how DNS rebinding reaches ` +
      'it from a web page); add the name with --allow-client if you mean it'
    );
  }
  const origin = headers.origin;
  if (origin !== undefined && !originAllowed(origin.toLowerCase(), allow)) {
    return (
      `requests from web pages (Origin "${origin}") are refused: any page in a browser could otherwise ` +
      'drive this local AWS; SDKs and CLIs send no Origin. Add the origin with --allow-client if you mean it'
    );
  }
  return undefined;
}

function hostAllowed(host: string, port: number, allow: ReadonlySet<string>): boolean {
  const name = host.replace(/:\d+$/, '');
  const hostPort = host.slice(name.length + 1);
  if (allow.has(host) || allow.has(name)) return true;
  // `<bucket>.localhost` is S3's virtual-hosted style; *.localhost always resolves to loopback (RFC 6761),
  // so no DNS answer can point it elsewhere. Without a port the Host means the scheme's default, 80.
  const loopback = LOOPBACK_HOSTS.includes(name) || name.endsWith('.localhost');
  return loopback && (hostPort || '80') === String(port);
}

/** Browsers send `Origin: null` from sandboxed frames and files: never local. */
function originAllowed(origin: string, allow: ReadonlySet<string>): boolean {
  return allow.has(origin);
}
