import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { mockClient } from 'aws-sdk-client-mock';

import {
  invokeEndpointWithCsv,
  readCsvRows,
  rootMeanSquaredError,
  smokeTestEndpoint,
} from '../../../src/deploy/endpoint';

const runtime = mockClient(SageMakerRuntimeClient);
afterEach(() => runtime.reset());

// The response body as the SDK hands it over: a blob that turns into a string.
const answer = (text: string) => ({ Body: { transformToString: () => text } as never, $metadata: {} });

test('labelled CSV rows lose their first column; blank lines are skipped', () => {
  expect(readCsvRows('10,1,2\n\n7.5,3,4\n', { hasLabels: true, source: 'test.csv' })).toEqual({
    rows: ['1,2', '3,4'],
    labels: [10, 7.5],
  });
  expect(readCsvRows('1,2\n3,4', { hasLabels: false, source: 'x' })).toEqual({ rows: ['1,2', '3,4'] });
});

test('a row without a numeric label names the file and line', () => {
  expect(() => readCsvRows('10,1\nM,2,3', { hasLabels: true, source: 'test.csv' })).toThrow(
    'test.csv line 2: expected a numeric label',
  );
  expect(() => readCsvRows('\n', { hasLabels: false, source: 'empty.csv' })).toThrow(
    'empty.csv has no rows to send',
  );
});

test('rows go in batches as text/csv and predictions come back in order', async () => {
  runtime.on(InvokeEndpointCommand).callsFake((input: { Body: Uint8Array }) => {
    const rows = Buffer.from(input.Body).toString().split('\n');
    return answer(rows.map((row) => String(Number(row.split(',')[0]) * 2)).join('\n'));
  });
  const predictions = await invokeEndpointWithCsv(new SageMakerRuntimeClient({ region: 'us-east-1' }), {
    endpointName: 'ep',
    rows: ['1,0', '2,0', '3,0'],
    batchRows: 2,
  });
  expect(predictions).toEqual([2, 4, 6]);
  const calls = runtime.commandCalls(InvokeEndpointCommand);
  expect(calls).toHaveLength(2);
  expect(calls[0]?.args[0].input).toMatchObject({
    EndpointName: 'ep',
    ContentType: 'text/csv',
    Accept: 'text/csv',
  });
});

test('a prediction count that does not match the rows fails the smoke test', async () => {
  runtime.on(InvokeEndpointCommand).resolves(answer('1\n'));
  await expect(
    smokeTestEndpoint(new SageMakerRuntimeClient({ region: 'us-east-1' }), {
      endpointName: 'ep',
      csv: { rows: ['1', '2'], labels: [1, 2] },
    }),
  ).rejects.toThrow('endpoint ep answered 1 predictions for 2 rows');
});

test('RMSE of predictions against labels', () => {
  expect(rootMeanSquaredError([1, 2, 3], [1, 2, 5])).toBeCloseTo(Math.sqrt(4 / 3), 12);
  expect(() => rootMeanSquaredError([1], [])).toThrow(
    'cannot compute RMSE of 0 predictions against 1 labels',
  );
});
