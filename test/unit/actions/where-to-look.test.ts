import { isLocalEndpoint, whereToLook } from '../../../src/pipeline/where-to-look';

const EXECUTION = 'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/p/execution/e1';
const trainingStep = {
  name: 'Train',
  status: 'Failed',
  kind: 'TrainingJob',
  resourceArn: 'arn:aws:sagemaker:eu-west-1:123456789012:training-job/pipelines-e1-train-abc',
};

test('on AWS: the job page and its CloudWatch log stream, in the execution region', () => {
  expect(whereToLook(trainingStep, { executionArn: EXECUTION, local: false })).toEqual([
    'Job: https://eu-west-1.console.aws.amazon.com/sagemaker/home?region=eu-west-1#/jobs/pipelines-e1-train-abc',
    'Logs: https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Faws$252Fsagemaker$252FTrainingJobs$3FlogStreamNameFilter$3Dpipelines-e1-train-abc',
  ]);
});

test('locally: the job log file and the mlops logs command', () => {
  expect(
    whereToLook(trainingStep, { executionArn: EXECUTION, local: true, localStateDir: '/state' }),
  ).toEqual([
    `Job log: /state/sagemaker/jobs/pipelines-e1-train-abc/job.log (or \`mlops logs ${EXECUTION} --step Train\`)`,
  ]);
});

test('a failed Fail step or Lambda points at the execution or the function', () => {
  expect(
    whereToLook({ name: 'Gate', status: 'Failed', kind: 'Fail' }, { executionArn: EXECUTION, local: false }),
  ).toEqual([`Execution: SageMaker Studio → Pipelines → open the execution ${EXECUTION}`]);
  const lambda = {
    name: 'Record',
    status: 'Failed',
    kind: 'Lambda',
    resourceArn: 'arn:aws:lambda:eu-west-1:123456789012:function:record',
  };
  expect(whereToLook(lambda, { executionArn: EXECUTION, local: false })).toEqual([
    'Function: https://eu-west-1.console.aws.amazon.com/lambda/home?region=eu-west-1#/functions/record?tab=monitor',
  ]);
});

test('an endpoint override on this machine means the local AWS', () => {
  expect(isLocalEndpoint('http://127.0.0.1:4566')).toBe(true);
  expect(isLocalEndpoint('http://localhost:4566')).toBe(true);
  expect(isLocalEndpoint('https://sagemaker.eu-west-1.amazonaws.com')).toBe(false);
  expect(isLocalEndpoint('not a url')).toBe(false);
});
