import * as os from 'node:os';

import { IAM_USER_NAME } from './caller';

/** Dummy credentials the local AWS accepts (it does not verify SigV4 signatures). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

/**
 * Credentials that say who signs (the local AWS takes the access key id as an IAM user name, see
 * caller.ts): the OS user, so what `mlops approve` changes on the local AWS records a real approver.
 * Falls back to the dummy key when the OS user name is no valid IAM user name.
 */
export function localUserCredentials(): { accessKeyId: string; secretAccessKey: string } {
  const user = safeUserName();
  return { ...LOCAL_CREDENTIALS, ...(user && IAM_USER_NAME.test(user) ? { accessKeyId: user } : {}) };
}

function safeUserName(): string | undefined {
  try {
    return os.userInfo().username;
  } catch {
    return undefined; // no passwd entry for the uid (e.g. a container's arbitrary user)
  }
}

/** The environment variables that point AWS SDKs (v3, recent boto3, the AWS CLI) at a local AWS. */
export function localAwsEnv(endpoint: string, region: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  };
}
