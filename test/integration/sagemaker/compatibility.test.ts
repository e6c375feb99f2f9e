import * as fs from 'node:fs';
import * as path from 'node:path';

import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DescribePipelineCommand, ListModelPackagesCommand } from '@aws-sdk/client-sagemaker';

import { jobLogPath } from '../../../local/runtimes/job-directory';
import { createClient } from '../../../src/aws/clients';
import { LOCAL_CREDENTIALS } from '../../../local';
import {
  createPipeline,
  executionSteps,
  getObjectText,
  putObject,
  startExecution,
  startLocalSageMaker,
  stopLocalSageMaker,
  waitForExecution,
  REPO_ROOT,
  type LocalSageMaker,
} from './helpers';

jest.setTimeout(90_000);

const DEFINITIONS_DIR = process.env.MLOPS_REFERENCE_DEFINITIONS ?? '/work/shared/reference/definitions';
const FIXTURES = path.join(__dirname, 'fixtures');
/** The members of a published definition these tests read. */
interface PublishedDefinition {
  Parameters?: { Name: string; DefaultValue?: unknown }[];
  Steps: {
    Type: string;
    Arguments: { ProcessingInputs?: { InputName?: string; S3Input?: { S3Uri?: unknown } }[] };
  }[];
}

const readDefinition = (name: string) =>
  JSON.parse(fs.readFileSync(path.join(DEFINITIONS_DIR, `${name}.json`), 'utf8')) as PublishedDefinition;
const definitionNames = fs.existsSync(DEFINITIONS_DIR)
  ? fs
      .readdirSync(DEFINITIONS_DIR)
      .filter((file) => file.endsWith('.json'))
      .map((file) => file.slice(0, -'.json'.length))
  : [];

