import {
  PayloadError,
  decodeFeatures,
  encodePredictions,
  mediaType,
} from '../../../local/runtimes/xgboost-serving-payload';

const rows = (body: string, type: Parameters<typeof decodeFeatures>[1]) => {
  const matrix = decodeFeatures(Buffer.from(body), type);
  return Array.from({ length: matrix.rows }, (_, row) =>
    Array.from(matrix.data.subarray(row * matrix.cols, (row + 1) * matrix.cols)),
  );
};

function payloadError(action: () => unknown): PayloadError {
  try {
    action();
  } catch (error) {
    if (error instanceof PayloadError) return error;
    throw error;
  }
  throw new Error('expected a PayloadError');
}

describe('sagemaker-xgboost serving payloads', () => {
  test('CSV: trailing newline ignored, empty cells and "nan" are missing values, values become float32', () => {
    expect(rows('1.5,,3\r\n4,nan,0.1\n', 'text/csv')).toEqual([
      [1.5, NaN, 3],
      [4, NaN, Math.fround(0.1)],
    ]);
  });

  test('JSON request forms: instances of arrays or features, a single features object, rows, one row', () => {
    const expected = [
      [1, 2],
      [3, 4],
    ];
    expect(rows('{"instances": [[1, 2], {"features": [3, 4]}]}', 'application/json')).toEqual(expected);
    expect(rows('[[1, 2], [3, 4]]', 'application/json')).toEqual(expected);
    expect(rows('{"features": [1, null]}', 'application/json')).toEqual([[1, NaN]]);
    expect(rows('[1, 2]', 'application/json')).toEqual([[1, 2]]);
    expect(rows('[1, 2]\n\n{"features": [3, 4]}\n', 'application/jsonlines')).toEqual(expected);
  });

  test('errors name the line and feature at fault, with the container status', () => {
    const json = payloadError(() =>
      decodeFeatures(Buffer.from('{"instances": [[1, 2], [3, "x"]]}'), 'application/json'),
    );
    expect([json.status, json.message]).toEqual([
      415,
      'Loading json data failed: instance 2, feature 2: "x" is not a number',
    ]);
    const lines = payloadError(() => decodeFeatures(Buffer.from('[1, 2]\n[3]'), 'application/jsonlines'));
    expect(lines.message).toBe('Loading jsonlines data failed: line 2 has 1 features but line 1 has 2');
    const shape = payloadError(() => decodeFeatures(Buffer.from('{"rows": []}'), 'application/json'));
    expect(shape.message).toBe(
      'Loading json data failed: expected {"instances": [...]}, {"features": [...]} or an array of rows',
    );
  });

  test('media types: parameters dropped, CSV by default, unknown types are 415', () => {
    expect(mediaType('text/csv; charset=utf-8', 'Content-Type')).toBe('text/csv');
    expect(mediaType(undefined, 'Content-Type')).toBe('text/csv');
    expect(mediaType('*/*', 'Accept')).toBe('text/csv');
    expect(mediaType('application/x-jsonlines', 'Accept')).toBe('application/jsonlines');
    expect(payloadError(() => mediaType('*/*', 'Content-Type')).status).toBe(415);
  });

  test('predictions: one per CSV line, JSON scores, multi-output rows as lists', () => {
    const single = new Float32Array([1.5, 2.25]);
    expect(encodePredictions(single, 1, 'text/csv')).toBe('1.5\n2.25');
    expect(encodePredictions(single, 1, 'application/json')).toBe(
      '{"predictions":[{"score":1.5},{"score":2.25}]}',
    );
    expect(encodePredictions(single, 1, 'application/jsonlines')).toBe('{"score":1.5}\n{"score":2.25}');
    const classes = new Float32Array([0.25, 0.75, 0.5, 0.5]);
    expect(encodePredictions(classes, 2, 'text/csv')).toBe('0.25,0.75\n0.5,0.5');
    expect(encodePredictions(classes, 2, 'application/json')).toBe(
      '{"predictions":[{"score":[0.25,0.75]},{"score":[0.5,0.5]}]}',
    );
  });
});
