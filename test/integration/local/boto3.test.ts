import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

import { findPython } from '../../../local/runtimes/python';
import { useLocalAws } from './harness';

const harness = useLocalAws();

/** boto3 (botocore 1.29 predates AWS_ENDPOINT_URL, so the script passes endpoint_url explicitly). */
describe('a client nobody here wrote: boto3', () => {
  it('drives S3 (incl. multipart, pagination, errors) and SSM', async () => {
    const script = path.join(__dirname, 'fixtures', 'boto3_s3_ssm.py');
    // Asynchronously: the local AWS answers from this process's event loop.
    const run = await promisify(execFile)(findPython(), [script, harness.aws().endpoint], {
      timeout: 25_000,
    });
    expect(run.stderr).toBe('');
    const seen = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(seen).toEqual({
      get: 'hello from boto3',
      range: 'hello',
      pages: [
        { keys: ['dir/a b+c.txt'], prefixes: [] },
        { keys: [], prefixes: ['dir/sub/'] },
        { keys: ['dir/z.txt'], prefixes: [] },
      ],
      v1: ['dir/sub/1.txt', 'dir/sub/2.txt'],
      multipart_etag: expect.stringMatching(/^"[0-9a-f]{32}-2"$/),
      multipart_roundtrip: true,
      copy: 'dir/z.txt',
      head_missing: '404',
      get_missing: 'NoSuchKey',
      param: 'v2',
      param_v1: 'v1',
      history: [1, 2],
      already_exists: true,
      not_found: true,
    });
  }, 30_000);
});
