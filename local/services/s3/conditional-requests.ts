import type { ObjectInfo } from '../../core/deps';
import { AwsError } from '../../core/errors';

/** The conditional headers of GetObject and HeadObject, as the model types them. */
export interface Conditions {
  readonly IfMatch?: string | undefined;
  readonly IfNoneMatch?: string | undefined;
  readonly IfModifiedSince?: Date | undefined;
  readonly IfUnmodifiedSince?: Date | undefined;
}

/**
 * Evaluates conditional headers in RFC 9110's order, as S3 does: If-Match (else If-Unmodified-Since) false
 * → 412 PreconditionFailed; If-None-Match (else If-Modified-Since) false → 304 Not Modified. Dates compare
 * at whole seconds, the precision of Last-Modified.
 */
export function checkConditions(conditions: Conditions, object: ObjectInfo): void {
  const modified = Math.floor(object.lastModified.getTime() / 1000);
  const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
  if (conditions.IfMatch !== undefined) {
    if (!etagMatches(conditions.IfMatch, object.etag)) throw preconditionFailed('If-Match');
  } else if (conditions.IfUnmodifiedSince !== undefined && modified > seconds(conditions.IfUnmodifiedSince)) {
    throw preconditionFailed('If-Unmodified-Since');
  }
  if (conditions.IfNoneMatch !== undefined) {
    if (etagMatches(conditions.IfNoneMatch, object.etag)) throw notModified();
  } else if (conditions.IfModifiedSince !== undefined && modified <= seconds(conditions.IfModifiedSince)) {
    throw notModified();
  }
}

/** `*` or a comma-separated list of (quoted or bare) ETags. */
function etagMatches(header: string, etag: string): boolean {
  const bare = (value: string) => value.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
  return header.split(',').some((candidate) => candidate.trim() === '*' || bare(candidate) === bare(etag));
}

const preconditionFailed = (condition: string) =>
  new AwsError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', {
    status: 412,
    fields: { Condition: condition },
  });

const notModified = () => new AwsError('NotModified', 'Not Modified', { status: 304 });
