import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

import { createClient } from '../../../src/aws/clients';
import { fuzzRequests, type RawRequest } from './fuzz-requests';
import { tempStateDir } from './harness';

const MLOPS = path.join(__dirname, '..', '..', '..', 'bin', 'mlops.js');
/** Random mutations per seed request, besides the fixed malformed framings. */
const MUTATIONS_PER_SEED = 24;

let server: ChildProcess | undefined;
let stateDir = '';
let endpoint = '';
/** The server's stderr, shown when it dies. */
let serverLog = '';

beforeAll(async () => {
  stateDir = tempStateDir();
  server = spawn(process.execPath, [MLOPS, 'local', 'start', '--port', '0', '--state-dir', stateDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stderr!.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
  endpoint = await new Promise<string>((resolve, reject) => {
    let output = '';
    server!.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /export AWS_ENDPOINT_URL=(\S+)/.exec(output);
      if (found) resolve(found[1]!);
    });
    server!.once('exit', (code) => reject(new Error(`local AWS exited (${code}) before listening`)));
  });
}, 60_000);

afterAll(() => {
  server?.kill('SIGTERM');
  fs.rmSync(stateDir, { recursive: true, force: true });
});

/** The HTTP status answered, or `closed` when the connection closed without an answer. */
type Outcome = number | 'closed';

/** Sends raw bytes, half-closes, and reports the status answered before the socket closed. */
function send(request: RawRequest, port: number): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer and no close within 10 s: ${request.label}`));
    }, 10_000);
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const status = /^HTTP\/1\.1 (\d{3}) /.exec(received)?.[1];
      resolve(status ? Number(status) : 'closed');
    });
    socket.end(request.bytes);
  });
}

describe('malformed requests to every protocol', () => {
  it('are each answered (or the connection closed) and the local AWS keeps serving', async () => {
    const port = Number(new URL(endpoint).port);
    const requests = fuzzRequests({ perSeed: MUTATIONS_PER_SEED, host: `127.0.0.1:${port}` });
    const tally: Record<string, { answered: number; closed: number; serverErrors: number }> = {};
    for (let i = 0; i < requests.length; i += 8) {
      const batch = requests.slice(i, i + 8);
      const outcomes = await Promise.all(batch.map((request) => send(request, port)));
      batch.forEach((request, j) => {
        const counts = (tally[request.protocol] ??= { answered: 0, closed: 0, serverErrors: 0 });
        const outcome = outcomes[j]!;
        if (outcome === 'closed') counts.closed += 1;
        else counts.answered += 1;
        if (typeof outcome === 'number' && outcome >= 500) counts.serverErrors += 1;
      });
      expect({ exitCode: server!.exitCode, serverLog }).toEqual({ exitCode: null, serverLog });
    }
    // Every protocol got its share, and almost every request an HTTP answer (closing without one is only
    // for requests the HTTP parser cannot read, such as a broken request line).
    for (const protocol of ['awsJson1_1', 'restJson1', 'awsQuery', 'restXml']) {
      const counts = tally[protocol]!;
      expect(counts.answered + counts.closed).toBeGreaterThanOrEqual(50);
      expect(counts.answered).toBeGreaterThan(counts.closed);
    }
    // The model-driven codecs answer every malformed request as the client's error, never a 500.
    for (const counts of Object.values(tally)) expect(counts.serverErrors).toBe(0);
    const health = await fetch(`${endpoint}/_mlops/health`);
    expect(health.status).toBe(200);
    const ssm = createClient(SSMClient, {
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await ssm.send(new PutParameterCommand({ Name: '/fuzz/after', Value: 'alive', Type: 'String' }));
    const read = await ssm.send(new GetParameterCommand({ Name: '/fuzz/after' }));
    expect(read.Parameter?.Value).toBe('alive');
    expect(server!.exitCode).toBeNull();
  }, 120_000);

  it('answers the issue 14 repro (a truncated aws-chunked upload to a missing bucket) and stays up', async () => {
    const port = Number(new URL(endpoint).port);
    const repro = Buffer.from(
      `PUT /no-such-bucket/k HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
        'Content-Encoding: aws-chunked\r\n' +
        'Content-Length: 10\r\n\r\n5\r\nhello\r\n',
    );
    expect(await send({ protocol: 'restXml', label: 'repro', bytes: repro }, port)).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server!.exitCode).toBeNull();
    expect((await fetch(`${endpoint}/_mlops/health`)).status).toBe(200);
  });

  it('refuses a body over the operation limit while it streams, without reading it all', async () => {
    const port = Number(new URL(endpoint).port);
    const outcome = await new Promise<string>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      let received = '';
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString('latin1');
        if (received.includes('\r\n\r\n')) socket.destroy();
      });
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(received));
      socket.write(
        `POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
          'X-Amz-Target: AmazonSSM.PutParameter\r\n' +
          'Transfer-Encoding: chunked\r\n\r\n',
      );
      // 9 MiB in 1 MiB chunks: more than the 8 MiB limit; the answer must come before the client stops.
      const chunk = `100000\r\n${'x'.repeat(0x100000)}\r\n`;
      let sent = 0;
      const pump = () => {
        while (sent < 64 && socket.writable) {
          sent += 1;
          if (!socket.write(chunk)) return void socket.once('drain', pump);
        }
      };
      pump();
    });
    expect(outcome).toMatch(/^HTTP\/1\.1 413 /);
    expect(outcome.toLowerCase()).toContain('connection: close');
  });
});
