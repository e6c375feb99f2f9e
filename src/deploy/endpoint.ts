import { DescribeEndpointCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, type SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';

import type { Clock } from '../aws/clock';
import type { Reporter } from '../report/reporter';
import { pollUntil } from './poll-until';

// Statuses an endpoint passes through on its way to InService (or back to it after a failed update).
const MOVING = new Set(['Creating', 'Updating', 'SystemUpdating', 'RollingBack']);

export interface EndpointState {
  readonly endpointName: string;
  readonly status: string;
  readonly failureReason?: string;
}

/** Waits until the endpoint settles; throws unless it ends InService. */
export async function waitForEndpoint(
  sagemaker: SageMakerClient,
  options: { endpointName: string; deadline: number; clock: Clock; reporter: Reporter; pollMs: number },
): Promise<EndpointState> {
  const described = await pollUntil({
    what: `endpoint ${options.endpointName} to be InService`,
    read: () => sagemaker.send(new DescribeEndpointCommand({ EndpointName: options.endpointName })),
    done: (endpoint) => !MOVING.has(endpoint.EndpointStatus ?? ''),
    ...options,
  });
  const state: EndpointState = {
    endpointName: options.endpointName,
    status: described.EndpointStatus ?? 'Unknown',
    ...(described.FailureReason ? { failureReason: described.FailureReason } : {}),
  };
  if (state.status !== 'InService') {
    throw new Error(
      `endpoint ${options.endpointName} is ${state.status}${state.failureReason ? `: ${state.failureReason}` : ''}`,
    );
  }
  return state;
}

/** CSV rows to send, and their labels when the first column holds them (numeric CSV without quoting). */
export interface CsvRows {
  readonly rows: readonly string[];
  readonly labels?: readonly number[];
}

export function readCsvRows(text: string, options: { hasLabels: boolean; source: string }): CsvRows {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  const rows: string[] = [];
  const labels: number[] = [];
  lines.forEach((line, index) => {
    if (line === '') return;
    if (!options.hasLabels) return void rows.push(line);
    const comma = line.indexOf(',');
    const label = Number(comma < 0 ? line : line.slice(0, comma));
    if (comma < 0 || !Number.isFinite(label)) {
      throw new Error(
        `${options.source} line ${index + 1}: expected a numeric label, a comma and the features; got "${line.slice(0, 80)}"`,
      );
    }
    labels.push(label);
    rows.push(line.slice(comma + 1));
  });
  if (rows.length === 0) throw new Error(`${options.source} has no rows to send`);
  return options.hasLabels ? { rows, labels } : { rows };
}

// Rows per request: far under the 6 MB payload limit for tabular rows, few round trips.
const DEFAULT_BATCH_ROWS = 500;

/** Sends rows as text/csv in batches and returns one prediction per row. */
export async function invokeEndpointWithCsv(
  runtime: SageMakerRuntimeClient,
  options: { endpointName: string; rows: readonly string[]; batchRows?: number },
): Promise<number[]> {
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  const predictions: number[] = [];
  for (let start = 0; start < options.rows.length; start += batchRows) {
    const batch = options.rows.slice(start, start + batchRows);
    const response = await runtime.send(
      new InvokeEndpointCommand({
        EndpointName: options.endpointName,
        ContentType: 'text/csv',
        Accept: 'text/csv',
        Body: Buffer.from(batch.join('\n')),
      }),
    );
    const values = parsePredictions(response.Body.transformToString(), options.endpointName);
    if (values.length !== batch.length) {
      throw new Error(
        `endpoint ${options.endpointName} answered ${values.length} predictions for ${batch.length} rows`,
      );
    }
    predictions.push(...values);
  }
  return predictions;
}

/** XGBoost answers one value per line (older containers: comma-separated). */
function parsePredictions(text: string, endpointName: string): number[] {
  return text
    .split(/[\n,]/)
    .map((value) => value.trim())
    .filter((value) => value !== '')
    .map((value) => {
      const number = Number(value);
      if (!Number.isFinite(number))
        throw new Error(`endpoint ${endpointName} answered a non-numeric prediction "${value.slice(0, 80)}"`);
      return number;
    });
}

export function rootMeanSquaredError(labels: readonly number[], predictions: readonly number[]): number {
  if (labels.length !== predictions.length || labels.length === 0) {
    throw new Error(
      `cannot compute RMSE of ${predictions.length} predictions against ${labels.length} labels`,
    );
  }
  const sum = labels.reduce(
    (total, label, index) => total + (label - (predictions[index] ?? Number.NaN)) ** 2,
    0,
  );
  return Math.sqrt(sum / labels.length);
}

export interface SmokeTestResult {
  readonly rows: number;
  readonly rmse?: number;
  readonly durationMs: number;
}

/** Invokes the endpoint with every row of a CSV; fails on any invocation error; RMSE when labels are given. */
export async function smokeTestEndpoint(
  runtime: SageMakerRuntimeClient,
  options: { endpointName: string; csv: CsvRows; now?: () => number },
): Promise<SmokeTestResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const predictions = await invokeEndpointWithCsv(runtime, {
    endpointName: options.endpointName,
    rows: options.csv.rows,
  });
  const labels = options.csv.labels;
  return {
    rows: predictions.length,
    ...(labels ? { rmse: rootMeanSquaredError(labels, predictions) } : {}),
    durationMs: now() - started,
  };
}
