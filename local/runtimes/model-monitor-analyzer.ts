import * as path from 'node:path';

import type { ObjectStoreApi } from '../core/deps';
import { isRecord } from '../engine/definition';
import { JobFailure, type JobContext, type JobDetails } from './job-runtime';
import { runPythonProcessing } from './python-processing';
import { parseS3Uri } from './s3-staging';

/** The analyzer both this runtime and the pipeline's baseline step run (one analyzer, everywhere). */
export const ANALYZER_SCRIPT = path.resolve(__dirname, '../../pipeline/scripts/monitor/analyzer.py');

/** `.../yyyy/mm/dd/hh/{mm}-{ss}-{mmm}-{uuid}.jsonl`: the capture time in a data-capture key. */
const CAPTURE_KEY = /(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})\/(\d{2})-(\d{2})-(\d{3})-[^/]+\.jsonl$/;

interface S3Input {
  readonly S3Uri: string;
  readonly LocalPath: string;
}

/**
 * The `sagemaker-model-monitor-analyzer` image: the container's contract (its environment variables,
 * captured data under dataset_source, results in output_path, the exit message) run by
 * pipeline/scripts/monitor/analyzer.py. As the service does, only captured files whose capture time lies in
 * [start_time, end_time) are staged; a window with none fails with the prefix and the window in the reason.
 * Without a capture dataset_format (a baselining job) the inputs are staged as they are.
 */
export async function runModelMonitorAnalyzer(context: JobContext): Promise<JobDetails> {
  const app = (context.request.AppSpecification ?? {}) as Record<string, unknown>;
  const custom = ['ContainerEntrypoint', 'ContainerArguments'].filter((member) => app[member] !== undefined);
  if (custom.length > 0) {
    throw new JobFailure(
      'ClientError',
      `AppSpecification.${custom.join(' and ')} cannot be set for the model monitor analyzer image; its entrypoint is fixed (use a scikit-learn image to run your own script)`,
    );
  }
  const environment = isRecord(context.request.Environment) ? context.request.Environment : {};
  const inputs = Array.isArray(context.request.ProcessingInputs) ? context.request.ProcessingInputs : [];
  const source = capturedDataSource(environment);
  const captured = source === undefined ? [] : inputs.filter((input) => underFolder(input, source));
  for (const input of captured) {
    await stageWindow(context, (input as { S3Input: S3Input }).S3Input, windowOf(environment));
  }
  return runPythonProcessing({
    ...context,
    request: {
      ...context.request,
      AppSpecification: { ...app, ContainerEntrypoint: ['python3', ANALYZER_SCRIPT] },
      ProcessingInputs: inputs.filter((input) => !captured.includes(input)),
    },
  });
}

/** dataset_source when the job analyses captured traffic (dataset_format sagemakerCaptureJson). */
function capturedDataSource(environment: Record<string, unknown>): string | undefined {
  const format = String(environment.dataset_format ?? '');
  return format.includes('sagemakerCaptureJson') ? String(environment.dataset_source ?? '') : undefined;
}

function underFolder(input: unknown, folder: string): boolean {
  const s3 = isRecord(input) && isRecord(input.S3Input) ? input.S3Input : undefined;
  const local = typeof s3?.LocalPath === 'string' ? path.posix.normalize(s3.LocalPath) : '';
  const root = path.posix.normalize(folder).replace(/\/+$/, '');
  return local === root || local.startsWith(`${root}/`);
}

interface Window {
  readonly start?: Date;
  readonly end?: Date;
  readonly text: string;
}

function windowOf(environment: Record<string, unknown>): Window {
  const parse = (name: string): Date | undefined => {
    const value = environment[name];
    if (value === undefined) return undefined;
    const time = new Date(String(value));
    if (Number.isNaN(time.getTime()))
      throw new JobFailure('ClientError', `Environment ${name} '${String(value)}' is not an ISO 8601 time`);
    return time;
  };
  const start = parse('start_time');
  const end = parse('end_time');
  return {
    ...(start ? { start } : {}),
    ...(end ? { end } : {}),
    text: `${start?.toISOString() ?? 'the beginning'} to ${end?.toISOString() ?? 'now'}`,
  };
}

/** Copies the captured files of the window under the input's LocalPath, keeping their relative paths. */
async function stageWindow(context: JobContext, input: S3Input, window: Window): Promise<void> {
  const { bucket, key } = parseS3Uri(input.S3Uri, 'the endpoint input');
  const prefix = key === '' || key.endsWith('/') ? key : `${key}/`;
  const files = capturedFiles(context.objects, bucket, prefix, window);
  if (files.length === 0) {
    throw new JobFailure(
      'ClientError',
      `No captured data to analyse: no data-capture file under s3://${bucket}/${prefix} has a capture time from ${window.text} (the monitoring window). Check that the endpoint has DataCaptureConfig enabled with that destination, that it received traffic in the window, and the schedule's DataAnalysisStartTime/DataAnalysisEndTime.`,
    );
  }
  const folder = context.directory.hostPath(input.LocalPath);
  await Promise.all(
    files.map((file) =>
      context.objects.downloadTo({
        bucket,
        key: file,
        file: path.join(folder, ...file.slice(prefix.length).split('/')),
      }),
    ),
  );
  context.log.note(
    `staged ${files.length} captured file(s) from s3://${bucket}/${prefix} (${window.text}) at ${input.LocalPath}`,
  );
}

function capturedFiles(objects: ObjectStoreApi, bucket: string, prefix: string, window: Window): string[] {
  if (!objects.bucketExists(bucket)) return [];
  return objects
    .listAll(bucket, prefix)
    .map((object) => object.key)
    .filter((key) => {
      const time = captureTime(key);
      if (!time) return false;
      return (!window.start || time >= window.start) && (!window.end || time < window.end);
    });
}

/** The capture time a data-capture key names (UTC), or undefined for other keys. */
export function captureTime(key: string): Date | undefined {
  const match = CAPTURE_KEY.exec(key);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second, millis] = match.slice(1).map(Number) as number[];
  return new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second!, millis!));
}
