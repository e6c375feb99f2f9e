import { InvokeEndpointCommand, type SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';

export interface ShiftedTrafficOptions {
  readonly runtime: SageMakerRuntimeClient;
  readonly endpointName: string;
  /** CSV rows of endpoint input (no label), one per line. */
  readonly rows: readonly string[];
  /** Feature (`_c<index>`, as Model Monitor names capture columns) → factor its values are multiplied by. */
  readonly scale: Readonly<Record<string, number>>;
  /** Rows per request (a CSV batch). Default 10. */
  readonly batchSize?: number;
}

/** Parses `_c1=1.6,_c4=2` into a scale map, or throws naming the bad entry and the expected form. */
export function parseScale(text: string): Record<string, number> {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0)
    throw new Error(`--scale "${text}" names no feature; expected e.g. _c1=1.6,_c4=2`);
  return Object.fromEntries(
    entries.map((entry) => {
      const match = /^(_c\d+)=(-?\d+(?:\.\d+)?)$/.exec(entry);
      if (!match)
        throw new Error(
          `--scale entry "${entry}" is not <feature>=<factor> with a feature like _c1; expected e.g. _c1=1.6`,
        );
      return [match[1]!, Number(match[2])];
    }),
  );
}

/** One row with the chosen features scaled; a feature beyond the row's width is an error naming both. */
export function shiftRow(row: string, scale: Readonly<Record<string, number>>): string {
  const values = row.split(',');
  for (const [feature, factor] of Object.entries(scale)) {
    const index = Number(feature.slice(2));
    const value = values[index];
    if (value === undefined)
      throw new Error(`feature ${feature} is beyond the row's ${values.length} columns: ${row}`);
    values[index] = String(Number((Number(value) * factor).toPrecision(6)));
  }
  return values.join(',');
}

/** Drift on demand: sends the rows with features scaled to an endpoint, in CSV batches; returns the rows sent. */
export async function sendShiftedTraffic(options: ShiftedTrafficOptions): Promise<number> {
  const size = options.batchSize ?? 10;
  const shifted = options.rows.filter((row) => row.trim()).map((row) => shiftRow(row, options.scale));
  for (let start = 0; start < shifted.length; start += size) {
    await options.runtime.send(
      new InvokeEndpointCommand({
        EndpointName: options.endpointName,
        ContentType: 'text/csv',
        Body: Buffer.from(shifted.slice(start, start + size).join('\n')),
      }),
    );
  }
  return shifted.length;
}
