import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

import { findPython } from '../../../local/runtimes/python';
import type { CaptureRecord } from '../../../local/services/sagemaker-runtime/data-capture';
import { buildAbaloneModel, type AbaloneModel } from '../endpoints/abalone-model';
import { createModel, uploadModels } from '../endpoints/hosting';
import { startTestAws, type TestAws } from '../endpoints/local-aws';

jest.setTimeout(120_000);

interface CaptureRun {
  readonly answers: string[];
  readonly objects: { key: string; lines: string[] }[];
  readonly summaries: Record<string, Record<string, unknown>>;
  readonly started: number;
}

let t: TestAws;
let model: AbaloneModel;
let run: CaptureRun;

beforeAll(async () => {
  t = await startTestAws();
  model = await buildAbaloneModel(path.join(t.dir, 'model'));
  await uploadModels(t, { abalone: { file: model.modelTarGz } });
  await createModel(t, 'abalone', 'abalone');
  const rowsFile = path.join(t.dir, 'rows.csv');
  fs.writeFileSync(rowsFile, model.testRows.join('\n'));
  const result = await promisify(execFile)(
    findPython(),
    [path.join(__dirname, 'capture_traffic.py'), t.aws.endpoint, 'abalone', rowsFile],
    { timeout: 100_000, maxBuffer: 64 * 1024 * 1024 },
  );
  run = JSON.parse(result.stdout) as CaptureRun;
});

afterAll(() => t?.stop());

const KEY =
  /^datacapture\/([^/]+)\/AllTraffic\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})\/(\d{2})-(\d{2})-(\d{3})-[0-9a-f-]{36}\.jsonl$/;

function recordsOf(endpoint: string): CaptureRecord[] {
  return run.objects
    .filter((object) => object.key.startsWith(`datacapture/${endpoint}/`))
    .flatMap((object) => object.lines.map((line) => JSON.parse(line) as CaptureRecord));
}

describe('data capture on local endpoints (driven by boto3)', () => {
  it('writes keys {destination}/{endpoint}/{variant}/yyyy/mm/dd/hh/{mm}-{ss}-{mmm}-{uuid}.jsonl', () => {
    expect(run.objects.length).toBeGreaterThan(0);
    for (const object of run.objects) {
      const match = KEY.exec(object.key);
      expect(match).not.toBeNull();
      const [, , year, month, day, hour, minute] = match!.map(Number);
      const fileTime = Date.UTC(year!, month! - 1, day!, hour!, minute!);
      // The file's time is that of its first record: between the traffic's start and now (minute precision).
      expect(fileTime).toBeGreaterThanOrEqual(Math.floor(run.started / 60) * 60_000);
      expect(fileTime).toBeLessThanOrEqual(Date.now());
    }
  });

  it('captures every request at 100% with input and output as CSV, InferenceId when sent', () => {
    const records = recordsOf('capture-all');
    expect(records).toHaveLength(20);
    const byInference = new Map(records.map((record) => [record.eventMetadata.inferenceId, record]));
    for (let index = 0; index < 20; index += 1) {
      if (index % 2 === 1) continue;
      const record = byInference.get(`row-${index}`)!;
      expect(record).toEqual({
        captureData: {
          endpointInput: {
            observedContentType: 'text/csv',
            mode: 'INPUT',
            data: model.testRows[index],
            encoding: 'CSV',
          },
          endpointOutput: {
            observedContentType: 'text/csv',
            mode: 'OUTPUT',
            data: run.answers[index],
            encoding: 'CSV',
          },
        },
        eventMetadata: {
          eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
          inferenceId: `row-${index}`,
          inferenceTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
        },
        eventVersion: '0',
      });
    }
    const withoutId = records.filter((record) => record.eventMetadata.inferenceId === undefined);
    expect(withoutId).toHaveLength(10);
    expect(withoutId.every((record) => !('inferenceId' in record.eventMetadata))).toBe(true);
    expect(new Set(records.map((record) => record.eventMetadata.eventId)).size).toBe(20);
  });

  it('captures nothing at 0% and about half at 50%, input only, BASE64 without a content-type header', () => {
    expect(recordsOf('capture-none')).toHaveLength(0);
    const half = recordsOf('capture-half');
    // 200 requests at p = 0.5: outside 60..140 has a probability near 1e-8.
    expect(half.length).toBeGreaterThan(60);
    expect(half.length).toBeLessThan(140);
    const first = half[0]!;
    expect(Object.keys(first.captureData)).toEqual(['endpointInput']);
    const input = first.captureData.endpointInput!;
    expect(input.encoding).toBe('BASE64');
    expect(input.observedContentType).toBe('application/octet-stream');
    const decoded = Buffer.from(input.data, 'base64').toString('utf8');
    expect(model.testRows).toContain(decoded);
  });

  it('reports CaptureStatus Started with the sampling percentage in DescribeEndpoint', () => {
    expect(run.summaries['capture-all']).toEqual({
      EnableCapture: true,
      CaptureStatus: 'Started',
      CurrentSamplingPercentage: 100,
      DestinationS3Uri: 's3://capture/datacapture',
      KmsKeyId: '',
    });
    expect(run.summaries['capture-half']).toMatchObject({
      CaptureStatus: 'Started',
      CurrentSamplingPercentage: 50,
    });
  });
});
