import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { abaloneDefaults, synthesizeAbalone, writeSynthResult } from '../../pipeline/synth';
import { githubEnv, runBundle, startCountingServer, type ActionName } from './harness';
import { NODE_RUNTIMES } from './node-runtimes';

jest.setTimeout(60_000);

// Every bad input must fail the step before any AWS call: AWS_ENDPOINT_URL points at a server that counts requests.
let server: Awaited<ReturnType<typeof startCountingServer>>;
let dir: string;
let definitionFile: string;
let templateFile: string;
let notJsonFile: string;
let notMetricsFile: string;

beforeAll(async () => {
  server = await startCountingServer();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-inputs-'));
  ({ definitionFile } = writeSynthResult(
    path.join(dir, 'pipeline.json'),
    synthesizeAbalone(abaloneDefaults()),
  ));
  notJsonFile = path.join(dir, 'not-json.json');
  fs.writeFileSync(notJsonFile, '{"Version": ');
  notMetricsFile = path.join(dir, 'metrics.json');
  fs.writeFileSync(notMetricsFile, JSON.stringify({ rmse: 2.1 }));
  templateFile = path.join(dir, 'template.json');
  fs.writeFileSync(
    templateFile,
    JSON.stringify({
      Parameters: { StageName: { Type: 'String', Default: 'staging' } },
      Resources: { Topic: { Type: 'AWS::SNS::Topic' } },
    }),
  );
});

afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const ROLE = 'arn:aws:iam::000000000000:role/SageMakerExecutionRole';
const EXECUTION = 'arn:aws:sagemaker:us-east-1:000000000000:pipeline/abalone-pipeline/execution/abc123';

type Case = [string, ActionName, () => Record<string, string>, RegExp];

const upsert = (extra: Record<string, string>) => () => ({
  'pipeline-name': 'abalone',
  'definition-file': definitionFile,
  'role-arn': ROLE,
  ...extra,
});
const wait = (extra: Record<string, string>) => () => ({ 'execution-arn': EXECUTION, ...extra });
const deploy = (extra: Record<string, string>) => () => ({
  'stack-name': 'abalone-staging',
  'template-file': templateFile,
  ...extra,
});

