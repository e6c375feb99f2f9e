/**
 * Request and response bodies of the sagemaker-xgboost serving contract, decoded and encoded in Node so the
 * Python worker only predicts: rows arrive as a float32 matrix, predictions leave as float32.
 */

/** A decoded request: `rows` × `cols` features, row-major. Missing values (empty CSV cells, null) are NaN. */
export interface FeatureMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float32Array;
}

/** An answer other than 200, with the status the container gives it. */
export class PayloadError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const CONTENT_TYPES = ['text/csv', 'application/json', 'application/jsonlines'] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

const ALIASES: Readonly<Record<string, ContentType>> = {
  'text/csv': 'text/csv',
  csv: 'text/csv',
  'application/json': 'application/json',
  json: 'application/json',
  'application/jsonlines': 'application/jsonlines',
  'application/x-jsonlines': 'application/jsonlines',
  'application/json-lines': 'application/jsonlines',
  'application/jsonl': 'application/jsonlines',
};

/** The media type without parameters (`text/csv; charset=utf-8` → `text/csv`); absent means text/csv. */
export function mediaType(header: string | undefined, what: 'Content-Type' | 'Accept'): ContentType {
  const raw = (header ?? '').split(';')[0]!.trim().toLowerCase();
  if (raw === '' || (what === 'Accept' && (raw === '*/*' || raw === 'text/*'))) return 'text/csv';
  const known = ALIASES[raw];
  if (!known) {
    throw new PayloadError(
      415,
      `${what} ${raw} is not supported by the sagemaker-xgboost serving runtime; use one of ${CONTENT_TYPES.join(', ')}`,
    );
  }
  return known;
}

export function decodeFeatures(body: Buffer, contentType: ContentType): FeatureMatrix {
  const text = body.toString('utf8');
  if (contentType === 'text/csv') return decodeCsv(text);
  if (contentType === 'application/json') return decodeJson(text);
  return decodeJsonLines(text);
}

function parseCell(cell: string): number {
  const trimmed = cell.trim();
  if (trimmed === '' || /^nan$/i.test(trimmed)) return NaN;
  return Number(trimmed);
}

/** CSV rows without the label, comma separated; empty cells are missing values. */
function decodeCsv(text: string): FeatureMatrix {
  const lines = text.trim().split(/\r?\n/);
  const cols = lines[0]!.split(',').length;
  const data = new Float32Array(lines.length * cols);
  lines.forEach((line, row) => {
    const cells = line.split(',');
    if (cells.length !== cols) {
      throw new PayloadError(
        415,
        `Loading csv data failed: row ${row + 1} has ${cells.length} columns but row 1 has ${cols}; every row needs the same features (no label column)`,
      );
    }
    cells.forEach((cell, col) => {
      const value = parseCell(cell);
      if (Number.isNaN(value) && cell.trim() !== '' && !/^nan$/i.test(cell.trim())) {
        throw new PayloadError(
          415,
          `Loading csv data failed: row ${row + 1}, column ${col + 1}: ${JSON.stringify(cell)} is not a number; expected text/csv rows of numeric features`,
        );
      }
      data[row * cols + col] = value;
    });
  });
  return { rows: lines.length, cols, data };
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new PayloadError(
      415,
      `Loading json data failed: ${where} is not valid JSON (${(error as Error).message})`,
    );
  }
}

/** One instance: an array of numbers or `{"features": [...]}`. */
function instanceValues(instance: unknown, where: string): unknown[] {
  if (Array.isArray(instance)) return instance;
  if (
    typeof instance === 'object' &&
    instance !== null &&
    Array.isArray((instance as { features?: unknown }).features)
  ) {
    return (instance as { features: unknown[] }).features;
  }
  throw new PayloadError(
    415,
    `Loading json data failed: ${where} must be an array of numbers or {"features": [...]}, got ${JSON.stringify(instance)}`,
  );
}

/**
 * `{"instances": [[...], {"features": [...]}]}`, `{"features": [...]}`, `[[...], ...]` or a single `[...]`
 * (SageMaker's JSON request format for built-in algorithms).
 */
function decodeJson(text: string): FeatureMatrix {
  const value = parseJson(text, 'the body');
  let instances: unknown[];
  if (Array.isArray(value))
    instances = value.every((entry) => typeof entry === 'number' || entry === null) ? [value] : value;
  else if (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { instances?: unknown }).instances)
  ) {
    instances = (value as { instances: unknown[] }).instances;
  } else if (typeof value === 'object' && value !== null && 'features' in value) instances = [value];
  else {
    throw new PayloadError(
      415,
      'Loading json data failed: expected {"instances": [...]}, {"features": [...]} or an array of rows',
    );
  }
  return matrix(
    instances.map((instance, index) => instanceValues(instance, `instance ${index + 1}`)),
    'instance',
    'json',
  );
}

/** One instance per line: `[...]` or `{"features": [...]}`. */
function decodeJsonLines(text: string): FeatureMatrix {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const rows = lines.map((line, index) =>
    instanceValues(parseJson(line, `line ${index + 1}`), `line ${index + 1}`),
  );
  return matrix(rows, 'line', 'jsonlines');
}

function matrix(rows: unknown[][], unit: string, format: string): FeatureMatrix {
  if (rows.length === 0) throw new PayloadError(415, `Loading ${format} data failed: no instances`);
  const cols = rows[0]!.length;
  const data = new Float32Array(rows.length * cols);
  rows.forEach((values, row) => {
    if (values.length !== cols) {
      throw new PayloadError(
        415,
        `Loading ${format} data failed: ${unit} ${row + 1} has ${values.length} features but ${unit} 1 has ${cols}`,
      );
    }
    values.forEach((value, col) => {
      if (value !== null && typeof value !== 'number') {
        throw new PayloadError(
          415,
          `Loading ${format} data failed: ${unit} ${row + 1}, feature ${col + 1}: ${JSON.stringify(value)} is not a number`,
        );
      }
      data[row * cols + col] = value === null ? NaN : value;
    });
  });
  return { rows: rows.length, cols, data };
}

/** Predictions (`rows` × `width`, float32) in the Accept type. */
export function encodePredictions(predictions: Float32Array, width: number, accept: ContentType): string {
  const rows = predictions.length / width;
  const row = (index: number): number | number[] =>
    width === 1 ? predictions[index]! : Array.from(predictions.subarray(index * width, (index + 1) * width));
  if (accept === 'text/csv') {
    const lines = new Array<string>(rows);
    for (let index = 0; index < rows; index++) {
      const value = row(index);
      lines[index] = Array.isArray(value) ? value.join(',') : String(value);
    }
    return lines.join('\n');
  }
  const scores = Array.from({ length: rows }, (_, index) => ({ score: row(index) }));
  if (accept === 'application/json') return JSON.stringify({ predictions: scores });
  return scores.map((score) => JSON.stringify(score)).join('\n');
}
