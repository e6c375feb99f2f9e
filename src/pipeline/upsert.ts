import {
  AddTagsCommand,
  CreatePipelineCommand,
  DescribePipelineCommand,
  UpdatePipelineCommand,
  type DescribePipelineCommandOutput,
} from '@aws-sdk/client-sagemaker';

import type { Tag } from '../github/context';
import type { Reporter } from '../report/reporter';
import { canonicalJson } from './canonical-json';
import type { PipelineClients } from './clients';

export interface UpsertOptions {
  readonly pipelineName: string;
  /** The parsed definition (validated by the caller). */
  readonly definition: unknown;
  readonly roleArn: string;
  /** Compared and set only when given. */
  readonly description?: string;
  readonly displayName?: string;
  readonly maxParallelSteps?: number;
  readonly tags: readonly Tag[];
}

export interface UpsertResult {
  readonly pipelineArn: string;
  readonly created: boolean;
  /** True when the pipeline was created or updated. */
  readonly changed: boolean;
  /** What differed from the existing pipeline (definition, role, description...). */
  readonly differences: readonly string[];
  /** The definition before an update, for the diff in the summary. */
  readonly previousDefinition?: unknown;
}

/**
 * Creates the pipeline, or updates it only when the definition (compared as JSON, key order ignored),
 * role, description, display name or parallelism differ from what is deployed; otherwise nothing
 * changes and `changed` is false.
 */
export async function upsertPipeline(
  clients: PipelineClients,
  options: UpsertOptions,
  reporter: Reporter,
): Promise<UpsertResult> {
  const existing = await describePipeline(clients, options.pipelineName);
  const definitionText = JSON.stringify(options.definition);
  const settings = {
    PipelineName: options.pipelineName,
    PipelineDefinition: definitionText,
    RoleArn: options.roleArn,
    ...(options.description !== undefined ? { PipelineDescription: options.description } : {}),
    ...(options.displayName !== undefined ? { PipelineDisplayName: options.displayName } : {}),
    ...(options.maxParallelSteps !== undefined
      ? { ParallelismConfiguration: { MaxParallelExecutionSteps: options.maxParallelSteps } }
      : {}),
  };
  if (!existing) {
    const created = await clients.sagemaker.send(
      new CreatePipelineCommand({
        ...settings,
        ...(options.tags.length > 0 ? { Tags: [...options.tags] } : {}),
      }),
    );
    reporter.info(`Created pipeline ${options.pipelineName}`);
    return { pipelineArn: created.PipelineArn ?? '', created: true, changed: true, differences: ['created'] };
  }
  const pipelineArn = existing.PipelineArn ?? '';
  const differences = pipelineDifferences(existing, options);
  if (differences.length === 0) {
    reporter.info(`Pipeline ${options.pipelineName} is up to date (definition, role and settings unchanged)`);
    return { pipelineArn, created: false, changed: false, differences };
  }
  await clients.sagemaker.send(new UpdatePipelineCommand(settings));
  if (options.tags.length > 0)
    await clients.sagemaker.send(new AddTagsCommand({ ResourceArn: pipelineArn, Tags: [...options.tags] }));
  reporter.info(`Updated pipeline ${options.pipelineName}: ${differences.join(', ')} changed`);
  return {
    pipelineArn,
    created: false,
    changed: true,
    differences,
    ...(existing.PipelineDefinition
      ? { previousDefinition: JSON.parse(existing.PipelineDefinition) as unknown }
      : {}),
  };
}

async function describePipeline(
  clients: PipelineClients,
  name: string,
): Promise<DescribePipelineCommandOutput | undefined> {
  try {
    return await clients.sagemaker.send(new DescribePipelineCommand({ PipelineName: name }));
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFound') return undefined;
    throw error;
  }
}

function pipelineDifferences(existing: DescribePipelineCommandOutput, options: UpsertOptions): string[] {
  const differences: string[] = [];
  const deployed = existing.PipelineDefinition ? canonicalJson(JSON.parse(existing.PipelineDefinition)) : '';
  if (deployed !== canonicalJson(options.definition)) differences.push('definition');
  if (existing.RoleArn !== options.roleArn) differences.push('role');
  if (options.description !== undefined && (existing.PipelineDescription ?? '') !== options.description)
    differences.push('description');
  if (options.displayName !== undefined && (existing.PipelineDisplayName ?? '') !== options.displayName)
    differences.push('display name');
  if (
    options.maxParallelSteps !== undefined &&
    existing.ParallelismConfiguration?.MaxParallelExecutionSteps !== options.maxParallelSteps
  ) {
    differences.push('max parallel steps');
  }
  return differences;
}
