import { DescribeModelPackageCommand, UpdateModelPackageCommand } from '@aws-sdk/client-sagemaker';
import type { Command } from 'commander';

import { reviewLocally, type LocalReviewResult, type ReviewStatus } from '../../approval/local-review';
import { DISPATCH_EVENT_TYPES } from '../../approval/rules';
import { keptNotificationLines } from '../../approval/review-message';
import { approverOf } from '../../deploy/approval-decision';
import { createPipelineClients } from '../../pipeline/clients';
import { DEFAULT_CONFIG_FILE, readConfigFile, resolveRunConfig } from '../../run/config';
import { StageTimer } from '../../run/stages';
import { terminalReporter } from '../cli-reporter';
import { addConnectionOptions, withConnection, type ConnectionFlags, type Connection } from '../connection';
import { EXIT } from '../exit-codes';
import { createTerminal, type Terminal } from '../terminal';

interface ReviewFlags extends ConnectionFlags {
  readonly description?: string;
  readonly stackName?: string;
  readonly modelPackageGroup?: string;
}

const PACKAGE_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:model-package\/.+/;

/** `mlops approve` and `mlops reject`: a registry decision, which deploys or rolls back through events. */
export function registerApprovalCommands(program: Command): void {
  for (const [name, status, summary] of [
    [
      'approve',
      'Approved',
      `Approve a model package. The registry's state-change event deploys exactly it (repository_dispatch ${DISPATCH_EVENT_TYPES.approved}); locally the same rule and deploy run before the command returns`,
    ],
    [
      'reject',
      'Rejected',
      `Reject a model package. If it serves, the event rolls the endpoint back to the newest package still Approved (repository_dispatch ${DISPATCH_EVENT_TYPES.rejected})`,
    ],
  ] as const) {
    addConnectionOptions(
      program
        .command(name)
        .description(summary)
        .argument('<model-package-arn>', `the package to ${name}`)
        .option(
          '--description <text>',
          'ApprovalDescription: why (recorded in the endpoint tags and summary)',
        )
        .option('--stack-name <name>', 'local: the endpoint stack the deploy updates (default as mlops run)')
        .option('--model-package-group <name>', 'local: the group the deploy accepts (default as mlops run)'),
    ).action((arn: string, flags: ReviewFlags) => review(arn, status, flags));
  }
}

async function review(arn: string, status: ReviewStatus, flags: ReviewFlags): Promise<void> {
  if (!PACKAGE_ARN.test(arn)) {
    process.stderr.write(
      `mlops: <model-package-arn> must look like arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>; got "${arn}"\n`,
    );
    process.exitCode = EXIT.badInput;
    return;
  }
  const description =
    flags.description ?? `${status} with mlops ${status === 'Approved' ? 'approve' : 'reject'}`;
  await withConnection(flags, async (connection) => {
    const terminal = createTerminal();
    if (connection.target === 'aws') return reviewOnAws(connection, { arn, status, description }, terminal);
    const config = resolveRunConfig(
      {
        target: 'local',
        region: connection.clientOptions.region ?? 'us-east-1',
        ...(flags.stackName ? { stackName: flags.stackName } : {}),
        ...(flags.modelPackageGroup ? { modelPackageGroup: flags.modelPackageGroup } : {}),
      },
      { file: readConfigFile(DEFAULT_CONFIG_FILE) },
    );
    const result = await reviewLocally(
      {
        config,
        clientOptions: connection.clientOptions,
        reporter: terminalReporter(terminal),
        stages: new StageTimer(terminal),
        signal: new AbortController().signal,
        stateDir: connection.stateDir ?? config.stateDir,
      },
      { modelPackageArn: arn, status, description },
    );
    printLocalReview(terminal, { arn, status, result });
  });
}

async function reviewOnAws(
  connection: Connection,
  review: { arn: string; status: ReviewStatus; description: string },
  terminal: Terminal,
): Promise<void> {
  const { sagemaker } = createPipelineClients(connection.clientOptions);
  await sagemaker.send(
    new UpdateModelPackageCommand({
      ModelPackageArn: review.arn,
      ModelApprovalStatus: review.status,
      ApprovalDescription: review.description,
    }),
  );
  const recorded = await sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: review.arn }));
  terminal.line(`${review.status} ${review.arn}`);
  terminal.line(`  recorded by: ${approverOf(recorded)}`);
  terminal.line(`  description: ${recorded.ApprovalDescription ?? review.description}`);
  terminal.line(
    `  the EventBridge rule of the approval stack now sends repository_dispatch ${review.status === 'Approved' ? DISPATCH_EVENT_TYPES.approved : DISPATCH_EVENT_TYPES.rejected} to GitHub; follow the deploy workflow run there`,
  );
}

/** What `mlops approve|reject` prints on the local target: the approvers' messages, then each deploy. */
export function printLocalReview(
  terminal: Pick<Terminal, 'line'>,
  review: { arn: string; status: ReviewStatus; result: LocalReviewResult },
): void {
  terminal.line(`${review.status} ${review.arn}`);
  for (const message of review.result.notifications)
    for (const line of keptNotificationLines(message)) terminal.line(line);
  if (review.result.runs.length === 0)
    terminal.line(`  no rule of ${review.result.groupName} dispatched a deploy for this change`);
  for (const { outcome } of review.result.runs) {
    const { decision } = outcome;
    if (decision.kind === 'no-op') {
      terminal.line(`  no change: ${decision.reason}`);
      continue;
    }
    terminal.line(
      `  deployed ${decision.package.arn} to ${outcome.endpointName ?? '?'} (${decision.reason}${outcome.stackChanged ? '' : '; the stack had no changes'})`,
    );
    terminal.line(`    approved by: ${decision.package.approvedBy}`);
    terminal.line(`    approval description: ${decision.package.approvalDescription || '(none)'}`);
  }
}
