import { isRecord, type PropertyFile } from '../definition';
import type { JobKind } from '../deps';
import { StepFailure, type StepHandler } from './types';

const NAME_MEMBER: Record<JobKind, string> = {
  Processing: 'ProcessingJobName',
  Training: 'TrainingJobName',
  Transform: 'TransformJobName',
};

const METADATA_MEMBER: Record<JobKind, string> = {
  Processing: 'ProcessingJob',
  Training: 'TrainingJob',
  Transform: 'TransformJob',
};

/** Processing, Training and Transform steps: create the job under a service-style name and wait for its end. */
export function jobStep(kind: JobKind): StepHandler {
  return async (context) => {
    const name = context.resourceName;
    const args = isRecord(context.args) ? context.args : {};
    const outcome = await context.deps.runJob({
      kind,
      name,
      request: { ...args, [NAME_MEMBER[kind]]: name },
      signal: context.signal,
      onCreated: (arn) => context.reportMetadata({ [METADATA_MEMBER[kind]]: { Arn: arn } }),
    });
    const metadata = { [METADATA_MEMBER[kind]]: { Arn: outcome.arn } };
    if (outcome.status !== 'Completed') {
      throw new StepFailure(outcome.failureReason ?? `${kind} job ${name} ended ${outcome.status}`, {
        metadata,
        ...(outcome.exceptionType ? { exceptionType: outcome.exceptionType } : {}),
      });
    }
    const properties =
      kind === 'Processing'
        ? withPropertyFiles(outcome.description, context.step.PropertyFiles ?? [])
        : outcome.description;
    return { metadata, properties };
  };
}

/** Adds `PropertyFiles.<name>.S3Uri` (`<output S3Uri>/<FilePath>`) for Std:JsonGet to read. */
function withPropertyFiles(
  description: Record<string, unknown>,
  files: readonly PropertyFile[],
): Record<string, unknown> {
  const outputs = (description.ProcessingOutputConfig as { Outputs?: unknown[] } | undefined)?.Outputs ?? [];
  const entries = files.map((file) => {
    const output = outputs.find(
      (candidate) => isRecord(candidate) && candidate.OutputName === file.OutputName,
    );
    const uri = isRecord(output) && isRecord(output.S3Output) ? output.S3Output.S3Uri : undefined;
    if (typeof uri !== 'string') {
      throw new StepFailure(
        `PropertyFile ${file.PropertyFileName} names output ${file.OutputName}, which the processing job does not have`,
      );
    }
    return [
      file.PropertyFileName,
      { ...file, S3Uri: `${uri.replace(/\/+$/, '')}/${file.FilePath}` },
    ] as const;
  });
  return { ...description, PropertyFiles: Object.fromEntries(entries) };
}
