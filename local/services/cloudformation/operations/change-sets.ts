import { randomUUID } from 'node:crypto';

import type {
  CreateChangeSetInput,
  CreateChangeSetOutput,
  DeleteChangeSetInput,
  DescribeChangeSetInput,
  DescribeChangeSetOutput,
  ExecuteChangeSetInput,
  ListChangeSetsInput,
  ListChangeSetsOutput,
} from '@aws-sdk/client-cloudformation';

import { operation } from '../../../core/operations';
import type { OperationHandler } from '../../../core/service';
import type { Validated } from '../../../core/validated';
import type { CloudFormationContext } from '../context';
import { runCreate } from '../deployment';
import { alreadyExists, cfnValidationError, changeSetNotFound, invalidChangeSetStatus } from '../errors';
import type { ChangeSetRecord, StackRecord } from '../model';
import { planChanges } from '../plan';
import type { PreparedTemplate } from '../prepare';
import { StackProgress, now } from '../progress';
import { checkName, parameterInputs, rollbackConfiguration, tags } from './input';
import { changeSetOutput, changeSetSummary } from './output';
import { checkUpdatable, existingStack, isNoOp, runInBackground, startUpdate, templateInput } from './stacks';

export const NO_CHANGES_REASON =
  "The submitted information didn't contain changes. Submit different information to create a change set.";

/** A change set by ARN, or by name within a stack. */
function findChangeSet(
  ctx: CloudFormationContext,
  input: Pick<Validated<DescribeChangeSetInput>, 'ChangeSetName' | 'StackName'>,
): ChangeSetRecord {
  const nameOrId = input.ChangeSetName;
  const byId = ctx.repo.changeSet(nameOrId);
  if (byId) return byId;
  const stackName = input.StackName;
  const stack = stackName === undefined ? undefined : ctx.repo.findStack(stackName);
  const found =
    stack &&
    ctx.repo
      .allChangeSets()
      .find((changeSet) => changeSet.StackId === stack.StackId && changeSet.ChangeSetName === nameOrId);
  if (!found) throw changeSetNotFound(nameOrId);
  return found;
}

/** The stack a CREATE change set makes: REVIEW_IN_PROGRESS until the change set runs. */
function reviewStack(ctx: CloudFormationContext, stackName: string, stackId: string): StackRecord {
  const stack: StackRecord = {
    StackId: stackId,
    StackName: stackName,
    CreationTime: now(),
    StackStatus: 'REVIEW_IN_PROGRESS',
    DisableRollback: false,
    Capabilities: [],
    NotificationARNs: [],
    Tags: [],
    EnableTerminationProtection: false,
    templateBody: '',
    parameters: [],
    resources: {},
    outputs: [],
  };
  ctx.repo.putStack(stack);
  new StackProgress(ctx.repo, stack).status('REVIEW_IN_PROGRESS', 'User Initiated');
  return stack;
}

/** Prepares a change set's template again at execution (SSM parameter values are read at deploy time). */
function prepareAgain(
  ctx: CloudFormationContext,
  changeSet: ChangeSetRecord,
  stack: StackRecord,
): Promise<PreparedTemplate> {
  return ctx.prepare({
    templateBody: changeSet.templateBody,
    parameters: changeSet.parameterInputs,
    previousParameters: stack.parameters,
    capabilities: changeSet.Capabilities,
    stackName: stack.StackName,
    stackId: stack.StackId,
    notificationArns: changeSet.NotificationARNs,
  });
}

