import {
  CloudFormationClient,
  DeleteStackCommand,
  ExecuteChangeSetCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import type { S3Client } from '@aws-sdk/client-s3';

import { createClient, resolveEndpoint, resolveRegion, type AwsClientOptions } from '../aws/clients';
import { systemClock, type Clock } from '../aws/clock';
import type { Reporter } from '../report/reporter';
import { createChangeSet, deleteChangeSet, type ResourceChangeRow, type WaitContext } from './change-set';
import { pollUntil } from './poll-until';
import { describeEvent, StackEventStream, type StackEventView } from './stack-events';
import { describeStack, isInProgress, isSuccess, stackOutputs } from './stack-status';
import type { TemplateFile } from './template';
import { templateLocation } from './template-location';
import { planParameters, type ParameterValues } from './template-parameters';

export interface DeployClients {
  readonly cloudformation: CloudFormationClient;
  readonly s3: () => Promise<S3Client>;
}

export function createDeployClients(options: AwsClientOptions = {}): DeployClients {
  let s3: Promise<S3Client> | undefined;
  return {
    cloudformation: createClient(CloudFormationClient, options),
    s3: () => {
      s3 ??= import('@aws-sdk/client-s3').then(({ S3Client: Client }) => createClient(Client, options));
      return s3;
    },
  };
}

export interface DeployOptions {
  readonly stackName: string;
  readonly template: TemplateFile;
  readonly parameters: ParameterValues;
  readonly capabilities: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  readonly roleArn?: string;
  /** For the change set's description (e.g. the run that deploys). */
  readonly description?: string;
  /** Unique per run, so concurrent or repeated runs never collide. */
  readonly changeSetName: string;
  /** Epoch milliseconds by which the deployment must be complete. */
  readonly deadline: number;
  readonly failOnEmptyChangeSet: boolean;
  readonly templateBucket?: string;
  readonly region?: string;
  readonly pollSeconds?: number;
  readonly clock?: Clock;
}

export interface DeployResult {
  readonly stackName: string;
  readonly stackId?: string;
  readonly changed: boolean;
  readonly status: string;
  readonly outputs: Readonly<Record<string, string>>;
  readonly changes: readonly ResourceChangeRow[];
  readonly changeSetName: string;
  /** The stack was in ROLLBACK_COMPLETE from a failed first create and was deleted and created again. */
  readonly recreated: boolean;
  readonly events: readonly StackEventView[];
}

/** A deployment that ended in a rollback or a failure; carries what is known for the summary. */
export class DeployFailedError extends Error {
  override readonly name = 'DeployFailedError';
  constructor(
    message: string,
    readonly result: DeployResult,
  ) {
    super(message);
  }
}

const DEFAULT_POLL_SECONDS = 5;

/**
 * Deploys a template through a change set: CREATE or UPDATE by whether the stack exists (a stack left in
 * ROLLBACK_COMPLETE by a failed first create is deleted and recreated, with a warning); "no changes" is
 * success with changed=false unless failOnEmptyChangeSet; the changes are reported before executing;
 * stack events stream while waiting; any rollback fails with the first resource failure's reason.
 */
export async function deployStack(
  clients: DeployClients,
  options: DeployOptions,
  reporter: Reporter,
): Promise<DeployResult> {
  const clock = options.clock ?? systemClock;
  const wait: WaitContext & { startedAt: number } = {
    clock,
    deadline: options.deadline,
    reporter,
    pollMs: (options.pollSeconds ?? DEFAULT_POLL_SECONDS) * 1000,
    startedAt: clock.now(),
  };
  const { cloudformation } = clients;
  const existing = await usableStack(clients, options, wait);
  const stackExists = Boolean(existing) && existing?.StackStatus !== 'REVIEW_IN_PROGRESS';
  const parameters = planParameters(options.template, options.parameters, stackExists);
  const template = await templateLocation({
    template: options.template,
    stackName: options.stackName,
    ...(options.templateBucket ? { bucket: options.templateBucket } : {}),
    region: resolveRegion(options.region),
    ...s3EndpointOption(),
    s3: clients.s3,
  });
  const base = {
    stackName: options.stackName,
    changeSetName: options.changeSetName,
    recreated: existing === null,
  };
  reporter.info(
    `Creating change set ${options.changeSetName} (${stackExists ? 'UPDATE' : 'CREATE'}) for stack ${options.stackName}`,
  );
  const changeSet = await createChangeSet(
    cloudformation,
    {
      stackName: options.stackName,
      changeSetName: options.changeSetName,
      type: stackExists ? 'UPDATE' : 'CREATE',
      template,
      parameters,
      capabilities: options.capabilities,
      tags: options.tags,
      ...(options.roleArn ? { roleArn: options.roleArn } : {}),
      ...(options.description ? { description: options.description } : {}),
    },
    wait,
  );
  if (changeSet.kind === 'empty') {
    await deleteChangeSet(cloudformation, options.stackName, changeSet.id);
    if (options.failOnEmptyChangeSet)
      throw new Error(
        `stack ${options.stackName} has no changes to deploy (fail-on-empty-changeset is true): ${changeSet.reason}`,
      );
    reporter.info(`No changes to stack ${options.stackName}: ${changeSet.reason}`);
    const stack = await describeStack(cloudformation, options.stackName);
    return {
      ...base,
      ...stackIdOf(stack),
      changed: false,
      status: stack?.StackStatus ?? 'UNKNOWN',
      outputs: stackOutputs(stack),
      changes: [],
      events: [],
    };
  }
  reporter.group(
    `Change set ${options.changeSetName}: ${changeSet.changes.length} resource change(s)`,
    changeSet.changes.map(
      (change) =>
        `${change.action} ${change.logicalId} (${change.type})${change.replacement === 'True' ? ' — replacement' : ''}`,
    ),
  );
  const stream = new StackEventStream(cloudformation, options.stackName);
  await stream.skipHistory();
  await cloudformation.send(
    new ExecuteChangeSetCommand({ ChangeSetName: changeSet.id, StackName: options.stackName }),
  );
  const stack = await pollUntil({
    what: `stack ${options.stackName} to finish deploying`,
    read: () => describeStack(cloudformation, options.stackName),
    onRead: async () => {
      for (const event of await stream.poll()) reporter.info(describeEvent(event));
    },
    done: (current) => !isInProgress(current?.StackStatus),
    ...wait,
  });
  const result: DeployResult = {
    ...base,
    ...stackIdOf(stack),
    changed: true,
    status: stack?.StackStatus ?? 'UNKNOWN',
    outputs: stackOutputs(stack),
    changes: changeSet.changes,
    events: stream.events(),
  };
  if (!isSuccess(stack?.StackStatus)) throw new DeployFailedError(failureMessage(result, stream), result);
  return result;
}

function failureMessage(result: DeployResult, stream: StackEventStream): string {
  const failure = stream.firstFailure();
  const cause = failure
    ? `; first failure: ${failure.logicalId} (${failure.type}) ${failure.status}: ${failure.reason}`
    : '';
  return `stack ${result.stackName} ended ${result.status}${cause}`;
}

/**
 * The existing stack ready for a change set: undefined when absent, null when it was in ROLLBACK_COMPLETE
 * and has just been deleted (it can only be deleted; a new create follows).
 */
async function usableStack(
  clients: DeployClients,
  options: DeployOptions,
  wait: WaitContext & { startedAt: number },
): Promise<Stack | undefined | null> {
  const stack = await describeStack(clients.cloudformation, options.stackName);
  if (!stack) return undefined;
  if (isInProgress(stack.StackStatus)) {
    throw new Error(
      `stack ${options.stackName} is ${stack.StackStatus}: another operation is running on it; wait for it to finish and run again`,
    );
  }
  if (stack.StackStatus !== 'ROLLBACK_COMPLETE') return stack;
  wait.reporter.warning(
    `Stack ${options.stackName} is ROLLBACK_COMPLETE (its first create failed) and can only be deleted: deleting it and creating it again.`,
    'Recreating stack',
  );
  await clients.cloudformation.send(
    new DeleteStackCommand({ StackName: stack.StackId ?? options.stackName }),
  );
  await pollUntil({
    what: `stack ${options.stackName} to be deleted`,
    read: () => describeStack(clients.cloudformation, stack.StackId ?? options.stackName),
    done: (current) => current === undefined || current.StackStatus === 'DELETE_COMPLETE',
    ...wait,
  });
  return null;
}

function stackIdOf(stack: Stack | undefined): { stackId?: string } {
  return stack?.StackId ? { stackId: stack.StackId } : {};
}

function s3EndpointOption(): { s3Endpoint?: string } {
  const endpoint = process.env.AWS_ENDPOINT_URL_S3 ?? resolveEndpoint();
  return endpoint ? { s3Endpoint: endpoint } : {};
}
