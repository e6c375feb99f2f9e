import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';

import type {
  CreateStackInput,
  CreateStackOutput,
  DeleteStackInput,
  DescribeStackEventsInput,
  DescribeStackEventsOutput,
  DescribeStackResourceInput,
  DescribeStackResourceOutput,
  DescribeStackResourcesInput,
  DescribeStackResourcesOutput,
  DescribeStacksInput,
  DescribeStacksOutput,
  GetTemplateInput,
  GetTemplateOutput,
  GetTemplateSummaryInput,
  GetTemplateSummaryOutput,
  ListExportsInput,
  ListExportsOutput,
  ListStackResourcesInput,
  ListStackResourcesOutput,
  ListStacksInput,
  ListStacksOutput,
  StackStatus,
  UpdateStackInput,
  UpdateStackOutput,
  ValidateTemplateInput,
  ValidateTemplateOutput,
} from '@aws-sdk/client-cloudformation';

import { operation } from '../../../core/operations';
import { optional } from '../../../core/optional';
import type { OperationHandler } from '../../../core/service';
import type { Validated } from '../../../core/validated';
import type { CloudFormationContext } from '../context';
import { runCreate, runDelete, runUpdate } from '../deployment';
import { alreadyExists, cfnValidationError, stackNotFound } from '../errors';
import { isInProgress, type StackRecord } from '../model';
import { planChanges } from '../plan';
import type { PreparedTemplate } from '../prepare';
import { StackProgress, now } from '../progress';
import { checkName, parameterInputs, requiredMember, tags } from './input';
import {
  eventOutput,
  stackOutput,
  stackResource,
  stackResourceDetail,
  stackResourceSummary,
  stackSummary,
} from './output';
import { templateSummaryOutput, validateTemplateOutput, validatedTemplate } from './template-summary';

/** Statuses from which a stack can be updated (others: ValidationError, as on AWS). */
const UPDATABLE = new Set([
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'UPDATE_FAILED',
  'UPDATE_ROLLBACK_COMPLETE',
  'IMPORT_COMPLETE',
  'IMPORT_ROLLBACK_COMPLETE',
]);

const EVENTS_PAGE = 100;

/** The live stack a name or id stands for, or the ValidationError AWS answers. */
export function existingStack(ctx: CloudFormationContext, nameOrId: string): StackRecord {
  const stack = ctx.repo.findStack(nameOrId);
  if (!stack) throw stackNotFound(nameOrId);
  return stack;
}

export function checkUpdatable(stack: StackRecord): void {
  if (!UPDATABLE.has(stack.StackStatus)) {
    throw cfnValidationError(
      `Stack:${stack.StackId} is in ${stack.StackStatus} state and can not be updated.`,
    );
  }
}

/** True when a deployment would change nothing: same template, parameters and tags, no resource changes. */
export function isNoOp(
  ctx: CloudFormationContext,
  stack: StackRecord,
  prepared: PreparedTemplate,
  stackTags: StackRecord['Tags'],
): boolean {
  return (
    prepared.templateBody === stack.templateBody &&
    isDeepStrictEqual(prepared.parameters.parameters, stack.parameters) &&
    isDeepStrictEqual(stackTags, stack.Tags) &&
    planChanges({
      prepared,
      resources: stack.resources,
      handler: ctx.handler,
      importValue: (name) => ctx.importValue(name),
    }).length === 0
  );
}

