import type { MonitoringJobDefinition, MonitoringScheduleConfig } from '@aws-sdk/client-sagemaker';

import { validationError } from '../../../core/errors';
import type { JobDefinitionRecord } from './job-definitions';

/** What one monitoring run needs, whether the schedule names a job definition or carries one inline. */
export interface MonitoringJob {
  readonly definitionName?: string;
  readonly imageUri: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly endpointName: string;
  /** Where the container sees the captured data (EndpointInput.LocalPath). */
  readonly endpointLocalPath: string;
  readonly outputS3Uri: string;
  readonly outputLocalPath: string;
  readonly constraintsS3Uri?: string;
  readonly statisticsS3Uri?: string;
  readonly roleArn: string;
  readonly clusterConfig: unknown;
  readonly maxRuntimeSeconds: number;
  readonly networkConfig?: unknown;
}

const DEFAULT_MAX_RUNTIME_SECONDS = 3600;
const DEFAULT_ENDPOINT_PATH = '/opt/ml/processing/input/endpoint';
const DEFAULT_OUTPUT_PATH = '/opt/ml/processing/output';

/** The job of a schedule config: its named DataQuality job definition (`find`), or its inline definition. */
export function monitoringJobOf(
  config: MonitoringScheduleConfig,
  find: (name: string) => JobDefinitionRecord | undefined,
): MonitoringJob {
  const name = config.MonitoringJobDefinitionName;
  if (name !== undefined) {
    if (config.MonitoringType !== undefined && config.MonitoringType !== 'DataQuality') {
      throw validationError(
        `MonitoringType ${config.MonitoringType} is not supported by the local AWS; it runs DataQuality monitoring`,
      );
    }
    const definition = find(name);
    if (!definition) {
      throw validationError(
        `Job definition with name ${name} and type DataQuality does not exist. Create it with CreateDataQualityJobDefinition, or name an existing one in MonitoringScheduleConfig.MonitoringJobDefinitionName.`,
      );
    }
    return fromDefinition(definition);
  }
  if (!config.MonitoringJobDefinition) {
    throw validationError(
      'MonitoringScheduleConfig needs MonitoringJobDefinitionName (with MonitoringType DataQuality) or an inline MonitoringJobDefinition',
    );
  }
  return fromInline(config.MonitoringJobDefinition);
}

function fromDefinition(definition: JobDefinitionRecord): MonitoringJob {
  const endpoint = definition.DataQualityJobInput?.EndpointInput;
  const output = definition.DataQualityJobOutputConfig?.MonitoringOutputs?.[0]?.S3Output;
  const baseline = definition.DataQualityBaselineConfig;
  return withOptional({
    definitionName: definition.JobDefinitionName,
    imageUri: definition.DataQualityAppSpecification?.ImageUri ?? '',
    environment: definition.DataQualityAppSpecification?.Environment ?? {},
    endpointName: endpoint?.EndpointName ?? '',
    endpointLocalPath: endpoint?.LocalPath ?? DEFAULT_ENDPOINT_PATH,
    outputS3Uri: output?.S3Uri ?? '',
    outputLocalPath: output?.LocalPath ?? DEFAULT_OUTPUT_PATH,
    constraintsS3Uri: baseline?.ConstraintsResource?.S3Uri,
    statisticsS3Uri: baseline?.StatisticsResource?.S3Uri,
    roleArn: definition.RoleArn ?? '',
    clusterConfig: definition.JobResources?.ClusterConfig,
    maxRuntimeSeconds: definition.StoppingCondition?.MaxRuntimeInSeconds ?? DEFAULT_MAX_RUNTIME_SECONDS,
    networkConfig: definition.NetworkConfig,
  });
}

function fromInline(definition: MonitoringJobDefinition): MonitoringJob {
  const endpoint = definition.MonitoringInputs?.[0]?.EndpointInput;
  const output = definition.MonitoringOutputConfig?.MonitoringOutputs?.[0]?.S3Output;
  if (!endpoint?.EndpointName) {
    throw validationError(
      'MonitoringJobDefinition.MonitoringInputs[0].EndpointInput.EndpointName is required locally (the local AWS monitors endpoint capture)',
    );
  }
  if (!output?.S3Uri)
    throw validationError(
      'MonitoringJobDefinition.MonitoringOutputConfig.MonitoringOutputs[0].S3Output.S3Uri is required',
    );
  return withOptional({
    imageUri: definition.MonitoringAppSpecification?.ImageUri ?? '',
    environment: definition.Environment ?? {},
    endpointName: endpoint.EndpointName,
    endpointLocalPath: endpoint.LocalPath ?? DEFAULT_ENDPOINT_PATH,
    outputS3Uri: output.S3Uri,
    outputLocalPath: output.LocalPath ?? DEFAULT_OUTPUT_PATH,
    constraintsS3Uri: definition.BaselineConfig?.ConstraintsResource?.S3Uri,
    statisticsS3Uri: definition.BaselineConfig?.StatisticsResource?.S3Uri,
    roleArn: definition.RoleArn ?? '',
    clusterConfig: definition.MonitoringResources?.ClusterConfig,
    maxRuntimeSeconds: definition.StoppingCondition?.MaxRuntimeInSeconds ?? DEFAULT_MAX_RUNTIME_SECONDS,
    networkConfig: definition.NetworkConfig,
  });
}

