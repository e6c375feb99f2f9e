import { validationError } from '../../core/errors';
import { invalidTokenValidation, pageOf, type Page } from '../../core/pagination';

/** The paging members every SageMaker List* request has. */
export interface ListRequest {
  readonly MaxResults?: number;
  readonly NextToken?: string;
  readonly SortBy?: string;
  readonly SortOrder?: string;
}

export interface ListOptions<T> {
  /** SortBy value → record member to sort on. */
  readonly sortKeys: Readonly<Record<string, keyof T & string>>;
  readonly defaultSortBy: string;
  readonly defaultOrder: 'Ascending' | 'Descending';
  readonly maxResultsLimit?: number;
  readonly defaultMaxResults?: number;
  /** Sorts by this instead of the record member (e.g. a derived value). */
  readonly sortValue?: (item: T, member: keyof T & string) => unknown;
}

/**
 * Sorts, then returns one page through the local AWS's one pagination (local/core/pagination.ts).
 * MaxResults outside 1..limit is a ValidationException as on AWS (in-process callers skip the codec).
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
  const value = (item: T) => (options.sortValue ? options.sortValue(item, member) : item[member]);
  // Ties keep their stored order (oldest first), reversed for Descending like everything else.
  const direction = order === 'Ascending' ? 1 : -1;
  const sorted = records
    .map((item, index) => ({ item, index }))
    .sort((a, b) => (compare(value(a.item), value(b.item)) || a.index - b.index) * direction)
    .map(({ item }) => item);
  return pageOf(sorted, {
    size: max,
    defaultSize: max,
    invalidToken: invalidTokenValidation,
    ...(request.NextToken === undefined ? {} : { token: request.NextToken }),
  });
}

/** The list's page as the SageMaker answer spreads it: `{[member]: items, NextToken?}`. */
export function pageMembers<K extends string, T>(
  member: K,
  page: Page<T>,
): { [P in K]: T[] } & { NextToken?: string } {
  return {
    [member]: page.items,
    ...(page.nextToken === undefined ? {} : { NextToken: page.nextToken }),
  } as { [P in K]: T[] } & { NextToken?: string };
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const left = String(a ?? '');
  const right = String(b ?? '');
  return left < right ? -1 : left > right ? 1 : 0;
}

/** The filters SageMaker List* calls of named, timestamped resources share. */
export interface NameAndTimeFilter {
  readonly NameContains?: string;
  readonly CreationTimeAfter?: Date;
  readonly CreationTimeBefore?: Date;
}

/** NameContains (case insensitive), CreationTimeAfter and CreationTimeBefore (exclusive). */
export function filterByNameAndCreationTime<T extends { readonly CreationTime: number }>(
  records: readonly T[],
  filter: NameAndTimeFilter,
  nameOf: (record: T) => string,
): T[] {
  const contains = filter.NameContains?.toLowerCase();
  return records.filter(
    (record) =>
      (!contains || nameOf(record).toLowerCase().includes(contains)) &&
      createdBetween(record.CreationTime, filter.CreationTimeAfter, filter.CreationTimeBefore),
  );
}

/** Whether a record's creation time (epoch seconds) lies strictly between two optional bounds. */
export function createdBetween(time: number, after: Date | undefined, before: Date | undefined): boolean {
  const seconds = (date: Date) => date.getTime() / 1000;
  return (after === undefined || time > seconds(after)) && (before === undefined || time < seconds(before));
}

/**
 * The List* of named, timestamped resources (models, endpoint configs, endpoints, package groups):
 * NameContains and CreationTime filters, then sorted by Name or CreationTime and paged.
 */
export function listNamed<T extends { readonly CreationTime: number }>(
  records: readonly T[],
  input: ListRequest & NameAndTimeFilter,
  options: { readonly nameMember: keyof T & string; readonly defaultOrder: 'Ascending' | 'Descending' },
): Page<T> {
  const named = filterByNameAndCreationTime(records, input, (record) => String(record[options.nameMember]));
  return listPage(named, input, {
    sortKeys: { Name: options.nameMember, CreationTime: 'CreationTime' },
    defaultSortBy: 'CreationTime',
    defaultOrder: options.defaultOrder,
  });
}
