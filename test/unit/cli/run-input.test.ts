import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { startLocalAws } from '../../../local';
import { main } from '../../../src/cli/index';
import { EXIT } from '../../../src/cli/exit-codes';

let dir: string;
let stderr: string[];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-run-input-'));
  stderr = [];
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr.push(String(chunk));
    return true;
  });
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});

afterEach(() => {
  jest.restoreAllMocks();
  process.exitCode = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs `mlops run <args>` in this process with its own state and build dirs; returns the exit code and stderr. */
async function run(...args: string[]): Promise<{ code: number; stderr: string }> {
  const own = ['--state-dir', path.join(dir, 'state'), '--build-dir', path.join(dir, 'build')];
  await main(['node', 'mlops', 'run', ...own, ...args]);
  return { code: Number(process.exitCode ?? 0), stderr: stderr.join('') };
}

const ARN = 'arn:aws:sagemaker:us-east-1:000000000000:pipeline/p/execution/abc';

/** Runs the CLI as in a shell with no AWS_ENDPOINT_URL, so commands start their own local AWS. */
async function withoutEndpoint(argv: readonly string[]): Promise<void> {
  const saved = process.env.AWS_ENDPOINT_URL;
  delete process.env.AWS_ENDPOINT_URL;
  try {
    await main(['node', 'mlops', ...argv]);
  } finally {
    if (saved !== undefined) process.env.AWS_ENDPOINT_URL = saved;
  }
}

/** Nothing was started or written: no state dir (the local AWS never ran) and no build output. */
function nothingCreated(): void {
  expect(fs.readdirSync(dir)).toEqual([]);
}

describe('mlops run refuses bad input before doing anything (exit 2, the flag named)', () => {
  it.each([
    [['--parameter', 'RmseThreshold=abc'], /--parameter: value "abc" does not fit "RmseThreshold" \(Float\)/],
    [
      ['--parameter', 'RmseThreshold=1e999'],
      /--parameter: value "1e999" does not fit "RmseThreshold" \(Float\); expected a number/,
    ],
    [
      ['--parameter', 'RmseTreshold=2'],
      /--parameter: unknown parameter "RmseTreshold" \(did you mean "RmseThreshold"\?\)/,
    ],
    [['--stack-name', 'a_b'], /--stack-name: "a_b" is not valid; expected a stack name/],
    [
      ['--model-package-group', '../g'],
      /--model-package-group: "\.\.\/g" is not valid; expected a model package group name/,
    ],
    [['--pipeline-name', 'p'.repeat(257)], /--pipeline-name: "p+" is not valid; expected a pipeline name/],
    [
      ['--model-name-parameter', '/aws/x'],
      /--model-name-parameter: "\/aws\/x" is not valid; expected an SSM parameter name/,
    ],
    [['--bucket', 'Bad_Bucket'], /--bucket: "Bad_Bucket" is not valid; expected an S3 bucket name/],
    [['--region', 'moon'], /--region: "moon" is not valid; expected an AWS region/],
    [['--state-dir', ''], /--state-dir: got an empty path; expected a path/],
    [
      ['--state-dir', '/proc/x'],
      /--state-dir: \/proc\/x is under \/proc; expected a folder on a real file system/,
    ],
    [['--build-dir', '/sys/kernel/x'], /--build-dir: \/sys\/kernel\/x is under \/sys/],
    [['--config', 'missing.json'], /--config: .*missing\.json does not exist; expected a JSON settings file/],
    [['--data', ''], /--data: got an empty path/],
  ])('%j', async (args, message) => {
    const result = await run(...args);
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(EXIT.badInput);
    nothingCreated();
  });

  it('refuses a state dir that cannot be made because a parent is a file', async () => {
    fs.writeFileSync(path.join(dir, 'file'), 'x');
    const underFile = await run('--state-dir', path.join(dir, 'file', 'state'));
    expect(underFile.stderr).toMatch(
      /--state-dir: .*file\/state cannot be made: .*file is a file; expected a folder/,
    );
    expect(underFile.code).toBe(EXIT.badInput);
  });

  it('refuses unknown keys in the settings file, naming them', async () => {
    const config = path.join(dir, 'mlops.config.json');
    fs.writeFileSync(config, JSON.stringify({ stackname: 'x' }));
    const result = await run('--config', config);
    expect(result.stderr).toMatch(/unknown setting stackname; expected some of .*stackName/);
    expect(result.code).toBe(EXIT.badInput);
  });
});

describe('other commands refuse bad input with exit 2', () => {
  it('local faults --services names an unknown service', async () => {
    await main([
      'node',
      'mlops',
      'local',
      'faults',
      '--services',
      'nosuch',
      '--endpoint',
      'http://127.0.0.1:9',
    ]);
    expect(stderr.join('')).toMatch(/services: no service nosuch; expected some of s3, ssm, lambda/);
    expect(process.exitCode).toBe(EXIT.badInput);
  });

  it('mlops logs creates no state dir where none exists', async () => {
    const stateDir = path.join(dir, 'none');
    await withoutEndpoint(['logs', ARN, '--state-dir', stateDir]);
    expect(stderr.join('')).toContain(`no local AWS state at ${stateDir}`);
    expect(process.exitCode).toBe(EXIT.badInput);
    nothingCreated();
  });

  it('a state dir another local AWS owns is exit 2, naming its pid and endpoint', async () => {
    const stateDir = path.join(dir, 'owned');
    const owner = await startLocalAws({ stateDir, quiet: true });
    try {
      await withoutEndpoint(['logs', ARN, '--state-dir', stateDir]);
    } finally {
      await owner.stop();
    }
    expect(stderr.join('')).toContain(
      `is in use by the local AWS in process ${process.pid} (lock ${path.join(stateDir, 'owner.lock')}); ` +
        `use it with export AWS_ENDPOINT_URL=${owner.endpoint}`,
    );
    expect(process.exitCode).toBe(EXIT.badInput);
  });

  it('an unknown --target is exit 2', async () => {
    await main(['node', 'mlops', 'logs', ARN, '--target', 'moon']);
    expect(stderr.join('')).toContain('--target must be "local" or "aws"; got "moon"');
    expect(process.exitCode).toBe(EXIT.badInput);
  });

  it.each([
    [['local', 'start', '--state-dir', '/proc/x'], /--state-dir: \/proc\/x is under \/proc/],
    [['local', 'start', '--state-dir', ''], /--state-dir: got an empty path/],
    [['executions', '--state-dir', '/proc/x'], /--state-dir: \/proc\/x is under \/proc/],
  ])('%j is refused before the local AWS starts', async (...args) => {
    const [argv, message] = args as [string[], RegExp];
    await withoutEndpoint(argv);
    expect(stderr.join('')).toMatch(message);
    expect(process.exitCode).toBe(EXIT.badInput);
  });
});
