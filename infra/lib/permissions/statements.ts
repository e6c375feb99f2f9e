import { PolicyStatement } from 'aws-cdk-lib/aws-iam';

import { UNSCOPED_ACTIONS, type UnscopedAction } from './unscoped-actions';

/**
 * Why a statement's resource patterns contain a wildcard, by statement id. cdk-nag's AwsSolutions-IAM5
 * findings on a statement are acknowledged with this reason (see ../nag/acknowledge-wildcards.ts), so a
 * wildcard without a written reason still fails synthesis.
 */
const wildcardReasons = new Map<string, string>();

export function wildcardReason(sid: string): string | undefined {
  return wildcardReasons.get(sid);
}

interface StatementProps {
  /** Unique per reason: it keys the acknowledgement. */
  readonly sid: string;
  readonly actions: readonly string[];
  readonly conditions?: Record<string, Record<string, unknown>>;
}

/** A statement on named resources; `wildcard` says why a pattern such as `processing-job/*` is needed. */
export function scopedStatement(
  props: StatementProps & { readonly resources: readonly string[]; readonly wildcard?: string },
): PolicyStatement {
  if (props.wildcard !== undefined) record(props.sid, props.wildcard);
  return new PolicyStatement({
    sid: props.sid,
    actions: [...props.actions],
    resources: [...props.resources],
    ...(props.conditions ? { conditions: props.conditions } : {}),
  });
}

/** iam:PassRole on one role, and only to the service that will assume it. */
export function passRoleStatement(props: {
  readonly sid: string;
  readonly roleArn: string;
  readonly toService: 'sagemaker.amazonaws.com' | 'cloudformation.amazonaws.com';
}): PolicyStatement {
  return scopedStatement({
    sid: props.sid,
    actions: ['iam:PassRole'],
    resources: [props.roleArn],
    conditions: { StringEquals: { 'iam:PassedToService': props.toService } },
  });
}

/** A statement on `*`, admitted only for actions AWS cannot scope (UNSCOPED_ACTIONS lists why). */
export function unscopedStatement(
  props: Omit<StatementProps, 'actions'> & { readonly actions: readonly UnscopedAction[] },
): PolicyStatement {
  record(props.sid, props.actions.map((action) => `${action}: ${UNSCOPED_ACTIONS[action]}`).join('; '));
  return new PolicyStatement({
    sid: props.sid,
    actions: [...props.actions],
    resources: ['*'],
    ...(props.conditions ? { conditions: props.conditions } : {}),
  });
}

function record(sid: string, reason: string): void {
  const known = wildcardReasons.get(sid);
  if (known !== undefined && known !== reason) {
    throw new Error(
      `statement id ${sid} is used with two different wildcard reasons; give each statement its own sid`,
    );
  }
  wildcardReasons.set(sid, reason);
}