/** Runs a stack operation in the background; an unexpected error still leaves the stack in a final status. */
export function runInBackground(
  ctx: CloudFormationContext,
  progress: StackProgress,
  work: () => Promise<void>,
  failedStatus: StackStatus,
): void {
  ctx.runner.run(async () => {
    try {
      await work();
    } catch (error) {
      progress.status(
        failedStatus,
        `internal error in the local AWS: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  });
}

/** Where a request's template is: TemplateBody or TemplateURL. */
export function templateInput(input: { TemplateBody?: string; TemplateURL?: string }) {
  return { ...optional('TemplateBody', input.TemplateBody), ...optional('TemplateURL', input.TemplateURL) };
}

export function stackOperations(ctx: CloudFormationContext): Record<string, OperationHandler> {
  return {
    CreateStack: operation<Validated<CreateStackInput>, CreateStackOutput>(async (input) => {
      const StackName = input.StackName;
      checkName('StackName', StackName);
      if (ctx.repo.findStack(StackName)) throw alreadyExists(`Stack [${StackName}] already exists`);
      const StackId = ctx.stackId(StackName, randomUUID());
      const notificationArns = [...(input.NotificationARNs ?? [])];
      const capabilities = [...(input.Capabilities ?? [])];
      const templateBody = await ctx.templateBody(templateInput(input));
      const prepared = await ctx.prepare({
        templateBody,
        parameters: parameterInputs(input.Parameters),
        capabilities,
        stackName: StackName,
        stackId: StackId,
        notificationArns,
      });
      const onFailure = failureMode(input);
      const timeout = input.TimeoutInMinutes;
      const roleArn = input.RoleARN;
      const stack: StackRecord = {
        StackId,
        StackName,
        ...(prepared.template.Description === undefined
          ? {}
          : { Description: prepared.template.Description }),
        CreationTime: now(),
        StackStatus: 'CREATE_IN_PROGRESS',
        DisableRollback: onFailure === 'DO_NOTHING',
        Capabilities: capabilities,
        NotificationARNs: notificationArns,
        Tags: tags(input.Tags),
        ...(roleArn === undefined ? {} : { RoleARN: roleArn }),
        ...(timeout === undefined ? {} : { TimeoutInMinutes: timeout }),
        EnableTerminationProtection: input.EnableTerminationProtection ?? false,
        templateBody,
        parameters: prepared.parameters.parameters,
        resources: {},
        outputs: [],
      };
      ctx.repo.putStack(stack);
      const progress = new StackProgress(ctx.repo, stack, input.ClientRequestToken);
      progress.status('CREATE_IN_PROGRESS', 'User Initiated');
      runInBackground(
        ctx,
        progress,
        async () => {
          await runCreate(ctx.deploymentEnv(), progress, prepared);
          if (onFailure === 'DELETE' && progress.stack.StackStatus === 'ROLLBACK_COMPLETE') {
            progress.status('DELETE_IN_PROGRESS');
            await runDelete(ctx.deploymentEnv(), progress);
          }
        },
        'CREATE_FAILED',
      );
      return { StackId };
    }),

    UpdateStack: operation<Validated<UpdateStackInput>, UpdateStackOutput>(async (input) => {
      const stack = existingStack(ctx, input.StackName);
      checkUpdatable(stack);
      const usePrevious = input.UsePreviousTemplate ?? false;
      const templateBody = usePrevious ? stack.templateBody : await ctx.templateBody(templateInput(input));
      const capabilities = [...(input.Capabilities ?? [])];
      const notificationArns =
        input.NotificationARNs === undefined ? stack.NotificationARNs : [...(input.NotificationARNs ?? [])];
      const prepared = await ctx.prepare({
        templateBody,
        parameters: parameterInputs(input.Parameters),
        previousParameters: stack.parameters,
        capabilities,
        stackName: stack.StackName,
        stackId: stack.StackId,
        notificationArns,
      });
      const stackTags = input.Tags === undefined ? stack.Tags : tags(input.Tags);
      if (isNoOp(ctx, stack, prepared, stackTags))
        throw cfnValidationError('No updates are to be performed.');
      startUpdate(ctx, stack, prepared, {
        capabilities,
        tags: stackTags,
        notificationArns,
        token: input.ClientRequestToken,
        disableRollback: input.DisableRollback,
      });
      return { StackId: stack.StackId };
    }),

    DeleteStack: operation<Validated<DeleteStackInput>, Record<string, never>>(async (input) => {
      const stack = ctx.repo.findStack(input.StackName);
      if (!stack || stack.StackStatus === 'DELETE_COMPLETE' || stack.StackStatus === 'DELETE_IN_PROGRESS')
        return {};
      if (stack.EnableTerminationProtection) {
        throw cfnValidationError(
          `Stack [${stack.StackName}] cannot be deleted while TerminationProtection is enabled`,
        );
      }
      if (isInProgress(stack.StackStatus)) {
        throw cfnValidationError(
          `Stack:${stack.StackId} is in ${stack.StackStatus} state and can not be deleted.`,
        );
      }
      const progress = new StackProgress(ctx.repo, stack, input.ClientRequestToken);
      progress.status('DELETE_IN_PROGRESS', 'User Initiated');
      runInBackground(
        ctx,
        progress,
        async () => {
          await runDelete(ctx.deploymentEnv(), progress);
          if (progress.stack.StackStatus === 'DELETE_COMPLETE') {
            for (const changeSet of ctx.repo.allChangeSets()) {
              if (changeSet.StackId === stack.StackId) ctx.repo.deleteChangeSet(changeSet.ChangeSetId);
            }
          }
        },
        'DELETE_FAILED',
      );
      return {};
    }),

    DescribeStacks: operation<Validated<DescribeStacksInput>, DescribeStacksOutput>((input) => {
      const name = input.StackName;
      if (name !== undefined) return { Stacks: [stackOutput(existingStack(ctx, name))] };
      const stacks = ctx.repo
        .allStacks()
        .filter((stack) => stack.StackStatus !== 'DELETE_COMPLETE')
        .sort((a, b) => b.CreationTime.localeCompare(a.CreationTime));
      return { Stacks: stacks.map(stackOutput) };
    }),

    ListStacks: operation<Validated<ListStacksInput>, ListStacksOutput>((input) => {
      const filter = [...(input.StackStatusFilter ?? [])];
      const stacks = ctx.repo
        .allStacks()
        .filter((stack) => filter.length === 0 || filter.includes(stack.StackStatus))
        .sort((a, b) => b.CreationTime.localeCompare(a.CreationTime));
      return { StackSummaries: stacks.map(stackSummary) };
    }),

    DescribeStackEvents: operation<Validated<DescribeStackEventsInput>, DescribeStackEventsOutput>(
      (input) => {
        const stack = existingStack(ctx, input.StackName);
        const start = Number(input.NextToken ?? '0');
        const events = ctx.repo.stackEvents(stack.StackId);
        const page = events.slice(start, start + EVENTS_PAGE).map(eventOutput);
        const next = start + EVENTS_PAGE < events.length ? { NextToken: String(start + EVENTS_PAGE) } : {};
        return { StackEvents: page, ...next };
      },
    ),

    DescribeStackResources: operation<Validated<DescribeStackResourcesInput>, DescribeStackResourcesOutput>(
      (input) => {
        const stack = stackForResources(ctx, input);
        const logicalId = input.LogicalResourceId;
        const resources = Object.values(stack.resources).filter(
          (resource) => !logicalId || resource.LogicalResourceId === logicalId,
        );
        return { StackResources: resources.map((resource) => stackResource(stack, resource)) };
      },
    ),

    DescribeStackResource: operation<Validated<DescribeStackResourceInput>, DescribeStackResourceOutput>(
      (input) => {
        const stack = existingStack(ctx, input.StackName);
        const logicalId = input.LogicalResourceId;
        const resource = stack.resources[logicalId];
        if (!resource)
          throw cfnValidationError(`Resource ${logicalId} does not exist for stack ${stack.StackName}`);
        return { StackResourceDetail: stackResourceDetail(stack, resource) };
      },
    ),

    ListStackResources: operation<Validated<ListStackResourcesInput>, ListStackResourcesOutput>((input) => {
      const stack = existingStack(ctx, input.StackName);
      return { StackResourceSummaries: Object.values(stack.resources).map(stackResourceSummary) };
    }),

    GetTemplate: operation<Validated<GetTemplateInput>, GetTemplateOutput>((input) => {
      const changeSetName = input.ChangeSetName;
      if (changeSetName !== undefined) {
        const changeSet = ctx.repo
          .allChangeSets()
          .find(
            (candidate) =>
              candidate.ChangeSetId === changeSetName || candidate.ChangeSetName === changeSetName,
          );
        if (changeSet)
          return { TemplateBody: changeSet.templateBody, StagesAvailable: ['Original', 'Processed'] };
      }
      const stack = existingStack(ctx, requiredMember(input.StackName, 'StackName'));
      return { TemplateBody: stack.templateBody, StagesAvailable: ['Original', 'Processed'] };
    }),

    ValidateTemplate: operation<Validated<ValidateTemplateInput>, ValidateTemplateOutput>(async (input) => {
      return validateTemplateOutput(validatedTemplate(await ctx.templateBody(templateInput(input))));
    }),

    GetTemplateSummary: operation<Validated<GetTemplateSummaryInput>, GetTemplateSummaryOutput>(
      async (input) => {
        const stackName = input.StackName;
        const body =
          stackName === undefined
            ? await ctx.templateBody(templateInput(input))
            : existingStack(ctx, stackName).templateBody;
        return templateSummaryOutput(validatedTemplate(body));
      },
    ),

    ListExports: operation<Validated<ListExportsInput>, ListExportsOutput>(() => {
      const exports = ctx.repo
        .allStacks()
        .filter((stack) => stack.StackStatus !== 'DELETE_COMPLETE')
        .flatMap((stack) =>
          stack.outputs
            .filter((output) => output.ExportName !== undefined)
            .map((output) => ({
              ExportingStackId: stack.StackId,
              Name: output.ExportName,
              Value: output.OutputValue,
            })),
        );
      return { Exports: exports };
    }),
  };
}

/** CreateStack's OnFailure (ROLLBACK, DO_NOTHING, DELETE) or its older spelling DisableRollback, not both. */
function failureMode(input: Pick<Validated<CreateStackInput>, 'OnFailure' | 'DisableRollback'>): string {
  const onFailure = input.OnFailure;
  const disableRollback = input.DisableRollback;
  if (onFailure !== undefined && disableRollback !== undefined) {
    throw cfnValidationError('You can specify either DisableRollback or OnFailure, but not both.');
  }
  if (onFailure !== undefined && !['ROLLBACK', 'DO_NOTHING', 'DELETE'].includes(onFailure)) {
    throw cfnValidationError(`OnFailure must be ROLLBACK, DO_NOTHING or DELETE, got ${onFailure}`);
  }
  return onFailure ?? (disableRollback ? 'DO_NOTHING' : 'ROLLBACK');
}

function stackForResources(
  ctx: CloudFormationContext,
  input: Pick<Validated<DescribeStackResourcesInput>, 'StackName' | 'PhysicalResourceId'>,
): StackRecord {
  const name = input.StackName;
  if (name !== undefined) return existingStack(ctx, name);
  const physicalId = input.PhysicalResourceId;
  const stack = ctx.repo
    .allStacks()
    .find((candidate) =>
      Object.values(candidate.resources).some((resource) => resource.PhysicalResourceId === physicalId),
    );
  if (!physicalId || !stack)
    throw cfnValidationError(
      `Stack for ${physicalId ?? 'the request'} does not exist; pass StackName or PhysicalResourceId`,
    );
  return stack;
}

export interface UpdateOptions {
  readonly capabilities: readonly string[];
  readonly tags: StackRecord['Tags'];
  readonly notificationArns: readonly string[];
  readonly token?: string | undefined;
  readonly disableRollback?: boolean | undefined;
  readonly changeSetId?: string;
  /** Called with the stack's final status once the update has ended. */
  readonly onEnd?: (status: string) => void;
}

/** Moves the stack to UPDATE_IN_PROGRESS and runs the update in the background. */
export function startUpdate(
  ctx: CloudFormationContext,
  stack: StackRecord,
  prepared: PreparedTemplate,
  options: UpdateOptions,
): void {
  const progress = new StackProgress(ctx.repo, stack, options.token);
  progress.update({
    LastUpdatedTime: now(),
    ...(options.changeSetId ? { ChangeSetId: options.changeSetId } : {}),
    ...(options.disableRollback === undefined ? {} : { DisableRollback: options.disableRollback }),
  });
  progress.status('UPDATE_IN_PROGRESS', 'User Initiated');
  const description = prepared.template.Description;
  runInBackground(
    ctx,
    progress,
    async () => {
      await runUpdate(ctx.deploymentEnv(), progress, prepared, {
        templateBody: prepared.templateBody,
        parameters: prepared.parameters.parameters,
        Capabilities: options.capabilities,
        Tags: options.tags,
        NotificationARNs: options.notificationArns,
        ...(description === undefined ? {} : { Description: description }),
      });
      options.onEnd?.(progress.stack.StackStatus);
    },
    'UPDATE_ROLLBACK_FAILED',
  );
}
