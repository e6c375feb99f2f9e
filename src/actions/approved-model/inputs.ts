import { PATTERNS } from '../../aws/name-patterns';
import type { ApprovalEvent } from '../../deploy/approval-decision';
import { InputError, type Inputs } from '../inputs';

export interface ApprovedModelInputs {
  readonly modelPackageGroup: string;
  /** The template parameter the package ARN is passed as (in the `template-parameters` output). */
  readonly parameterName: string;
  /** A registry decision to act on (repository_dispatch or workflow_dispatch); absent: the newest Approved package. */
  readonly decision?: {
    readonly modelPackageArn: string;
    readonly event: ApprovalEvent;
    /** The endpoint stack whose endpoint says what serves now (no-op and rollback need it). */
    readonly servingStackName?: string;
  };
}

const EVENTS: readonly ApprovalEvent[] = ['approved', 'rejected'];

export function readApprovedModelInputs(inputs: Inputs): ApprovedModelInputs {
  const modelPackageArn = inputs.matching(
    'model-package-arn',
    PATTERNS.modelPackageArn.pattern,
    PATTERNS.modelPackageArn.expected,
  );
  const event = inputs.optional('approval-event') ?? 'approved';
  if (!EVENTS.includes(event as ApprovalEvent))
    throw new InputError('approval-event', `expected approved or rejected; got "${event}"`);
  if (event === 'rejected' && !modelPackageArn)
    throw new InputError('approval-event', 'rejected needs model-package-arn: the package that was rejected');
  const servingStackName = inputs.matching(
    'serving-stack-name',
    PATTERNS.stackName.pattern,
    PATTERNS.stackName.expected,
  );
  return {
    modelPackageGroup: inputs.matching(
      'model-package-group',
      PATTERNS.modelPackageGroup.pattern,
      PATTERNS.modelPackageGroup.expected,
      { required: true },
    ),
    parameterName:
      inputs.matching('parameter-name', PATTERNS.parameterName.pattern, PATTERNS.parameterName.expected) ??
      'ModelPackageArn',
    ...(modelPackageArn
      ? {
          decision: {
            modelPackageArn,
            event: event as ApprovalEvent,
            ...(servingStackName ? { servingStackName } : {}),
          },
        }
      : {}),
  };
}
