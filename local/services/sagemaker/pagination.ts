import { validationError } from '../../core/errors';

/** The paging members every SageMaker List* request has. */
export interface ListRequest {
  readonly MaxResults?: number;
  readonly NextToken?: string;
  readonly SortBy?: string;
  readonly SortOrder?: string;
}

export interface ListOptions<T> {
  /** SortBy value → record member to sort on. */
  readonly sortKeys: Readonly<Record<string, string>>;
  readonly defaultSortBy: string;
  readonly defaultOrder: 'Ascending' | 'Descending';
  readonly maxResultsLimit?: number;
  readonly defaultMaxResults?: number;
  /** Sorts by this instead of the record member (e.g. a derived value). */
  readonly sortValue?: (item: T, member: string) => unknown;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

/**
 * Sorts, then returns one page. NextToken is the offset of the next page, opaque to callers like the service's;
 * MaxResults outside 1..limit is a ValidationException as on AWS.
 */
export function listPage<T extends object>(
  records: readonly T[],
  request: ListRequest,
  options: ListOptions<T>,
): Page<T> {
  const limit = options.maxResultsLimit ?? 100;
  const max = request.MaxResults ?? options.defaultMaxResults ?? limit;
  if (!Number.isInteger(max) || max < 1 || max > limit) {
    throw validationError(
      `1 validation error detected: Value '${String(request.MaxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and ${limit}`,
    );
  }
  const sortBy = request.SortBy ?? options.defaultSortBy;
  const member = options.sortKeys[sortBy];
  if (!member) {
    throw validationError(
      `SortBy '${sortBy}' is not valid; expected one of ${Object.keys(options.sortKeys).join(', ')}`,
    );
  }
  const order = request.SortOrder ?? options.defaultOrder;
  if (order !== 'Ascending' && order !== 'Descending') {
    throw validationError(`SortOrder '${order}' is not valid; expected Ascending or Descending`);
  }
  const value = (item: T) =>
    options.sortValue ? options.sortValue(item, member) : (item as Record<string, unknown>)[member];
  // Ties keep their stored order (oldest first), reversed for Descending like everything else.
  const direction = order === 'Ascending' ? 1 : -1;
  const sorted = records
    .map((item, index) => ({ item, index }))
    .sort((a, b) => (compare(value(a.item), value(b.item)) || a.index - b.index) * direction)
    .map(({ item }) => item);
  const start = decodeToken(request.NextToken);
  const items = sorted.slice(start, start + max);
  const next = start + max < sorted.length ? encodeToken(start + max) : undefined;
  return { items, ...(next ? { nextToken: next } : {}) };
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const left = String(a ?? '');
  const right = String(b ?? '');
  return left < right ? -1 : left > right ? 1 : 0;
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

function decodeToken(token: string | undefined): number {
  if (!token) return 0;
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: unknown };
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // Falls through to the error below.
  }
  throw validationError(`NextToken '${token}' is not valid; pass the NextToken of the previous response`);
}

/**
 * The filters every SageMaker List* call of named, timestamped resources shares: NameContains (case
 * insensitive), CreationTimeAfter and CreationTimeBefore (epoch seconds, exclusive).
 */
export function filterByNameAndCreationTime<T extends { readonly CreationTime: number }>(
  records: readonly T[],
  input: Readonly<Record<string, unknown>>,
  nameOf: (record: T) => string,
): T[] {
  const contains = typeof input.NameContains === 'string' ? input.NameContains.toLowerCase() : undefined;
  return records.filter(
    (record) =>
      (!contains || nameOf(record).toLowerCase().includes(contains)) &&
      createdBetween(record.CreationTime, input.CreationTimeAfter, input.CreationTimeBefore),
  );
}

/**
 * Whether a record's creation time (epoch seconds) lies strictly between two timestamp filters, either of
 * which may be absent. The codec decodes timestamps to Dates; epoch seconds are accepted too.
 */
export function createdBetween(time: number, after: unknown, before: unknown): boolean {
  const from = epochSecondsOf(after);
  const to = epochSecondsOf(before);
  return (from === undefined || time > from) && (to === undefined || time < to);
}

function epochSecondsOf(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime() / 1000;
  return typeof value === 'number' ? value : undefined;
}
