import type { DispatchOutcome } from '../../../src/approval/local-review';
import { printLocalReview } from '../../../src/cli/commands/approval';

const ARN = 'arn:aws:sagemaker:us-east-1:000000000000:model-package/abalone-models/2';

test('mlops approve (local) prints the approvers’ message, what deployed, who approved it and why', () => {
  const outcome: DispatchOutcome = {
    dispatch: { event: 'approved', modelPackageArn: ARN, groupName: 'abalone-models' },
    decision: {
      kind: 'deploy',
      reason: `${ARN} was approved`,
      package: {
        arn: ARN,
        groupName: 'abalone-models',
        approvedBy: 'arn:aws:iam::000000000000:user/alice',
        approvalDescription: 'RMSE 2.07 vs 2.31',
      },
    },
    endpointName: 'abalone-local',
    stackChanged: true,
  };
  const lines: string[] = [];
  printLocalReview(
    { line: (text: string) => lines.push(text) },
    {
      arn: ARN,
      status: 'Approved',
      result: {
        groupName: 'abalone-models',
        runs: [{ eventId: 'e-1', dispatchedAt: '2026-12-05T00:00:00Z', outcome }],
        notifications: ['Model package … awaits review.\n\nApprove …\n'],
      },
    },
  );
  expect(lines).toEqual([
    `Approved ${ARN}`,
    '  notification to the approvers (kept on disk, as the e-mail they would get):',
    '    Model package … awaits review.',
    '',
    '    Approve …',
    `  deployed ${ARN} to abalone-local (${ARN} was approved)`,
    '    approved by: arn:aws:iam::000000000000:user/alice',
    '    approval description: RMSE 2.07 vs 2.31',
  ]);
});
