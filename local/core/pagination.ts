import { AwsError } from './errors';

/** One page of a list and the token of the next (absent on the last page). */
export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

export interface PageRequest {
  /** The client's page size (already range-checked by the model); `defaultSize` when absent. */
  readonly size?: number;
  readonly defaultSize: number;
  /** The token (NextToken, Marker) of the previous page. */
  readonly token?: string;
  /** The error for a token this list did not hand out (SSM: `InvalidNextToken`). */
  readonly invalidToken: (token: string) => AwsError;
}

/**
 * The one pagination of the local AWS: tokens are opaque (base64url of the offset), a page is `size`
 * items from there. Every provider pages its List/Describe operations through this.
 */
export function pageOf<T>(items: readonly T[], request: PageRequest): Page<T> {
  const start = request.token === undefined ? 0 : offsetOf(request.token, request.invalidToken);
  const size = request.size ?? request.defaultSize;
  const end = start + size;
  const page = items.slice(start, end);
  return end < items.length ? { items: page, nextToken: tokenFor(end) } : { items: page };
}

function tokenFor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

function offsetOf(token: string, invalid: (token: string) => AwsError): number {
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match) throw invalid(token);
  return Number(match[1]);
}

/** AWS's answer to a token nobody handed out, for services that model no dedicated error. */
export const invalidTokenValidation = (token: string) =>
  new AwsError('ValidationException', `The pagination token ${token.slice(0, 100)} is invalid.`);
