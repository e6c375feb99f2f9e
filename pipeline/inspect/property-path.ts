/**
 * Step property paths as the service writes them: `ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri`,
 * `FinalMetricDataList[0].Value`. A string index picks a list entry by its name, an integer by position.
 */
export interface PropertySegment {
  readonly name: string;
  readonly keys: readonly (string | number)[];
}

const SEGMENT = /([A-Za-z0-9_:-]+)((?:\[(?:\d+|'[^']*'|"[^"]*")\])*)(?:\.|$)/y;
const KEY = /\[(\d+|'[^']*'|"[^"]*")\]/g;

/** The segments of a property path, or undefined when it is malformed. */
export function parsePropertyPath(path: string): PropertySegment[] | undefined {
  const segments: PropertySegment[] = [];
  SEGMENT.lastIndex = 0;
  while (SEGMENT.lastIndex < path.length) {
    const start = SEGMENT.lastIndex;
    const match = SEGMENT.exec(path);
    if (!match || match[0].length === 0 || SEGMENT.lastIndex === start) return undefined;
    const [, name = '', keyText = ''] = match;
    segments.push({ name, keys: [...keyText.matchAll(KEY)].map(([, key = '']) => parseKey(key)) });
  }
  return path.endsWith('.') || segments.length === 0 ? undefined : segments;
}

function parseKey(key: string): string | number {
  return /^\d+$/.test(key) ? Number(key) : key.slice(1, -1);
}
