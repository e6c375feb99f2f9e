import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DescribeModelPackageCommand, UpdateModelPackageCommand } from '@aws-sdk/client-sagemaker';

import { createClient } from '../aws/clients';
import { createDeployClients } from '../deploy/deploy-stack';
import { approvalTags, decideApprovalDeploy, type ApprovalDecision } from '../deploy/approval-decision';
import { servingModelPackage } from '../deploy/serving-package';
import { createPipelineClients } from '../pipeline/clients';
import { deployEndpoint, type MainJobContext } from '../run/main-job';
import { parseApprovalDispatch, type ApprovalDispatch } from './dispatch-payload';
import { LocalGitHub, type LocalWorkflowRun } from './local-github';
import { runLocalNotifier } from './local-notifier';
import { putLocalApprovalRules } from './local-rules';

export type ReviewStatus = 'Approved' | 'Rejected';

/** What one dispatched deploy did. */
export interface DispatchOutcome {
  readonly dispatch: ApprovalDispatch;
  readonly decision: ApprovalDecision;
  readonly endpointName?: string;
  readonly stackChanged?: boolean;
}

export interface LocalReviewResult {
  readonly groupName: string;
  readonly runs: readonly LocalWorkflowRun<DispatchOutcome>[];
  /** The approvers' messages for packages registered since the last command (what the notifier sent). */
  readonly notifications: readonly string[];
}

/**
 * `mlops approve|reject` on the local AWS: the same path as on AWS, through events. Puts the approval
 * rules on the local EventBridge (idempotent), sets the package's status — the local SageMaker emits the
 * state-change event, the rules deliver it — then runs the repository_dispatch requests that arrived, as
 * GitHub would start the deploy workflow: decide (approved → that package, rejected while serving →
 * the previous approved one, else no-op) and deploy with the deploy-endpoint logic.
 */
export async function reviewLocally(
  context: MainJobContext & { readonly stateDir: string },
  review: { readonly modelPackageArn: string; readonly status: ReviewStatus; readonly description: string },
): Promise<LocalReviewResult> {
  const sagemaker = createPipelineClients(context.clientOptions).sagemaker;
  const described = await sagemaker.send(
    new DescribeModelPackageCommand({ ModelPackageName: review.modelPackageArn }),
  );
  const groupName = described.ModelPackageGroupName;
  if (!groupName)
    throw new Error(
      `${review.modelPackageArn} is not in a model package group; only versioned packages are reviewed`,
    );
  await putLocalApprovalRules(createClient(EventBridgeClient, context.clientOptions), {
    groupName,
    accountArn: review.modelPackageArn,
  });
  // Registrations since the last command invoked the notifier; it runs now, before this decision changes
  // what serves, as the Lambda would have run when the package was registered.
  const notifications = await runLocalNotifier({
    stateDir: context.stateDir,
    clientOptions: context.clientOptions,
    groupName,
    stackName: context.config.stackName,
  });
  const since = new Date().toISOString();
  await sagemaker.send(
    new UpdateModelPackageCommand({
      ModelPackageArn: review.modelPackageArn,
      ModelApprovalStatus: review.status,
      ApprovalDescription: review.description,
    }),
  );
  const github = new LocalGitHub(context.stateDir);
  const runs = await github.runDispatches(since, (body) =>
    runDispatchedDeploy(context, parseApprovalDispatch(body)),
  );
  return { groupName, runs, notifications: notifications.map((n) => n.Message) };
}

/** The deploy workflow's job for one dispatch: the approved-model decision, then the endpoint deploy. */
export async function runDispatchedDeploy(
  context: MainJobContext,
  dispatch: ApprovalDispatch,
): Promise<DispatchOutcome> {
  const sagemaker = createPipelineClients(context.clientOptions).sagemaker;
  const servingArn = await servingModelPackage(
    { cloudformation: createDeployClients(context.clientOptions).cloudformation, sagemaker },
    context.config.stackName,
  );
  const decision = await decideApprovalDeploy(sagemaker, {
    event: dispatch.event,
    modelPackageArn: dispatch.modelPackageArn,
    groupName: context.config.modelPackageGroup,
    servingArn,
  });
  context.reporter.info(
    `${dispatch.event === 'approved' ? 'model-approved' : 'model-rejected'}: ${decision.reason}`,
  );
  if (decision.kind === 'no-op') return { dispatch, decision };
  const { deploy, endpointName } = await deployEndpoint(context, {
    modelPackageArn: decision.package.arn,
    artifacts: {},
    tags: approvalTags(decision.package),
  });
  return { dispatch, decision, endpointName, stackChanged: deploy.changed };
}