export function changeSetOperations(ctx: CloudFormationContext): Record<string, OperationHandler> {
  const setChangeSet = (changeSetId: string, changes: Partial<ChangeSetRecord>) => {
    const current = ctx.repo.changeSet(changeSetId);
    if (current) ctx.repo.putChangeSet({ ...current, ...changes });
  };

  return {
    CreateChangeSet: operation<Validated<CreateChangeSetInput>, CreateChangeSetOutput>(async (input) => {
      const stackName = input.StackName;
      const changeSetName = input.ChangeSetName;
      checkName('ChangeSetName', changeSetName);
      const type = input.ChangeSetType ?? 'UPDATE';
      if (type !== 'CREATE' && type !== 'UPDATE') {
        throw cfnValidationError(
          `ChangeSetType ${type} is not supported by the local AWS; use CREATE or UPDATE`,
        );
      }
      const existing = ctx.repo.findStack(stackName);
      if (type === 'CREATE') {
        checkName('StackName', stackName);
        if (existing && existing.StackStatus !== 'REVIEW_IN_PROGRESS') {
          throw alreadyExists(
            `Stack [${stackName}] already exists and cannot be created again with the changeSet [${changeSetName}].`,
          );
        }
      } else {
        if (!existing) throw cfnValidationError(`Stack [${stackName}] does not exist`);
        checkUpdatable(existing);
      }
      const stackId = existing?.StackId ?? ctx.stackId(stackName, randomUUID());
      if (
        ctx.repo
          .allChangeSets()
          .some((changeSet) => changeSet.StackId === stackId && changeSet.ChangeSetName === changeSetName)
      ) {
        throw alreadyExists(`ChangeSet [${changeSetName}] already exists`);
      }
      const usePrevious = input.UsePreviousTemplate ?? false;
      if (usePrevious && !existing?.templateBody) {
        throw cfnValidationError(
          'UsePreviousTemplate needs a stack that has a template (not ChangeSetType CREATE)',
        );
      }
      const templateBody =
        usePrevious && existing ? existing.templateBody : await ctx.templateBody(templateInput(input));
      const capabilities = [...(input.Capabilities ?? [])];
      const notificationArns =
        input.NotificationARNs === undefined
          ? (existing?.NotificationARNs ?? [])
          : [...(input.NotificationARNs ?? [])];
      const inputs = parameterInputs(input.Parameters);
      const rollback = rollbackConfiguration(input.RollbackConfiguration);
      const prepared = await ctx.prepare({
        templateBody,
        parameters: inputs,
        ...(type === 'UPDATE' && existing ? { previousParameters: existing.parameters } : {}),
        capabilities,
        stackName,
        stackId,
        notificationArns,
      });
      const stack = type === 'CREATE' ? (existing ?? reviewStack(ctx, stackName, stackId)) : existing!;
      const description = input.Description;
      const roleArn = input.RoleARN;
      const changeSetTags = input.Tags === undefined ? stack.Tags : tags(input.Tags);
      const changeSet: ChangeSetRecord = {
        ChangeSetId: ctx.changeSetId(changeSetName, randomUUID()),
        ChangeSetName: changeSetName,
        ChangeSetType: type,
        StackId: stack.StackId,
        StackName: stack.StackName,
        ...(description === undefined ? {} : { Description: description }),
        ...(roleArn === undefined ? {} : { RoleARN: roleArn }),
        ...(rollback === undefined ? {} : { RollbackConfiguration: rollback }),
        CreationTime: now(),
        ExecutionStatus: 'UNAVAILABLE',
        Status: 'CREATE_PENDING',
        Capabilities: capabilities,
        NotificationARNs: notificationArns,
        Tags: changeSetTags,
        templateBody,
        parameterInputs: inputs,
        parameters: prepared.parameters.parameters,
        changes: [],
      };
      ctx.repo.putChangeSet(changeSet);
      const planned = stack;
      ctx.runner.run(async () => {
        setChangeSet(changeSet.ChangeSetId, { Status: 'CREATE_IN_PROGRESS' });
        try {
          if (type === 'UPDATE' && isNoOp(ctx, planned, prepared, changeSetTags)) {
            setChangeSet(changeSet.ChangeSetId, { Status: 'FAILED', StatusReason: NO_CHANGES_REASON });
            return;
          }
          const changes = planChanges({
            prepared,
            resources: type === 'UPDATE' ? planned.resources : {},
            handler: ctx.handler,
            importValue: (name) => ctx.importValue(name),
          });
          setChangeSet(changeSet.ChangeSetId, {
            Status: 'CREATE_COMPLETE',
            ExecutionStatus: 'AVAILABLE',
            changes,
          });
        } catch (error) {
          setChangeSet(changeSet.ChangeSetId, {
            Status: 'FAILED',
            StatusReason: error instanceof Error ? error.message : String(error),
          });
        }
      });
      return { Id: changeSet.ChangeSetId, StackId: stack.StackId };
    }),

    DescribeChangeSet: operation<Validated<DescribeChangeSetInput>, DescribeChangeSetOutput>((input) => {
      return changeSetOutput(findChangeSet(ctx, input));
    }),

    ListChangeSets: operation<Validated<ListChangeSetsInput>, ListChangeSetsOutput>((input) => {
      const stack = existingStack(ctx, input.StackName);
      const changeSets = ctx.repo.allChangeSets().filter((changeSet) => changeSet.StackId === stack.StackId);
      changeSets.sort((a, b) => a.CreationTime.localeCompare(b.CreationTime));
      return { Summaries: changeSets.map(changeSetSummary) };
    }),

    DeleteChangeSet: operation<Validated<DeleteChangeSetInput>, Record<string, never>>((input) => {
      const changeSet = findChangeSet(ctx, input);
      if (changeSet.ExecutionStatus === 'EXECUTE_IN_PROGRESS') {
        throw invalidChangeSetStatus(
          `Cannot delete ChangeSet [${changeSet.ChangeSetId}] while it is being executed`,
        );
      }
      ctx.repo.deleteChangeSet(changeSet.ChangeSetId);
      return {};
    }),

    ExecuteChangeSet: operation<Validated<ExecuteChangeSetInput>, Record<string, never>>(async (input) => {
      const changeSet = findChangeSet(ctx, input);
      if (changeSet.Status !== 'CREATE_COMPLETE' || changeSet.ExecutionStatus !== 'AVAILABLE') {
        throw invalidChangeSetStatus(
          `ChangeSet [${changeSet.ChangeSetId}] cannot be executed in its current execution status of [${changeSet.ExecutionStatus}] (status ${changeSet.Status})`,
        );
      }
      const stack = existingStack(ctx, changeSet.StackId);
      if (changeSet.ChangeSetType === 'UPDATE') checkUpdatable(stack);
      const prepared = await prepareAgain(ctx, changeSet, stack);
      const token = input.ClientRequestToken;
      const disableRollback = input.DisableRollback;
      setChangeSet(changeSet.ChangeSetId, { ExecutionStatus: 'EXECUTE_IN_PROGRESS' });
      // Executing a change set makes the stack's other change sets meaningless; AWS deletes them.
      for (const other of ctx.repo.allChangeSets()) {
        if (other.StackId === stack.StackId && other.ChangeSetId !== changeSet.ChangeSetId)
          ctx.repo.deleteChangeSet(other.ChangeSetId);
      }
      const onEnd = (status: string) =>
        setChangeSet(changeSet.ChangeSetId, {
          ExecutionStatus:
            /(^|_)COMPLETE$/.test(status) && !/ROLLBACK/.test(status) ? 'EXECUTE_COMPLETE' : 'EXECUTE_FAILED',
        });
      if (changeSet.ChangeSetType === 'UPDATE') {
        startUpdate(ctx, stack, prepared, {
          capabilities: changeSet.Capabilities,
          tags: changeSet.Tags,
          notificationArns: changeSet.NotificationARNs,
          token,
          disableRollback,
          changeSetId: changeSet.ChangeSetId,
          onEnd,
        });
        return {};
      }
      const progress = new StackProgress(ctx.repo, stack, token);
      const description = prepared.template.Description;
      progress.update({
        ...(description === undefined ? {} : { Description: description }),
        ChangeSetId: changeSet.ChangeSetId,
        DisableRollback: disableRollback ?? false,
        Capabilities: changeSet.Capabilities,
        NotificationARNs: changeSet.NotificationARNs,
        Tags: changeSet.Tags,
        templateBody: prepared.templateBody,
        parameters: prepared.parameters.parameters,
      });
      progress.status('CREATE_IN_PROGRESS', 'User Initiated');
      runInBackground(
        ctx,
        progress,
        async () => {
          await runCreate(ctx.deploymentEnv(), progress, prepared);
          onEnd(progress.stack.StackStatus);
        },
        'CREATE_FAILED',
      );
      return {};
    }),
  };
}
