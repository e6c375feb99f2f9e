import * as fs from 'node:fs';
import * as http from 'node:http';

import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

import { type LocalAws, startLocalAws } from '../../../local';
import { useLocalAws, tempStateDir } from './harness';

const t = useLocalAws();

interface Sent {
  readonly status: number;
  readonly body: string;
}

/** A raw request with the headers a browser (or a DNS-rebound page) would send. */
function send(endpoint: string, headers: Record<string, string>, body = ''): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${endpoint}/`, { method: 'POST', headers }, (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => {
        const status = response.statusCode ?? 0;
        resolve({ status, body: status === 403 ? (JSON.parse(text) as { message: string }).message : text });
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** The cross-origin "simple request" any page can send: text/plain, no preflight. */
const overwriteModelName = {
  'content-type': 'text/plain',
  'x-amz-target': 'AmazonSSM.PutParameter',
};
const payload = JSON.stringify({ Name: '/model/name', Value: 'attacker', Type: 'String', Overwrite: true });

describe('only local clients are served', () => {
  beforeAll(async () => {
    await t
      .client(SSMClient)
      .send(new PutParameterCommand({ Name: '/model/name', Value: 'mine', Type: 'String' }));
  });

  const value = async () =>
    (await t.client(SSMClient).send(new GetParameterCommand({ Name: '/model/name' }))).Parameter?.Value;

  it('refuses a request carrying a web page Origin with 403, changing nothing', async () => {
    const port = new URL(t.aws().endpoint).port;
    const sent = await send(
      t.aws().endpoint,
      { ...overwriteModelName, host: `127.0.0.1:${port}`, origin: 'https://evil.example' },
      payload,
    );
    expect(sent.status).toBe(403);
    expect(sent.body).toMatch(/Origin "https:\/\/evil\.example".*refused.*--allow-client/);
    expect(await value()).toBe('mine');
  });

  it('refuses a Host that is not loopback on the bound port (DNS rebinding)', async () => {
    const port = new URL(t.aws().endpoint).port;
    for (const host of [`attacker.example:${port}`, 'attacker.example', `127.0.0.1:${Number(port) + 1}`]) {
      const sent = await send(t.aws().endpoint, { ...overwriteModelName, host }, payload);
      expect({ host, status: sent.status }).toEqual({ host, status: 403 });
      expect(sent.body).toContain(`Host "${host}" is not this local AWS`);
    }
    expect(await value()).toBe('mine');
  });

  it('serves SDK-style requests on 127.0.0.1, localhost, [::1] and <bucket>.localhost', async () => {
    const port = new URL(t.aws().endpoint).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `b.localhost:${port}`]) {
      const sent = await send(t.aws().endpoint, { host, 'content-type': 'application/x-amz-json-1.1' }, '{}');
      expect({ host, refused: sent.status === 403 }).toEqual({ host, refused: false });
    }
  });

  it('serves hosts and origins on the allow-list', async () => {
    const stateDir = tempStateDir();
    let allowed: LocalAws | undefined;
    try {
      allowed = await startLocalAws({
        stateDir,
        quiet: true,
        allowClients: ['devbox:4566', 'http://localhost:3000'],
      });
      const port = new URL(allowed.endpoint).port;
      const headers = { ...overwriteModelName, 'content-type': 'application/x-amz-json-1.1' };
      expect((await send(allowed.endpoint, { ...headers, host: 'devbox:4566' }, payload)).status).toBe(200);
      const fromConsole = { ...headers, host: `localhost:${port}`, origin: 'http://localhost:3000' };
      expect((await send(allowed.endpoint, fromConsole, payload)).status).toBe(200);
      const other = { ...headers, host: `localhost:${port}`, origin: 'http://localhost:3001' };
      expect((await send(allowed.endpoint, other, payload)).status).toBe(403);
    } finally {
      await allowed?.stop();
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
