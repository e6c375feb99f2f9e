import type { StepView } from '../../../src/pipeline/steps';
import { describeTransition, StepProgress } from '../../../src/report/progress';

const step = (name: string, status: string, extra: Partial<StepView> = {}): StepView => ({
  name,
  status,
  ...extra,
});

test('each transition is reported exactly once', () => {
  const progress = new StepProgress();
  expect(
    progress.observe([step('A', 'Executing')]).map((t) => `${t.step.name}:${t.from ?? '-'}>${t.to}`),
  ).toEqual(['A:->Executing']);
  expect(progress.observe([step('A', 'Executing')])).toEqual([]);
  const next = progress.observe([step('A', 'Succeeded'), step('B', 'Starting')]);
  expect(next.map((t) => `${t.step.name}:${t.from ?? '-'}>${t.to}:${t.terminal}`)).toEqual([
    'A:Executing>Succeeded:true',
    'B:->Starting:false',
  ]);
  expect(progress.observe([step('A', 'Succeeded'), step('B', 'Starting')])).toEqual([]);
});

test('a finished step is described with its duration, resource, attempts, cache hit and reason', () => {
  const [transition] = new StepProgress().observe([
    step('Train', 'Failed', {
      kind: 'TrainingJob',
      durationSeconds: 125,
      resourceArn: 'arn:aws:sagemaker:us-east-1:1:training-job/t',
      attempts: 3,
      cacheSource: 'arn:aws:sagemaker:us-east-1:1:pipeline/p/execution/old',
      failureReason: 'ClientError: bad data',
    }),
  ]);
  const { headline, details } = describeTransition(transition!);
  expect(headline).toBe('✖ Train: Failed (2m 5s)');
  expect(details).toEqual([
    'type: TrainingJob',
    'resource: arn:aws:sagemaker:us-east-1:1:training-job/t',
    'attempts: 3',
    'cache hit: reused the result of arn:aws:sagemaker:us-east-1:1:pipeline/p/execution/old',
    'failure reason: ClientError: bad data',
  ]);
});
