import { randomUUID } from 'node:crypto';

import * as core from '@actions/core';

import { diffDefinitions } from '../../../pipeline/diff';
import {
  readRunContext,
  runDescription,
  runDisplayName,
  runTags,
  type RunContext,
} from '../../github/context';
import { uploadMissingAssets, type AssetUploadResult } from '../../pipeline/assets';
import { createPipelineClients } from '../../pipeline/clients';
import { deriveClientRequestToken, startExecution } from '../../pipeline/start';
import { upsertPipeline, type UpsertResult } from '../../pipeline/upsert';
import { inlineCode } from '../../report/markdown';
import {
  renderDefinitionComment,
  renderUpsertSummary,
  type DefinitionComparison,
} from '../../report/upsert-summary';
import { actionReporter } from '../action-reporter';
import { actionClientOptions, runAction, setOutputs, writeSummary } from '../action-runtime';
import { Inputs } from '../inputs';
import { updatePrComment } from '../pr-comment';
import { readUpsertInputs, type UpsertInputs } from './inputs';

/** upsert-sagemaker-pipeline: validate, upload missing assets, create or update the pipeline, start an execution. */
export function run(): Promise<void> {
  return runAction(async () => {
    const inputs = readUpsertInputs(new Inputs((name) => core.getInput(name)));
    const context = readRunContext();
    const clients = createPipelineClients(actionClientOptions('upsert-sagemaker-pipeline'));
    const reporter = actionReporter;
    let assets: AssetUploadResult | undefined;
    if (inputs.assetsManifest) {
      assets = await uploadMissingAssets(
        clients,
        { manifest: inputs.assetsManifest, root: process.cwd() },
        reporter,
      );
    }
    const userTags = new Set(inputs.tags.map((tag) => tag.Key));
    const tags = [...inputs.tags, ...runTags(context).filter((tag) => !userTags.has(tag.Key))];
    const upsert = await upsertPipeline(
      clients,
      {
        pipelineName: inputs.pipelineName,
        definition: inputs.definition,
        roleArn: inputs.roleArn,
        ...(inputs.description !== undefined ? { description: inputs.description } : {}),
        ...(inputs.displayName !== undefined ? { displayName: inputs.displayName } : {}),
        ...(inputs.maxParallelSteps !== undefined ? { maxParallelSteps: inputs.maxParallelSteps } : {}),
        tags,
      },
      reporter,
    );
    setOutputs({ 'pipeline-arn': upsert.pipelineArn, changed: upsert.changed });
    let executionArn: string | undefined;
    if (inputs.startExecution) {
      const displayName = inputs.executionDisplayName ?? runDisplayName(context);
      const token =
        inputs.clientRequestToken ??
        deriveClientRequestToken(context, {
          pipelineName: inputs.pipelineName,
          parameters: inputs.executionParameters,
          ...(displayName ? { displayName } : {}),
        });
      const description = runDescription(context);
      ({ executionArn } = await startExecution(
        clients,
        {
          pipelineName: inputs.pipelineName,
          parameters: inputs.executionParameters,
          ...(displayName ? { displayName } : {}),
          ...(description ? { description } : {}),
          // Outside GitHub (no run id) every run starts its own execution.
          clientRequestToken: token ?? `local-${randomUUID()}`,
          ...(inputs.maxParallelSteps !== undefined ? { maxParallelSteps: inputs.maxParallelSteps } : {}),
          tags: runTags(context),
        },
        reporter,
      ));
      setOutputs({ 'execution-arn': executionArn });
    }
    const comparison = definitionComparison(inputs, upsert, context);
    await writeSummary(
      renderUpsertSummary({
        pipelineName: inputs.pipelineName,
        definition: inputs.definition,
        upsert,
        ...(executionArn ? { executionArn } : {}),
        ...(assets ? { assets } : {}),
        ...(comparison ? { comparison } : {}),
      }),
    );
    // Written on every run, so a comparison from an earlier push never lingers in the comment.
    await updatePrComment(
      inputs.prComment,
      {
        section: 'upsert-sagemaker-pipeline',
        content: renderDefinitionComment({
          pipelineName: inputs.pipelineName,
          upsert,
          ...(comparison ? { comparison } : {}),
        }),
        context,
      },
      reporter,
    );
  });
}

/** Against the given base definition when there is one, else against the deployed one when it changed. */
function definitionComparison(
  inputs: UpsertInputs,
  upsert: UpsertResult,
  context: RunContext,
): DefinitionComparison | undefined {
  if (inputs.baseDefinition) {
    return {
      against: context.base
        ? `the base branch ${inlineCode(context.base.ref)} (${inlineCode(context.base.sha.slice(0, 12))})`
        : inlineCode(inputs.baseDefinition.file),
      diff: diffDefinitions(inputs.baseDefinition.definition, inputs.definition),
    };
  }
  if (upsert.previousDefinition === undefined || !upsert.changed) return undefined;
  return {
    against: 'the deployed pipeline',
    diff: diffDefinitions(upsert.previousDefinition, inputs.definition),
  };
}
