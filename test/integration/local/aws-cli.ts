import { execFile } from 'node:child_process';

/**
 * The two AWS CLIs on these machines, clients nobody here wrote: v1 (first `aws` on PATH, bundling a newer
 * botocore) and v2 (Debian's `awscli`, /usr/bin/aws, installed by scripts/setup.sh). v2.9 predates
 * AWS_ENDPOINT_URL, so it also gets `--endpoint-url`.
 */
export const AWS_CLIS = [
  { name: 'AWS CLI v1', command: 'aws', endpointFlag: false },
  { name: 'AWS CLI v2', command: '/usr/bin/aws', endpointFlag: true },
] as const;

export type AwsCli = (typeof AWS_CLIS)[number];

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs one CLI command against the local AWS with dummy credentials (`accessKeyId` names the IAM user the
 * local AWS sees as the caller, default `test`); never throws on a non-zero exit.
 */
export function runAwsCli(
  cli: AwsCli,
  endpoint: string,
  args: readonly string[],
  options: { cwd?: string; accessKeyId?: string } = {},
): Promise<CliResult> {
  const { accessKeyId = 'test', ...execOptions } = options;
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_REGION: 'us-east-1',
    AWS_PAGER: '',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
  const argv = [...(cli.endpointFlag ? ['--endpoint-url', endpoint] : []), ...args];
  return new Promise((resolve) => {
    execFile(
      cli.command,
      argv,
      { env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024, ...execOptions },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
