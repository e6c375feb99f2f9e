import * as fs from 'node:fs';
import * as path from 'node:path';

import { isRecord } from '../engine/definition';
import { writeFileAtomic } from '../state/store';
import { CONTAINER_OPT_ML } from './job-directory';
import { pythonEnvironment } from './python';
import { JobFailure, JobStopped, type JobContext, type JobDetails } from './job-runtime';
import { runSandboxed } from './sandbox';
import { downloadS3Prefix, uploadFolder } from './s3-staging';

const PROCESSING_ROOT = `${CONTAINER_OPT_ML}/processing/`;
const EXIT_MESSAGE_BYTES = 1024;

interface S3Input {
  readonly S3Uri: string;
  readonly LocalPath: string;
  readonly S3DataType?: string;
}

interface S3Output {
  readonly S3Uri: string;
  readonly LocalPath: string;
}

/**
 * A processing job on a Python framework image (scikit-learn, or XGBoost in script mode): inputs staged
 * from S3 under /opt/ml/processing, ContainerEntrypoint + ContainerArguments run with the local Python,
 * outputs uploaded at the end, `/opt/ml/output/message` as the ExitMessage.
 */
export async function runPythonProcessing(context: JobContext): Promise<JobDetails> {
  const { request, directory, log } = context;
  const app = (request.AppSpecification ?? {}) as {
    ContainerEntrypoint?: string[];
    ContainerArguments?: string[];
  };
  if (!app.ContainerEntrypoint?.length) {
    throw new JobFailure(
      'ClientError',
      'AppSpecification.ContainerEntrypoint is required: the local runtime has no image default entrypoint (e.g. ["python3", "/opt/ml/processing/input/code/script.py"])',
    );
  }
  writeFileAtomic(
    directory.hostPath(`${CONTAINER_OPT_ML}/config/processingjobconfig.json`),
    JSON.stringify(request, null, 2),
  );
  fs.mkdirSync(directory.hostPath(`${CONTAINER_OPT_ML}/output`), { recursive: true });
  await stageInputs(context);
  const outputs = processingOutputs(request);
  for (const output of outputs) fs.mkdirSync(directory.hostPath(output.LocalPath), { recursive: true });

  const command = [...app.ContainerEntrypoint, ...(app.ContainerArguments ?? [])].map((arg, index) =>
    index === 0 && /^python3?$/.test(arg) ? context.python : arg,
  );
  log.note(`running ${command.join(' ')}`);
  const result = await runSandboxed({
    command,
    env: containerEnv(context, request.Environment),
    directory,
    log,
    signal: context.signal,
  });
  log.note(`the process ended (${result.signal ?? `exit code ${result.exitCode}`}) after ${result.ms} ms`);
  const exitMessage = readExitMessage(directory.hostPath(`${CONTAINER_OPT_ML}/output/message`));
  const details: JobDetails = exitMessage ? { ExitMessage: exitMessage } : {};
  if (result.stopped) throw new JobStopped(`processing job ${context.name} was stopped`, details);
  if (result.signal) {
    throw new JobFailure('InternalServerError', `the job's process was killed by ${result.signal}`, details);
  }
  if (result.exitCode !== 0) {
    throw new JobFailure(
      'AlgorithmError',
      algorithmErrorMessage(exitMessage, result.exitCode, log.stderrTail()),
      details,
    );
  }
  for (const output of outputs) {
    const count = await uploadFolder(
      context.objects,
      directory.hostPath(output.LocalPath),
      output.S3Uri,
      `output ${output.LocalPath}`,
    );
    log.note(`uploaded ${count} file(s) from ${output.LocalPath} to ${output.S3Uri}`);
  }
  return details;
}

async function stageInputs(context: JobContext): Promise<void> {
  const inputs = Array.isArray(context.request.ProcessingInputs) ? context.request.ProcessingInputs : [];
  for (const input of inputs) {
    const name = isRecord(input) ? String(input.InputName ?? '') : '';
    const s3 = isRecord(input) ? (input.S3Input as S3Input | undefined) : undefined;
    if (!s3) {
      throw new JobFailure(
        'ClientError',
        `processing input ${name} has no S3Input; the local AWS stages S3 inputs only`,
      );
    }
    checkProcessingPath(s3.LocalPath, `processing input ${name}`);
    if (s3.S3DataType === 'ManifestFile') {
      throw new JobFailure(
        'ClientError',
        `processing input ${name}: S3DataType ManifestFile is not supported by the local AWS; use S3Prefix`,
      );
    }
    const count = await downloadS3Prefix(
      context.objects,
      s3.S3Uri,
      context.directory.hostPath(s3.LocalPath),
      `processing input ${name}`,
    );
    context.log.note(`staged ${count} file(s) from ${s3.S3Uri} at ${s3.LocalPath}`);
  }
}

function processingOutputs(request: Record<string, unknown>): S3Output[] {
  const config = request.ProcessingOutputConfig as
    { Outputs?: { OutputName?: string; S3Output?: S3Output }[] } | undefined;
  return (config?.Outputs ?? []).map((output) => {
    if (!output.S3Output) {
      throw new JobFailure(
        'ClientError',
        `processing output ${output.OutputName ?? ''} has no S3Output; the local AWS supports S3 outputs only`,
      );
    }
    checkProcessingPath(output.S3Output.LocalPath, `processing output ${output.OutputName ?? ''}`);
    return output.S3Output;
  });
}

function checkProcessingPath(localPath: string, field: string): void {
  const normalized = path.posix.normalize(localPath ?? '');
  if (!normalized.startsWith(PROCESSING_ROOT)) {
    throw new JobFailure(
      'ClientError',
      `${field}: LocalPath '${localPath}' must start with ${PROCESSING_ROOT}`,
    );
  }
}

/**
 * The environment a job process sees: the request's Environment over a minimal base. HOME and TMPDIR point
 * into the job folder so caches and temp files stay in the state directory; PYTHONUSERBASE keeps the
 * user's site-packages importable.
 */
export function containerEnv(context: JobContext, environment: unknown): Record<string, string> {
  const requested = isRecord(environment)
    ? Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, String(v)]))
    : {};
  return {
    ...pythonEnvironment(context.env),
    HOME: context.directory.tmp,
    TMPDIR: context.directory.tmp,
    ...requested,
  };
}

export function readExitMessage(file: string): string | undefined {
  try {
    const text = fs.readFileSync(file).subarray(0, EXIT_MESSAGE_BYTES).toString('utf8').trim();
    return text || undefined;
  } catch {
    return undefined;
  }
}

export function algorithmErrorMessage(
  message: string | undefined,
  exitCode: number | null,
  stderrTail: string,
): string {
  const head = message ?? 'See job logs for more information';
  return `${head} (exit code ${exitCode ?? 'unknown'})${stderrTail ? `. End of stderr:\n${stderrTail}` : ''}`;
}
