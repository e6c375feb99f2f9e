import * as fs from 'node:fs';
import * as path from 'node:path';

import * as tar from 'tar';

import { JobFailure, JobStopped, type JobContext, type JobDetails } from './job-runtime';
import { downloadS3Prefix, listFiles, parseS3Uri, uploadFolder } from './s3-staging';
import { MAX_PAYLOAD_BYTES, XgboostServing } from './xgboost-serving';

interface TransformRequest {
  readonly TransformInput?: {
    readonly DataSource?: {
      readonly S3DataSource?: { readonly S3Uri?: string; readonly S3DataType?: string };
    };
    readonly ContentType?: string;
    readonly SplitType?: string;
    readonly CompressionType?: string;
  };
  readonly TransformOutput?: {
    readonly S3OutputPath?: string;
    readonly Accept?: string;
    readonly AssembleWith?: string;
  };
  readonly MaxPayloadInMB?: number;
  readonly DataProcessing?: {
    readonly InputFilter?: string;
    readonly OutputFilter?: string;
    readonly JoinSource?: string;
  };
}

/**
 * A batch transform on a sagemaker-xgboost model: the model is served by the same runtime as endpoints
 * (xgboost-serving.ts); each input object is sent to `/invocations` (split into lines up to MaxPayloadInMB
 * when SplitType is Line) and the answers are written to `<S3OutputPath>/<input path>.out`.
 */
export async function runXgboostTransform(context: JobContext): Promise<JobDetails> {
  const request = context.request as TransformRequest;
  const input = request.TransformInput;
  const inputUri = input?.DataSource?.S3DataSource?.S3Uri;
  const outputUri = request.TransformOutput?.S3OutputPath;
  if (!inputUri || !outputUri) {
    throw new JobFailure(
      'ClientError',
      'TransformInput.DataSource.S3DataSource.S3Uri and TransformOutput.S3OutputPath are required',
    );
  }
  checkSupported(request);
  const modelDir = await stageModel(context);
  const inputDir = path.join(context.directory.root, 'input');
  const outputDir = path.join(context.directory.root, 'output');
  const count = await downloadS3Prefix(context.objects, inputUri, inputDir, 'TransformInput');
  context.log.note(`staged ${count} input file(s) from ${inputUri}`);

  const serving = new XgboostServing({ modelDir, python: context.python, logFile: context.log.file });
  const stop = () => void serving.stop();
  context.signal.addEventListener('abort', stop, { once: true });
  try {
    await serving.start().catch((error: Error) => {
      throw new JobFailure('ClientError', `the model could not be loaded: ${error.message}`);
    });
    for (const file of listFiles(inputDir)) {
      if (context.signal.aborted) throw new JobStopped('the transform job was stopped');
      const body = fs.readFileSync(path.join(inputDir, file));
      const answers = await transformFile(serving, body, request, file);
      const target = path.join(outputDir, `${file}.out`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, answers);
    }
  } finally {
    context.signal.removeEventListener('abort', stop);
    await serving.stop();
  }
  if (context.signal.aborted) throw new JobStopped('the transform job was stopped');
  const written = await uploadFolder(context.objects, outputDir, outputUri, 'TransformOutput.S3OutputPath');
  context.log.note(`wrote ${written} output file(s) to ${outputUri}`);
  return {};
}

function checkSupported(request: TransformRequest): void {
  const processing = request.DataProcessing ?? {};
  const filters = [processing.InputFilter, processing.OutputFilter].filter(
    (filter) => filter !== undefined && filter !== '$',
  );
  if (filters.length > 0 || (processing.JoinSource && processing.JoinSource !== 'None')) {
    throw new JobFailure(
      'ClientError',
      'DataProcessing (InputFilter, OutputFilter, JoinSource) is not supported by the local AWS batch transform',
    );
  }
  const compression = request.TransformInput?.CompressionType;
  if (compression && compression !== 'None') {
    throw new JobFailure(
      'ClientError',
      `TransformInput.CompressionType ${compression} is not supported by the local AWS; use None`,
    );
  }
}

async function stageModel(context: JobContext): Promise<string> {
  const modelData = context.model?.ModelDataUrl;
  if (typeof modelData !== 'string') {
    throw new JobFailure(
      'ClientError',
      `model ${String(context.request.ModelName)} has no ModelDataUrl to load`,
    );
  }
  const { bucket, key } = parseS3Uri(modelData, 'ModelDataUrl');
  const tarball = path.join(context.directory.root, 'model.tar.gz');
  await context.objects.downloadTo({ bucket, key, file: tarball }).catch((error: Error) => {
    throw new JobFailure('ClientError', `Could not download the model from ${modelData}: ${error.message}`);
  });
  const modelDir = path.join(context.directory.root, 'model');
  fs.mkdirSync(modelDir, { recursive: true });
  await tar.extract({ file: tarball, cwd: modelDir });
  return modelDir;
}

async function transformFile(
  serving: XgboostServing,
  body: Buffer,
  request: TransformRequest,
  file: string,
): Promise<string> {
  const limit = Math.min((request.MaxPayloadInMB ?? 6) * 1024 * 1024, MAX_PAYLOAD_BYTES);
  const payloads = request.TransformInput?.SplitType === 'Line' ? splitLines(body, limit) : [body];
  const answers: string[] = [];
  for (const payload of payloads) {
    const response = await serving.invocations({
      body: payload,
      contentType: request.TransformInput?.ContentType,
      accept: request.TransformOutput?.Accept,
    });
    if (response.status === 204) continue;
    if (response.status !== 200) {
      throw new JobFailure(
        'ClientError',
        `${file}: the model answered HTTP ${response.status}: ${response.body}`,
      );
    }
    answers.push(response.body.replace(/\n$/, ''));
  }
  return `${answers.join('\n')}\n`;
}

/** Lines grouped into payloads of at most `limit` bytes (MultiRecord batching). */
function splitLines(body: Buffer, limit: number): Buffer[] {
  const lines = body
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
  const payloads: Buffer[] = [];
  let current: string[] = [];
  let size = 0;
  for (const line of lines) {
    const bytes = Buffer.byteLength(line) + 1;
    if (current.length > 0 && size + bytes > limit) {
      payloads.push(Buffer.from(current.join('\n')));
      current = [];
      size = 0;
    }
    current.push(line);
    size += bytes;
  }
  if (current.length > 0) payloads.push(Buffer.from(current.join('\n')));
  return payloads;
}
