import {
  CreateMonitoringScheduleCommand,
  DeleteMonitoringScheduleCommand,
  DescribeProcessingJobCommand,
  ListMonitoringExecutionsCommand,
  type MonitoringExecutionSummary,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import type { S3Client } from '@aws-sdk/client-s3';

import { readS3Text } from '../aws/s3-objects';
import type { ConstraintViolations, Statistics, Violation } from './files';

export interface DriftBaseline {
  /** s3:// URI of the baseline's statistics.json. */
  readonly statistics: string;
  /** s3:// URI of the baseline's constraints.json. */
  readonly constraints: string;
}

export interface DriftCheckOptions {
  readonly sagemaker: SageMakerClient;
  readonly s3: S3Client;
  readonly endpointName: string;
  readonly baseline: DriftBaseline;
  /** The analyzer image: Model Monitor's `sagemaker-model-monitor-analyzer` of the region. */
  readonly imageUri: string;
  readonly roleArn: string;
  /** Where the run writes its reports. */
  readonly outputS3Uri: string;
  /** Hours of capture before now to analyse (1-24). Default 1. */
  readonly windowHours?: number;
  readonly pollMs?: number;
  /** Gives up after this long. Default 30 minutes. */
  readonly timeoutMs?: number;
  readonly progress?: (message: string) => void;
}

export interface FeatureDrift {
  readonly name: string;
  readonly baselineMean?: number;
  readonly currentMean?: number;
  /** Set when the feature drifted (from its baseline_drift_check violation). */
  readonly distance?: number;
  readonly threshold?: number;
  readonly violations: readonly Violation[];
}

export interface DriftCheckResult {
  readonly status: string;
  readonly failureReason?: string;
  readonly processingJobArn?: string;
  readonly reportS3Uri?: string;
  readonly violations: readonly Violation[];
  readonly features: readonly FeatureDrift[];
}

const TERMINAL = new Set(['Completed', 'CompletedWithViolations', 'Failed', 'Stopped']);
const DRIFT = /^Baseline drift distance: ([\d.eE+-]+) exceeds threshold: ([\d.eE+-]+)$/;

/**
 * A drift check of an endpoint's recent capture: a one-time (`NOW`) monitoring schedule over the last
 * hours against the baseline, followed to its end, its reports read back per feature. The schedule is
 * removed afterwards. Works on AWS (Model Monitor) and on the local AWS alike.
 */
export async function runDriftCheck(options: DriftCheckOptions): Promise<DriftCheckResult> {
  const name = `${options.endpointName}-drift-${Date.now().toString(36)}`.slice(0, 63);
  const hours = options.windowHours ?? 1;
  if (!Number.isInteger(hours) || hours < 1 || hours > 24)
    throw new Error(`windowHours must be a whole number of hours from 1 to 24; got ${hours}`);
  options.progress?.(
    `drift check ${name}: ${options.endpointName}'s capture of the last ${hours} h against the baseline`,
  );
  await options.sagemaker.send(
    new CreateMonitoringScheduleCommand({
      MonitoringScheduleName: name,
      MonitoringScheduleConfig: {
        ScheduleConfig: {
          ScheduleExpression: 'NOW',
          DataAnalysisStartTime: `-PT${hours}H`,
          DataAnalysisEndTime: '-PT0H',
        },
        MonitoringJobDefinition: {
          BaselineConfig: {
            ConstraintsResource: { S3Uri: options.baseline.constraints },
            StatisticsResource: { S3Uri: options.baseline.statistics },
          },
          MonitoringInputs: [
            {
              EndpointInput: {
                EndpointName: options.endpointName,
                LocalPath: '/opt/ml/processing/input/endpoint',
              },
            },
          ],
          MonitoringOutputConfig: {
            MonitoringOutputs: [
              { S3Output: { S3Uri: options.outputS3Uri, LocalPath: '/opt/ml/processing/output' } },
            ],
          },
          MonitoringResources: {
            ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 20 },
          },
          MonitoringAppSpecification: { ImageUri: options.imageUri },
          RoleArn: options.roleArn,
        },
      },
    }),
  );
  try {
    const execution = await waitForExecution(options, name);
    return await readResult(options, execution);
  } finally {
    await options.sagemaker.send(new DeleteMonitoringScheduleCommand({ MonitoringScheduleName: name }));
  }
}

async function waitForExecution(
  options: DriftCheckOptions,
  schedule: string,
): Promise<MonitoringExecutionSummary> {
  const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
  let last = '';
  for (;;) {
    const { MonitoringExecutionSummaries: found = [] } = await options.sagemaker.send(
      new ListMonitoringExecutionsCommand({ MonitoringScheduleName: schedule }),
    );
    const execution = found[0];
    const status = execution?.MonitoringExecutionStatus ?? 'Pending';
    if (status !== last) options.progress?.(`drift check ${schedule}: ${status}`);
    last = status;
    if (execution && TERMINAL.has(status)) return execution;
    if (Date.now() > deadline)
      throw new Error(`drift check ${schedule} did not finish in time (last status ${status})`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 2000));
  }
}

async function readResult(
  options: DriftCheckOptions,
  execution: MonitoringExecutionSummary,
): Promise<DriftCheckResult> {
  const status = execution.MonitoringExecutionStatus ?? 'Failed';
  const base = {
    status,
    ...(execution.FailureReason ? { failureReason: execution.FailureReason } : {}),
    ...(execution.ProcessingJobArn ? { processingJobArn: execution.ProcessingJobArn } : {}),
  };
  if (!status.startsWith('Completed') || !execution.ProcessingJobArn)
    return { ...base, violations: [], features: [] };
  const job = await options.sagemaker.send(
    new DescribeProcessingJobCommand({ ProcessingJobName: execution.ProcessingJobArn.split('/').pop() }),
  );
  const report = job.ProcessingOutputConfig?.Outputs?.[0]?.S3Output?.S3Uri ?? '';
  const json = async <T>(uri: string) => JSON.parse(await readS3Text(options.s3, uri)) as T;
  const [current, baseline, { violations }] = await Promise.all([
    json<Statistics>(`${report}/statistics.json`),
    json<Statistics>(options.baseline.statistics),
    json<ConstraintViolations>(`${report}/constraint_violations.json`),
  ]);
  return { ...base, reportS3Uri: report, violations, features: featureDrift(baseline, current, violations) };
}

/** One row per baseline feature: means before and now, the drift distance when it was exceeded, its violations. */
export function featureDrift(
  baseline: Statistics,
  current: Statistics,
  violations: readonly Violation[],
): FeatureDrift[] {
  const mean = (statistics: Statistics, name: string) =>
    statistics.features.find((feature) => feature.name === name)?.numerical_statistics?.mean;
  return baseline.features.map((feature) => {
    const own = violations.filter((violation) => violation.feature_name === feature.name);
    const drift = own.map((violation) => DRIFT.exec(violation.description)).find(Boolean);
    const baselineMean = mean(baseline, feature.name);
    const currentMean = mean(current, feature.name);
    return {
      name: feature.name,
      ...(baselineMean === undefined ? {} : { baselineMean }),
      ...(currentMean === undefined ? {} : { currentMean }),
      ...(drift ? { distance: Number(drift[1]), threshold: Number(drift[2]) } : {}),
      violations: own,
    };
  });
}