/** Drops members whose value is undefined (exactOptionalPropertyTypes). */
function withOptional(job: { [K in keyof MonitoringJob]: MonitoringJob[K] | undefined }): MonitoringJob {
  return Object.fromEntries(
    Object.entries(job).filter(([, value]) => value !== undefined),
  ) as unknown as MonitoringJob;
}

/**
 * The CreateProcessingJob request of one monitoring run, laid out as Model Monitor lays it out: the
 * endpoint's capture under EndpointInput.LocalPath/<endpoint>, the baseline files, results uploaded to
 * `<output>/<endpoint>/<schedule>/yyyy/mm/dd/hh`, and the analyzer container's environment.
 */
export function processingRequest(options: {
  readonly job: MonitoringJob;
  readonly jobName: string;
  readonly scheduleName: string;
  readonly captureS3Uri: string;
  readonly scheduled: Date;
  readonly window: { readonly start: Date; readonly end: Date };
}): Record<string, unknown> {
  const { job, scheduled, window } = options;
  const hour = scheduled.toISOString().slice(0, 13).replace(/[-T]/g, '/');
  const input = (name: string, uri: string, localPath: string) => ({
    InputName: name,
    S3Input: {
      S3Uri: uri,
      LocalPath: localPath,
      S3DataType: 'S3Prefix',
      S3InputMode: 'File',
      S3DataDistributionType: 'FullyReplicated',
    },
  });
  const baseline = [
    ...(job.constraintsS3Uri
      ? [input('baseline', job.constraintsS3Uri, '/opt/ml/processing/baseline/constraints')]
      : []),
    ...(job.statisticsS3Uri
      ? [input('baseline_statistics', job.statisticsS3Uri, '/opt/ml/processing/baseline/stats')]
      : []),
  ];
  return {
    ProcessingJobName: options.jobName,
    ProcessingInputs: [
      input(
        'endpoint_input_1',
        `${options.captureS3Uri.replace(/\/+$/, '')}/${job.endpointName}`,
        `${job.endpointLocalPath}/${job.endpointName}`,
      ),
      ...baseline,
    ],
    ProcessingOutputConfig: {
      Outputs: [
        {
          OutputName: 'result',
          S3Output: {
            S3Uri: `${job.outputS3Uri.replace(/\/+$/, '')}/${job.endpointName}/${options.scheduleName}/${hour}`,
            LocalPath: job.outputLocalPath,
            S3UploadMode: 'EndOfJob',
          },
        },
      ],
    },
    ProcessingResources: { ClusterConfig: job.clusterConfig },
    StoppingCondition: { MaxRuntimeInSeconds: job.maxRuntimeSeconds },
    AppSpecification: { ImageUri: job.imageUri },
    Environment: {
      dataset_format: JSON.stringify({ sagemakerCaptureJson: { captureIndexNames: ['endpointInput'] } }),
      dataset_source: job.endpointLocalPath,
      output_path: job.outputLocalPath,
      publish_cloudwatch_metrics: 'Enabled',
      sagemaker_endpoint_name: job.endpointName,
      sagemaker_monitoring_schedule_name: options.scheduleName,
      start_time: isoSeconds(window.start),
      end_time: isoSeconds(window.end),
      metric_time: isoSeconds(scheduled),
      ...(job.constraintsS3Uri
        ? {
            baseline_constraints: `/opt/ml/processing/baseline/constraints/${baseName(job.constraintsS3Uri)}`,
          }
        : {}),
      ...(job.statisticsS3Uri
        ? { baseline_statistics: `/opt/ml/processing/baseline/stats/${baseName(job.statisticsS3Uri)}` }
        : {}),
      ...job.environment,
    },
    RoleArn: job.roleArn,
    ...(job.networkConfig ? { NetworkConfig: job.networkConfig } : {}),
  };
}

const baseName = (uri: string): string => uri.split('/').pop() ?? uri;

/** `2026-12-05T08:00:00Z`: the container's time format. */
export function isoSeconds(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
