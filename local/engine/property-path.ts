import { isRecord } from './definition';

/** One hop of a property path: a member name, a list position, or a string index (`Outputs['train']`). */
export type PathSegment =
  | { readonly kind: 'member'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'key'; readonly key: string };

const SEGMENT = /\.([^.[\]'"]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/y;

/** Parses `.A.B['x'][0].C` (the part after the step name in `Steps.<name>...`, or a JsonGet Path with a leading dot). */
export function parsePath(text: string): PathSegment[] {
  const segments: PathSegment[] = [];
  SEGMENT.lastIndex = 0;
  while (SEGMENT.lastIndex < text.length) {
    const start = SEGMENT.lastIndex;
    const match = SEGMENT.exec(text);
    if (!match) {
      throw new Error(
        `cannot read property path '${text}' at position ${start}: expected .Name, [n] or ['key']`,
      );
    }
    if (match[1] !== undefined) segments.push({ kind: 'member', name: match[1] });
    else if (match[2] !== undefined) segments.push({ kind: 'index', index: Number(match[2]) });
    else segments.push({ kind: 'key', key: match[3] ?? match[4] ?? '' });
  }
  return segments;
}

export interface StepReference {
  readonly stepName: string;
  readonly path: PathSegment[];
}

/** Splits `Steps.<name>.<path>` into the step name and the path inside the step's properties. */
export function parseStepReference(reference: string): StepReference | undefined {
  const match = /^Steps\.([A-Za-z0-9\-_]+)(.*)$/.exec(reference);
  if (!match) return undefined;
  return { stepName: match[1] ?? '', path: parsePath(match[2] ?? '') };
}

/** Members whose value names a list entry, so `Outputs['train']` can pick the entry named `train`. */
const ENTRY_NAME_MEMBERS = [
  'OutputName',
  'MetricName',
  'ChannelName',
  'InputName',
  'Name',
  'PropertyFileName',
];

/** Follows a path through an object; undefined when any hop is missing. */
export function walkPath(root: unknown, path: readonly PathSegment[]): unknown {
  let current = root;
  for (const segment of path) {
    if (current === undefined || current === null) return undefined;
    current = step(current, segment);
  }
  return current;
}

function step(current: unknown, segment: PathSegment): unknown {
  if (segment.kind === 'index') return Array.isArray(current) ? current[segment.index] : undefined;
  const name = segment.kind === 'member' ? segment.name : segment.key;
  if (Array.isArray(current)) {
    return current.find(
      (entry) => isRecord(entry) && ENTRY_NAME_MEMBERS.some((member) => entry[member] === name),
    ) as unknown;
  }
  return isRecord(current) ? current[name] : undefined;
}

export function formatPath(path: readonly PathSegment[]): string {
  return path
    .map((segment) => {
      if (segment.kind === 'member') return `.${segment.name}`;
      if (segment.kind === 'index') return `[${segment.index}]`;
      return `['${segment.key}']`;
    })
    .join('');
}