const CASES: Case[] = [
  [
    'missing pipeline-name',
    'upsert-sagemaker-pipeline',
    () => ({ 'definition-file': definitionFile, 'role-arn': ROLE }),
    /Input "pipeline-name": is required/,
  ],
  [
    'no definition at all',
    'upsert-sagemaker-pipeline',
    () => ({ 'pipeline-name': 'abalone', 'role-arn': ROLE }),
    /Input "definition-file": is required \(or set definition\)/,
  ],
  [
    'definition file missing',
    'upsert-sagemaker-pipeline',
    upsert({ 'definition-file': 'build/nope.json' }),
    /Input "definition-file": file "build\/nope.json" does not exist/,
  ],
  [
    'malformed definition JSON',
    'upsert-sagemaker-pipeline',
    () => ({ 'pipeline-name': 'abalone', 'role-arn': ROLE, definition: '{"Version": ' }),
    /Input "definition": expected pipeline definition JSON; it does not parse/,
  ],
  [
    'invalid definition',
    'upsert-sagemaker-pipeline',
    () => ({
      'pipeline-name': 'abalone',
      'role-arn': ROLE,
      definition:
        '{"Version":"2020-12-01","Steps":[{"Name":"A","Type":"Fail","Arguments":{},"DependsOn":["Nope"]}]}',
    }),
    /Input "definition": the pipeline definition has 1 problem\(s\):%0A {2}\$\.Steps\[0\]\.DependsOn\[0\]: DependsOn names step "Nope"/,
  ],
  [
    'malformed execution-parameters YAML',
    'upsert-sagemaker-pipeline',
    upsert({ 'execution-parameters': '{RmseThreshold: [' }),
    /Input "execution-parameters": expected a YAML or JSON map/,
  ],
  [
    'unknown execution parameter',
    'upsert-sagemaker-pipeline',
    upsert({ 'execution-parameters': 'RmseTreshold: 2' }),
    /Input "execution-parameters": unknown parameter "RmseTreshold".*RmseThreshold/,
  ],
  [
    'execution parameter of the wrong type',
    'upsert-sagemaker-pipeline',
    upsert({ 'execution-parameters': 'RmseThreshold: low' }),
    /Input "execution-parameters": value "low" does not fit "RmseThreshold" \(Float\)/,
  ],
  [
    'malformed role ARN',
    'upsert-sagemaker-pipeline',
    upsert({ 'role-arn': 'SageMakerExecutionRole' }),
    /Input "role-arn": expected an IAM role ARN/,
  ],
  [
    'max-parallel-steps of 0',
    'upsert-sagemaker-pipeline',
    upsert({ 'max-parallel-steps': '0' }),
    /Input "max-parallel-steps": expected a whole number of steps, at least 1; got "0"/,
  ],
  [
    'start-execution not a boolean',
    'upsert-sagemaker-pipeline',
    upsert({ 'start-execution': 'yes' }),
    /Input "start-execution": expected true or false; got "yes"/,
  ],
  [
    'tags as a list',
    'upsert-sagemaker-pipeline',
    upsert({ tags: '- team\n- ml' }),
    /Input "tags": expected a YAML or JSON map/,
  ],
  [
    'assets manifest missing',
    'upsert-sagemaker-pipeline',
    upsert({ 'assets-manifest': 'build/none.assets.json' }),
    /Input "assets-manifest": file "build\/none.assets.json" does not exist/,
  ],
  [
    'base definition missing',
    'upsert-sagemaker-pipeline',
    upsert({ 'base-definition-file': 'build/base/pipeline.json' }),
    /Input "base-definition-file": file "build\/base\/pipeline.json" does not exist/,
  ],
  [
    'base definition not JSON',
    'upsert-sagemaker-pipeline',
    () => upsert({ 'base-definition-file': notJsonFile })(),
    /Input "base-definition-file": expected pipeline definition JSON in .*not-json.json; it does not parse/,
  ],
  [
    'baseline metrics missing',
    'wait-for-execution',
    wait({ 'baseline-metrics-file': 'build/metrics/metrics.json' }),
    /Input "baseline-metrics-file": file "build\/metrics\/metrics.json" does not exist/,
  ],
  [
    'baseline metrics not a metrics record',
    'wait-for-execution',
    () => wait({ 'baseline-metrics-file': notMetricsFile })(),
    /Input "baseline-metrics-file": .*metrics.json is not a metrics record: expected a JSON object with "format": "mlops-metrics\/1"/,
  ],
  [
    'max-regression limit without a number',
    'wait-for-execution',
    wait({ 'max-regression': 'Train/validation:rmse: lower' }),
    /Input "max-regression": the limit of "Train\/validation:rmse" must be a change such as \+2%/,
  ],
  [
    'malformed execution ARN',
    'wait-for-execution',
    () => ({ 'execution-arn': 'arn:aws:sagemaker:us-east-1:000000000000:pipeline/abalone' }),
    /Input "execution-arn": expected a pipeline execution ARN/,
  ],
  [
    'negative timeout',
    'wait-for-execution',
    wait({ 'timeout-minutes': '-5' }),
    /Input "timeout-minutes": expected a number of minutes greater than 0.*got "-5"/,
  ],
  [
    'non-numeric timeout',
    'wait-for-execution',
    wait({ 'timeout-minutes': 'ten' }),
    /Input "timeout-minutes": expected a number of minutes greater than 0.*got "ten"/,
  ],
  [
    'poll interval max below min',
    'wait-for-execution',
    wait({ 'poll-interval-seconds': '30-5' }),
    /Input "poll-interval-seconds": expected seconds as "min-max"/,
  ],
  [
    'pr-comment without a token',
    'wait-for-execution',
    wait({ 'pr-comment': 'true' }),
    /Input "github-token": is required when pr-comment is true/,
  ],
  [
    'template file missing',
    'deploy-endpoint',
    deploy({ 'template-file': 'cdk.out/none.template.json' }),
    /Input "template-file": file "cdk.out\/none.template.json" does not exist/,
  ],
  [
    'malformed parameters JSON',
    'deploy-endpoint',
    deploy({ parameters: '{"StageName": ' }),
    /Input "parameters": the map is not valid YAML or JSON/,
  ],
  [
    'parameter the template does not declare',
    'deploy-endpoint',
    deploy({ parameters: 'StageNam: prod' }),
    /Input "parameters": parameter StageNam is not declared by .*; it declares StageName/,
  ],
  [
    'unknown capability',
    'deploy-endpoint',
    deploy({ capabilities: 'CAPABILITY_ALL' }),
    /Input "capabilities": expected some of CAPABILITY_IAM, CAPABILITY_NAMED_IAM, CAPABILITY_AUTO_EXPAND; got "CAPABILITY_ALL"/,
  ],
  [
    'invalid stack name',
    'deploy-endpoint',
    deploy({ 'stack-name': '1-stack' }),
    /Input "stack-name": expected a stack name/,
  ],
  [
    'smoke test URI without a key',
    'deploy-endpoint',
    deploy({ 'smoke-test-file': 's3://bucket-only' }),
    /Input "smoke-test-file": expected an S3 URI like s3:\/\/bucket\/key/,
  ],
  [
    'zero timeout',
    'deploy-endpoint',
    deploy({ 'timeout-minutes': '0' }),
    /Input "timeout-minutes": expected a number of minutes greater than 0/,
  ],
  ['missing model package group', 'approved-model', () => ({}), /Input "model-package-group": is required/],
];

describe('bad inputs fail before any AWS call, naming the input and what is expected', () => {
  const runs = NODE_RUNTIMES.flatMap((node) => CASES.map((testCase) => [...testCase, node] as const));
  test.concurrent.each(runs)('%s (%s on %s)', async (_name, action, inputs, message, node) => {
    const run = await runBundle(action, {
      node,
      inputs: inputs(),
      env: {
        ...githubEnv(),
        AWS_ENDPOINT_URL: server.url,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
      },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::error::/m);
    expect(run.stdout).toMatch(message);
  });

  test('none of them reached AWS', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(15);
    expect(server.requests()).toBe(0);
  });
});
