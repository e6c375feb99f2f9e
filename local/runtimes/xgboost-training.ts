import * as fs from 'node:fs';
import * as path from 'node:path';

import * as tar from 'tar';

import { writeFileAtomic } from '../state/store';
import { CONTAINER_OPT_ML } from './job-directory';
import { JobFailure, JobStopped, type JobContext, type JobDetails } from './job-runtime';
import { containerEnv, readExitMessage } from './python-processing';
import { detectIsolation, runSandboxed } from './sandbox';
import { downloadS3Prefix, uploadFile } from './s3-staging';

/** The training script shipped beside this module (the stand-in for the algorithm container). */
export const XGBOOST_TRAIN_SCRIPT = path.join(__dirname, 'xgboost_train.py');

interface Channel {
  readonly ChannelName: string;
  readonly ContentType?: string;
  readonly InputMode?: string;
  readonly DataSource?: { S3DataSource?: { S3Uri: string; S3DataDistributionType?: string } };
}

/** `[12]#011train-rmse:1.9#011validation-rmse:2.1` (a tab shows as #011 in SageMaker's logs). */
const METRIC_LINE = /^\[(\d+)\](?:#011|\t)(.*)$/;
const METRIC_PART = /^(\w+)-([\w@:.-]+):(\S+)$/;

/**
 * A training job on the built-in XGBoost algorithm: channels staged at /opt/ml/input/data/<channel>,
 * hyperparameters.json, the training script run in the job sandbox, `model.tar.gz` (holding
 * `xgboost-model`) uploaded to `<S3OutputPath>/<TrainingJobName>/output/model.tar.gz`, final metrics parsed
 * from the log as the service does.
 */
export async function runXgboostTraining(context: JobContext): Promise<JobDetails> {
  const { request, directory, log, name } = context;
  const channels = (Array.isArray(request.InputDataConfig) ? request.InputDataConfig : []) as Channel[];
  writeConfig(context, channels);
  for (const channel of channels) await stageChannel(context, channel);

  // Inside a mount namespace the script sees /opt/ml; without one it is told the host folder.
  const optMl = detectIsolation(directory.root).kind === 'namespace' ? CONTAINER_OPT_ML : directory.optMl;
  const result = await runSandboxed({
    command: [context.python, XGBOOST_TRAIN_SCRIPT],
    env: { ...containerEnv(context, request.Environment), OPT_ML: optMl },
    directory,
    log,
    signal: context.signal,
  });
  log.note(`the process ended (${result.signal ?? `exit code ${result.exitCode}`}) after ${result.ms} ms`);
  if (result.stopped) throw new JobStopped(`training job ${name} was stopped`);
  if (result.signal)
    throw new JobFailure('InternalServerError', `the training process was killed by ${result.signal}`);
  const metrics = finalMetrics(fs.readFileSync(log.file, 'utf8'));
  if (result.exitCode !== 0) {
    const failure = readExitMessage(directory.hostPath(`${CONTAINER_OPT_ML}/output/failure`));
    const match = /^(ClientError|AlgorithmError): ([\s\S]*)$/.exec(failure ?? '');
    throw new JobFailure(
      match?.[1] === 'ClientError' ? 'ClientError' : 'AlgorithmError',
      match?.[2] ??
        `${failure ?? 'See job logs for more information'} (exit code ${result.exitCode ?? 'unknown'}). End of stderr:\n${log.stderrTail()}`,
    );
  }
  const artifacts = await uploadModel(context);
  return { ModelArtifacts: { S3ModelArtifacts: artifacts }, FinalMetricDataList: metrics };
}

function writeConfig(context: JobContext, channels: readonly Channel[]): void {
  const config = (file: string) => context.directory.hostPath(`${CONTAINER_OPT_ML}/input/config/${file}`);
  const hyperparameters = Object.fromEntries(
    Object.entries((context.request.HyperParameters ?? {}) as Record<string, unknown>).map(([k, v]) => [
      k,
      String(v),
    ]),
  );
  writeFileAtomic(config('hyperparameters.json'), JSON.stringify(hyperparameters, null, 2));
  const dataConfig = Object.fromEntries(
    channels.map((channel) => [
      channel.ChannelName,
      {
        ...(channel.ContentType ? { ContentType: channel.ContentType } : {}),
        TrainingInputMode: channel.InputMode ?? 'File',
        S3DistributionType: channel.DataSource?.S3DataSource?.S3DataDistributionType ?? 'FullyReplicated',
        RecordWrapperType: 'None',
      },
    ]),
  );
  writeFileAtomic(config('inputdataconfig.json'), JSON.stringify(dataConfig, null, 2));
  writeFileAtomic(
    config('resourceconfig.json'),
    JSON.stringify({ current_host: 'algo-1', hosts: ['algo-1'] }),
  );
  for (const folder of ['model', 'output/data']) {
    fs.mkdirSync(context.directory.hostPath(`${CONTAINER_OPT_ML}/${folder}`), { recursive: true });
  }
}

async function stageChannel(context: JobContext, channel: Channel): Promise<void> {
  const uri = channel.DataSource?.S3DataSource?.S3Uri;
  if (!uri) {
    throw new JobFailure(
      'ClientError',
      `channel ${channel.ChannelName} needs DataSource.S3DataSource.S3Uri; the local AWS stages S3 data only`,
    );
  }
  const folder = context.directory.hostPath(`${CONTAINER_OPT_ML}/input/data/${channel.ChannelName}`);
  const count = await downloadS3Prefix(context.objects, uri, folder, `channel ${channel.ChannelName}`);
  context.log.note(`staged ${count} file(s) from ${uri} in channel ${channel.ChannelName}`);
}

async function uploadModel(context: JobContext): Promise<string> {
  const output = (context.request.OutputDataConfig ?? {}) as { S3OutputPath?: string };
  if (!output.S3OutputPath) throw new JobFailure('ClientError', 'OutputDataConfig.S3OutputPath is required');
  const modelDir = context.directory.hostPath(`${CONTAINER_OPT_ML}/model`);
  const tarball = path.join(context.directory.root, 'model.tar.gz');
  await tar.create({ gzip: true, file: tarball, cwd: modelDir, portable: true }, fs.readdirSync(modelDir));
  const uri = `${output.S3OutputPath.replace(/\/+$/, '')}/${context.name}/output/model.tar.gz`;
  await uploadFile(context.objects, tarball, uri, 'OutputDataConfig.S3OutputPath');
  context.log.note(`uploaded the model to ${uri}`);
  return uri;
}

/** The last value of each metric in the log, named like the built-in algorithm's (`validation:rmse`). */
export function finalMetrics(
  logText: string,
  now: number = Date.now() / 1000,
): { MetricName: string; Value: number; Timestamp: number }[] {
  const latest = new Map<string, number>();
  for (const line of logText.split('\n')) {
    const match = METRIC_LINE.exec(line.trim());
    if (!match) continue;
    for (const part of (match[2] ?? '').split(/#011|\t/)) {
      const metric = METRIC_PART.exec(part.trim());
      if (metric) latest.set(`${metric[1]}:${metric[2]}`, Number(metric[3]));
    }
  }
  return [...latest].map(([MetricName, Value]) => ({ MetricName, Value, Timestamp: now }));
}
