import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { createClient } from '../../../src/aws/clients';
import { type LocalAws, type StartLocalAwsOptions, startLocalAws } from '../../../local';

/** A temporary state dir; remove it with `fs.rmSync(dir, {recursive: true, force: true})`. */
export function tempStateDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-local-'));
}

export interface Harness {
  readonly aws: () => LocalAws;
  /** A client of the local AWS, made by the project's one client factory. */
  readonly client: <T>(
    Client: Parameters<typeof createClient<T>>[0],
    options?: { maxAttempts?: number },
  ) => T;
}

/** Starts a local AWS on a free port in beforeAll and stops it (and removes its state) in afterAll. */
export function useLocalAws(options: Omit<StartLocalAwsOptions, 'port' | 'stateDir'> = {}): Harness {
  let aws: LocalAws | undefined;
  let stateDir = '';
  beforeAll(async () => {
    stateDir = tempStateDir();
    aws = await startLocalAws({ ...options, port: 0, stateDir, quiet: true });
  });
  afterAll(async () => {
    await aws?.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });
  const current = () => {
    if (!aws) throw new Error('the local AWS is not running (use the harness inside tests)');
    return aws;
  };
  return {
    aws: current,
    client: (Client, clientOptions = {}) =>
      createClient(Client, {
        endpoint: current().endpoint,
        region: current().region,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        ...clientOptions,
      }),
  };
}
