import {
  DescribeModelPackageCommand,
  DescribeProcessingJobCommand,
  DescribeTrainingJobCommand,
} from '@aws-sdk/client-sagemaker';

import { readS3Text } from '../aws/s3-objects';
import { describeError } from '../aws/transient-errors';
import { flattenSteps } from '../../pipeline/inspect/steps';
import type { PipelineClients } from './clients';
import { resourceNameOf, type StepView } from './steps';

export interface TrainingMetric {
  readonly step: string;
  readonly name: string;
  readonly value: number;
}

export interface LambdaOutput {
  readonly step: string;
  readonly name: string;
  readonly value: string;
}

/** A property file a processing step wrote (the evaluation report of most pipelines). */
export interface PropertyFileReport {
  readonly step: string;
  readonly name: string;
  readonly uri: string;
  readonly content: unknown;
}

export interface ExecutionResults {
  readonly modelPackageArn?: string;
  readonly modelPackageStatus?: string;
  readonly modelName?: string;
  readonly lambdaOutputs: readonly LambdaOutput[];
  readonly metrics: readonly TrainingMetric[];
  readonly reports: readonly PropertyFileReport[];
  /** What could not be read (reported as warnings; a missing extra never fails the wait). */
  readonly problems: readonly string[];
}

/** What a finished execution produced: model package, model, Lambda outputs, training metrics, property files. */
export async function collectExecutionResults(
  clients: PipelineClients,
  steps: readonly StepView[],
  definition: unknown,
): Promise<ExecutionResults> {
  const problems: string[] = [];
  const attempt = async <T>(what: string, read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (error) {
      problems.push(`Could not read ${what}: ${describeError(error)}`);
      return undefined;
    }
  };
  const packageArn = steps.find((step) => step.metadata?.RegisterModel?.Arn)?.metadata?.RegisterModel?.Arn;
  const modelArn = steps.find((step) => step.metadata?.Model?.Arn)?.metadata?.Model?.Arn;
  const packageStatus = packageArn
    ? await attempt(`model package ${packageArn}`, () => modelPackageStatus(clients, packageArn))
    : undefined;
  const metrics = (
    await Promise.all(
      steps
        .filter((step) => step.status === 'Succeeded' && step.metadata?.TrainingJob?.Arn)
        .map((step) => attempt(`metrics of ${step.name}`, () => trainingMetrics(clients, step))),
    )
  ).flatMap((list) => list ?? []);
  const reports = (
    await Promise.all(
      propertyFileSources(steps, definition).map((source) =>
        attempt(`property file ${source.name} of ${source.step.name}`, () =>
          readPropertyFile(clients, source),
        ),
      ),
    )
  ).flatMap((report) => (report ? [report] : []));
  return {
    ...(packageArn ? { modelPackageArn: packageArn } : {}),
    ...(packageStatus ? { modelPackageStatus: packageStatus } : {}),
    ...(modelArn ? { modelName: resourceNameOf(modelArn) } : {}),
    lambdaOutputs: lambdaOutputs(steps),
    metrics,
    reports,
    problems,
  };
}

async function modelPackageStatus(clients: PipelineClients, arn: string): Promise<string | undefined> {
  const described = await clients.sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
  return described.ModelApprovalStatus;
}

async function trainingMetrics(clients: PipelineClients, step: StepView): Promise<TrainingMetric[]> {
  const jobName = resourceNameOf(step.metadata?.TrainingJob?.Arn ?? '');
  const job = await clients.sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: jobName }));
  return (job.FinalMetricDataList ?? []).flatMap((metric) =>
    metric.MetricName !== undefined && metric.Value !== undefined
      ? [{ step: step.name, name: metric.MetricName, value: metric.Value }]
      : [],
  );
}

function lambdaOutputs(steps: readonly StepView[]): LambdaOutput[] {
  return steps.flatMap((step) =>
    (step.metadata?.Lambda?.OutputParameters ?? []).flatMap((output) =>
      output.Name !== undefined && output.Value !== undefined
        ? [{ step: step.name, name: output.Name, value: output.Value }]
        : [],
    ),
  );
}

interface PropertyFileSource {
  readonly step: StepView;
  readonly name: string;
  readonly outputName: string;
  readonly filePath: string;
}

function propertyFileSources(steps: readonly StepView[], definition: unknown): PropertyFileSource[] {
  const byName = new Map(steps.map((step) => [step.name, step]));
  return flattenSteps(definition).flatMap((declared) => {
    const step = declared.name === undefined ? undefined : byName.get(declared.name);
    if (declared.type !== 'Processing' || step?.status !== 'Succeeded' || !step.metadata?.ProcessingJob?.Arn)
      return [];
    const files: unknown[] = Array.isArray(declared.step.PropertyFiles) ? declared.step.PropertyFiles : [];
    return files.flatMap((file) => {
      const {
        PropertyFileName: name,
        OutputName: outputName,
        FilePath: filePath,
      } = (file ?? {}) as Record<string, unknown>;
      return typeof name === 'string' && typeof outputName === 'string' && typeof filePath === 'string'
        ? [{ step, name, outputName, filePath }]
        : [];
    });
  });
}

async function readPropertyFile(
  clients: PipelineClients,
  source: PropertyFileSource,
): Promise<PropertyFileReport> {
  const jobName = resourceNameOf(source.step.metadata?.ProcessingJob?.Arn ?? '');
  const job = await clients.sagemaker.send(new DescribeProcessingJobCommand({ ProcessingJobName: jobName }));
  const output = job.ProcessingOutputConfig?.Outputs?.find(
    (candidate) => candidate.OutputName === source.outputName,
  );
  const prefix = output?.S3Output?.S3Uri;
  if (!prefix) throw new Error(`processing job ${jobName} has no output named ${source.outputName}`);
  const uri = `${prefix.replace(/\/+$/, '')}/${source.filePath.replace(/^\/+/, '')}`;
  const text = await readS3Text(await clients.s3(), uri);
  return { step: source.step.name, name: source.name, uri, content: JSON.parse(text) as unknown };
}
