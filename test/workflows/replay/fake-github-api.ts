import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An issue comment as the fake GitHub API keeps it. */
export interface FakeComment {
  readonly id: number;
  readonly issue: number;
  body: string;
}

export interface FakeGitHubApi {
  /** `http://127.0.0.1:<port>`: what GITHUB_API_URL / github.api_url point at. */
  readonly url: string;
  readonly comments: readonly FakeComment[];
  /** `METHOD path` of every request, to show what the actions called. */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

/**
 * A stand-in for the three GitHub REST calls the sticky PR comment makes (list, create and update issue
 * comments), so a replayed pull-request workflow can comment and the test can read the comment.
 */
export async function startFakeGitHubApi(): Promise<FakeGitHubApi> {
  const comments: FakeComment[] = [];
  const requests: string[] = [];
  let nextId = 1;
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => send(res, 500, { message: String(error) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    requests.push(`${req.method} ${path}`);
    const list = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(path);
    const single = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(path);
    if (list && req.method === 'GET') {
      return send(res, 200, comments.filter((comment) => comment.issue === Number(list[1])).map(view));
    }
    if (list && req.method === 'POST') {
      const comment = { id: nextId++, issue: Number(list[1]), body: (await readJson(req)).body };
      comments.push(comment);
      return send(res, 201, view(comment));
    }
    const existing = single ? comments.find((comment) => comment.id === Number(single[1])) : undefined;
    if (existing && req.method === 'PATCH') {
      existing.body = (await readJson(req)).body;
      return send(res, 200, view(existing));
    }
    send(res, 404, { message: `the fake GitHub API does not serve ${req.method} ${path}` });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    comments,
    requests,
    close: () =>
      new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

function view(comment: FakeComment): Record<string, unknown> {
  return {
    id: comment.id,
    body: comment.body,
    html_url: `https://github.com/local/pull/${comment.issue}#issuecomment-${comment.id}`,
  };
}

async function readJson(req: IncomingMessage): Promise<{ body: string }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as { body: string };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
