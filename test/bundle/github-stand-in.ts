import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StoredComment {
  id: number;
  body: string;
  issue: number;
}

/**
 * A local stand-in for the three GitHub REST endpoints a sticky comment uses (list, create, update
 * issue comments), so tests point GITHUB_API_URL at it and count what the actions did.
 */
export async function startGitHubStandIn(): Promise<{
  url: string;
  comments: StoredComment[];
  calls: string[];
  close(): Promise<void>;
}> {
  const comments: StoredComment[] = [];
  const calls: string[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://stand-in');
      calls.push(`${request.method} ${url.pathname}`);
      const body =
        chunks.length > 0 ? (JSON.parse(Buffer.concat(chunks).toString()) as { body: string }) : undefined;
      const send = (status: number, payload: unknown) =>
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
      const view = (comment: StoredComment) => ({
        id: comment.id,
        body: comment.body,
        html_url: `https://github.example/comments/${comment.id}`,
      });
      const list = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(url.pathname);
      const single = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(url.pathname);
      if (list && request.method === 'GET')
        return send(200, comments.filter((c) => c.issue === Number(list[1])).map(view));
      if (list && request.method === 'POST' && body) {
        const comment = { id: comments.length + 1000, body: body.body, issue: Number(list[1]) };
        comments.push(comment);
        return send(201, view(comment));
      }
      const existing = single && comments.find((c) => c.id === Number(single[1]));
      if (existing && request.method === 'PATCH' && body) {
        existing.body = body.body;
        return send(200, view(existing));
      }
      return send(404, { message: `stand-in does not serve ${request.method} ${url.pathname}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    comments,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
