import type { DeployResult } from '../../../src/deploy/deploy-stack';
import { renderDeploySummary } from '../../../src/report/deploy-summary';

const deploy = {
  stackName: 'abalone-endpoint-production',
  changed: true,
  status: 'UPDATE_COMPLETE',
  changes: [],
  changeSetName: 'mlops-1-1-x',
  outputs: {},
  events: [],
  recreated: false,
  stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/abalone-endpoint-production/1',
} as unknown as DeployResult;

test('a deploy of an approved package shows who approved it and why', () => {
  const summary = renderDeploySummary({
    deploy,
    approval: {
      modelPackageArn: 'arn:aws:sagemaker:us-east-1:123456789012:model-package/abalone/8',
      approvedBy: 'arn:aws:sts::123456789012:assumed-role/reviewer/ana',
      approvalDescription: 'RMSE 2.07 vs 2.31',
    },
  });
  expect(summary).toContain('### Model approval');
  expect(summary).toContain(
    '- **Model package:** `arn:aws:sagemaker:us-east-1:123456789012:model-package/abalone/8`',
  );
  expect(summary).toContain('- **Approved by:** arn:aws:sts::123456789012:assumed-role/reviewer/ana');
  expect(summary).toContain('- **Approval description:** RMSE 2.07 vs 2.31');
});

test('a deploy without a registry decision has no approval section', () => {
  expect(renderDeploySummary({ deploy })).not.toContain('Model approval');
});