describe('SageMaker Python SDK definitions on the local SageMaker', () => {
  let local: LocalSageMaker | undefined;

  beforeAll(async () => {
    local = await startLocalSageMaker();
  });

  afterAll(() => stopLocalSageMaker(local));

  it('has the reference definitions to check', () => {
    expect(definitionNames.length).toBeGreaterThanOrEqual(8);
  });

  it.each(definitionNames)('CreatePipeline accepts %s', async (name) => {
    const pipelineName = name.replace(/_/g, '-').slice(0, 60);
    await createPipeline(local!, pipelineName, readDefinition(name));
    const described = await local!.sagemaker.send(
      new DescribePipelineCommand({ PipelineName: pipelineName }),
    );
    expect(JSON.parse(described.PipelineDefinition!)).toEqual(readDefinition(name));
  });

  it('runs 31 nested conditions with literal operands', async () => {
    const arn = await startExecution(local!, 'nested-conditions-31-deep-airflow');
    expect((await waitForExecution(local!, arn)).PipelineExecutionStatus).toBe('Succeeded');
    const steps = await executionSteps(local!, arn);
    expect(Object.keys(steps)).toHaveLength(31);
    expect(Object.values(steps).every((step) => step.Metadata?.Condition?.Outcome === 'True')).toBe(true);
  });

  it('fails a step on an image it cannot run, naming the image', async () => {
    const arn = await startExecution(local!, 'abalone-r-reticulate-custom-containers-sdk2022-rstudio');
    const execution = await waitForExecution(local!, arn);
    expect(execution.PipelineExecutionStatus).toBe('Failed');
    const reason = (await executionSteps(local!, arn)).ProcessingStep?.FailureReason;
    expect(reason).toMatch(
      /^ClientError: image \S+ is not supported by the local AWS for processing; supported images/,
    );
  });

  it('runs the Lambda step and fails the Callback step, naming the unsupported type', async () => {
    const lambda = createClient(LambdaClient, {
      endpoint: local!.aws.endpoint,
      region: local!.aws.region,
      credentials: LOCAL_CREDENTIALS,
    });
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'vector-enrichment',
        Runtime: 'nodejs20.x',
        Role: 'arn:aws:iam::000000000000:role/lambda',
        Handler: `${path.join(FIXTURES, 'geospatial-lambda')}.handler`,
        Code: { ZipFile: new Uint8Array() },
      }),
    );
    lambda.destroy();
    const definition = JSON.parse(
      JSON.stringify(readDefinition('lambda_callback_geospatial_awsdocs')).replaceAll(
        '*FUNCTION_ARN*',
        created.FunctionArn!,
      ),
    );
    await createPipeline(local!, 'geospatial', definition);
    const arn = await startExecution(local!, 'geospatial');
    expect((await waitForExecution(local!, arn)).PipelineExecutionStatus).toBe('Failed');
    const steps = await executionSteps(local!, arn);
    expect(steps['vej-processing-step']?.Metadata?.Lambda?.OutputParameters).toContainEqual({
      Name: 'vej_arn',
      Value: 'arn:aws:sagemaker-geospatial:us-west-2:000000000000:vector-enrichment-job/vej-pipeline-step-1',
    });
    expect(steps['vej-callback-step']?.FailureReason).toMatch(
      /^Step type Callback is not supported by the local AWS/,
    );
    expect(steps['export-vej-step']).toBeUndefined();
  });

  it('runs the full 2022 abalone definition (older images, Transform) with stand-in tutorial scripts', async () => {
    const sm = local!;
    const definition = readDefinition('abalone_full_fail_transform_sdk2022_flatiron');
    const defaults = Object.fromEntries((definition.Parameters ?? []).map((p) => [p.Name, p.DefaultValue]));
    await putObject(
      sm,
      String(defaults.InputData),
      headerless(fs.readFileSync(path.join(REPO_ROOT, 'data/abalone.csv'), 'utf8')),
    );
    await putObject(
      sm,
      `${String(defaults.BatchData)}/batch.csv`,
      batchRows(fs.readFileSync(path.join(REPO_ROOT, 'data/abalone.csv'), 'utf8'), 20),
    );
    for (const uri of codeUris(definition)) {
      await putObject(
        sm,
        uri,
        fs.readFileSync(path.join(FIXTURES, 'abalone-tutorial', path.posix.basename(uri))),
      );
    }
    const arn = await startExecution(sm, 'abalone-full-fail-transform-sdk2022-flatiron');
    const execution = await waitForExecution(sm, arn);
    const steps = await executionSteps(sm, arn);
    expect({
      status: execution.PipelineExecutionStatus,
      failures: Object.values(steps)
        .map((s) => s.FailureReason)
        .filter(Boolean),
    }).toEqual({
      status: 'Succeeded',
      failures: [],
    });
    expect(Object.keys(steps).sort()).toEqual(
      [
        'AbaloneCreateModel',
        'AbaloneEval',
        'AbaloneMSECond',
        'AbaloneProcess',
        'AbaloneRegisterModel-RegisterModel',
        'AbaloneTrain',
        'AbaloneTransform',
      ].sort(),
    );
    const predictions = (
      await getObjectText(sm, 's3://sagemaker-us-east-1-167762637358/AbaloneTransform/batch.csv.out')
    )
      .trim()
      .split('\n');
    expect(predictions).toHaveLength(20);
    expect(predictions.every((line) => Number(line) > 1 && Number(line) < 30)).toBe(true);
    const packages = await sm.sagemaker.send(
      new ListModelPackagesCommand({ ModelPackageGroupName: 'AbaloneModelPackageGroupName' }),
    );
    expect(packages.ModelPackageSummaryList?.[0]?.ModelApprovalStatus).toBe('PendingManualApproval');
    const processLog = fs.readFileSync(
      jobLogPath(sm.stateDir, steps.AbaloneProcess!.Metadata!.ProcessingJob!.Arn!),
      'utf8',
    );
    expect(processLog).toMatch(
      /warning: image sagemaker-scikit-learn:0\.23-1-cpu-py3 ships scikit-learn 0\.23\.2; the local AWS runs it on the local scikit-learn 1\.2\.1/,
    );
  });
});

/** The S3 URIs of the definition's `code` processing inputs (the scripts the SDK uploaded). */
function codeUris(definition: PublishedDefinition): string[] {
  return definition.Steps.filter((step) => step.Type === 'Processing')
    .flatMap((step) => step.Arguments.ProcessingInputs ?? [])
    .filter((input) => input.InputName === 'code')
    .map((input) => String(input.S3Input?.S3Uri));
}

function headerless(csv: string): string {
  return csv.split('\n').slice(1).join('\n');
}

/** Feature rows as the stand-in preprocessing lays them out (7 measurements, then sex one-hot F, I, M). */
function batchRows(csv: string, count: number): string {
  return csv
    .split('\n')
    .slice(1, count + 1)
    .map((line) => {
      const [sex = '', ...rest] = line.split(',');
      return [
        ...rest.slice(0, 7),
        ...['F', 'I', 'M'].map((category) => (category === sex ? '1.0' : '0.0')),
      ].join(',');
    })
    .join('\n');
}
