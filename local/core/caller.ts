import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Who signed a request, as AWS shows an IAM principal (SageMaker's `UserContext.IamIdentity`). */
export interface CallerIdentity {
  readonly Arn: string;
  readonly PrincipalId: string;
}

/** IAM user names: 1-64 of letters, digits and `+=,.@_-`. */
export const IAM_USER_NAME = /^[\w+=,.@-]{1,64}$/;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * The caller of a request to the local AWS. It verifies no signature, so it reads the access key id of
 * the SigV4 credential (`Authorization: … Credential=<key id>/<date>/<region>/<service>/aws4_request`, or
 * a presigned URL's `X-Amz-Credential`) and, by the local convention, takes that key id as the name of an
 * IAM user of the local account: key `alice` signs as `arn:aws:iam::<account>:user/alice`, with a stable
 * `AIDA…` unique id as principal id, as AWS shows an IAM user. A key id that is no valid user name, or
 * an unsigned request, has no caller.
 */
export function callerOf(
  request: { readonly headers: IncomingHttpHeaders; readonly query: URLSearchParams },
  accountId: string,
): CallerIdentity | undefined {
  const authorization = request.headers.authorization;
  const credential =
    /Credential=([^,\s]+)/.exec(typeof authorization === 'string' ? authorization : '')?.[1] ??
    request.query.get('X-Amz-Credential');
  const accessKeyId = credential?.split('/')[0];
  if (!accessKeyId || !IAM_USER_NAME.test(accessKeyId)) return undefined;
  return {
    Arn: `arn:aws:iam::${accountId}:user/${accessKeyId}`,
    PrincipalId: iamUserId(accountId, accessKeyId),
  };
}

/** `AIDA` and 17 base32 characters, like the unique id IAM gives a user; the same name gets the same id. */
function iamUserId(accountId: string, userName: string): string {
  const digest = createHash('sha256').update(`${accountId}/${userName}`).digest();
  const suffix = [...digest.subarray(0, 17)].map((byte) => BASE32[byte % 32]).join('');
  return `AIDA${suffix}`;
}
