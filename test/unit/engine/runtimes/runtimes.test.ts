import { truncateReason } from '../../../../local/engine/execution-record';
import { stepResourceName } from '../../../../local/engine/resource-names';
import { JobFailure } from '../../../../local/runtimes/job-runtime';
import { jobRuntimeFor, repositoryAndTag, resolveImage } from '../../../../local/runtimes/registry';
import { rewriteOptMl } from '../../../../local/runtimes/sandbox';
import { finalMetrics, runXgboostTraining } from '../../../../local/runtimes/xgboost-training';

describe('the image registry', () => {
  it('maps SageMaker images of any registry and tag suffix to their runtime', () => {
    expect(repositoryAndTag('683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1')).toBe(
      'sagemaker-xgboost:1.7-1',
    );
    expect(repositoryAndTag('sagemaker-xgboost@sha256:abc')).toBe('sagemaker-xgboost:latest');
    const training = jobRuntimeFor(
      '683313688378.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1-cpu-py3',
      'training',
    );
    expect(training.runtime).toBe(runXgboostTraining);
    expect(training.warning).toBeUndefined();
    expect(resolveImage('x/sagemaker-scikit-learn:1.2-1-cpu-py3', 'processing').version).toBe('1.2-1');
  });

  it('warns about older tags, naming the image library version and the local one', () => {
    const image = resolveImage('x/sagemaker-scikit-learn:1.0-1-cpu-py3', 'processing');
    expect(image.warning).toMatch(
      /^image sagemaker-scikit-learn:1\.0-1-cpu-py3 ships scikit-learn 1\.0\.2; the local AWS runs it on the local scikit-learn \d+\.\d+\.\d+ \(the version of sagemaker-scikit-learn:1\.2-1\)/,
    );
  });

  it('refuses unknown images and uses, listing the supported images and how to add one', () => {
    const refuse = (uri: string, kind: 'processing' | 'training') => {
      try {
        jobRuntimeFor(uri, kind);
      } catch (error) {
        return error as JobFailure;
      }
      throw new Error('expected a failure');
    };
    const unknown = refuse('123.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:1.6.0-gpu-py36', 'training');
    expect(unknown.failureClass).toBe('ClientError');
    expect(unknown.message).toContain('is not supported by the local AWS for training; supported images');
    expect(unknown.message).toContain('sagemaker-xgboost:{1.0-1,1.2-1,1.2-2,1.3-1,1.5-1,1.7-1}');
    expect(unknown.message).toContain('registerImageFamily()');
    expect(refuse('x/sagemaker-scikit-learn:1.2-1', 'training').message).toContain('for training');
    expect(refuse('x/sagemaker-xgboost:0.90-2', 'training').message).toContain(
      'sagemaker-xgboost:0.90-2 is not supported',
    );
  });

  it('runs an aliased image as the image it stands for (MLOPS_IMAGE_ALIASES)', () => {
    const env = {
      MLOPS_IMAGE_ALIASES: 'my-registry.example/team/sklearn-plus:3=sagemaker-scikit-learn:1.2-1',
    };
    expect(resolveImage('my-registry.example/team/sklearn-plus:3', 'processing', env).family.repository).toBe(
      'sagemaker-scikit-learn',
    );
  });
});

describe('runtime helpers', () => {
  it('rewrites /opt/ml paths in arguments for the no-namespace fallback', () => {
    expect(
      ['/opt/ml/processing/input', '--out=/opt/ml/processing/out', '/opt/ml', '/opt/mlx', 'x/opt/ml/y'].map(
        (arg) => rewriteOptMl(arg, '/state/job/opt-ml'),
      ),
    ).toEqual([
      '/state/job/opt-ml/processing/input',
      '--out=/state/job/opt-ml/processing/out',
      '/state/job/opt-ml',
      '/opt/mlx',
      'x/opt/ml/y',
    ]);
  });

  it('reads the final metrics from the training log, as the service does', () => {
    const log = [
      '[local-aws] staged',
      '[0]#011train-rmse:3.1#011validation-rmse:3.3',
      '[1]\ttrain-rmse:2.0\tvalidation-rmse:2.2',
      'done',
    ].join('\n');
    expect(finalMetrics(log, 100)).toEqual([
      { MetricName: 'train:rmse', Value: 2, Timestamp: 100 },
      { MetricName: 'validation:rmse', Value: 2.2, Timestamp: 100 },
    ]);
  });

  it('names step resources like the service: lowercase, 63 characters at most, valid characters only', () => {
    const name = stepResourceName('abc123def456', 'A_Very_Long_Step_Name_That_Goes_On_And_On_For_Ever');
    expect(name).toMatch(/^pipelines-abc123def456-a-very-long-step-name-that-go-[a-z0-9]{10}$/);
    expect(name.length).toBeLessThanOrEqual(63);
  });

  it('keeps the class and the end of a long failure reason', () => {
    const reason = `AlgorithmError: ${'x'.repeat(2000)} the end`;
    const short = truncateReason(reason, 1024);
    expect(short).toHaveLength(1024);
    expect(short.startsWith('AlgorithmError: ...')).toBe(true);
    expect(short.endsWith('the end')).toBe(true);
  });
});
