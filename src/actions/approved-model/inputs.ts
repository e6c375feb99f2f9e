import type { Inputs } from '../inputs';
import { PATTERNS } from '../../aws/name-patterns';

export interface ApprovedModelInputs {
  readonly modelPackageGroup: string;
  /** The template parameter the package ARN is passed as (in the `template-parameters` output). */
  readonly parameterName: string;
}

export function readApprovedModelInputs(inputs: Inputs): ApprovedModelInputs {
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
  };
}
