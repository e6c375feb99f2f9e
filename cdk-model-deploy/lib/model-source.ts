import { CfnParameter, type Stack } from 'aws-cdk-lib';
import { CfnModel } from 'aws-cdk-lib/aws-sagemaker';

import { DEFAULT_MODEL_NAME_PARAMETER, type ModelSource } from './endpoint-props';

const MODEL_PACKAGE_ARN_PATTERN = '^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:[0-9]{12}:model-package/.+$';
const ROLE_ARN_PATTERN = '^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$';

/**
 * Declares the template parameters of the chosen model source and returns the name of the model the
 * endpoint config serves. Parameters sit directly under the stack so their logical ids stay readable
 * (`ModelNameParameter`, `ModelPackageArn`...): deploy pipelines set them by those names.
 */
export function endpointModelName(stack: Stack, source: ModelSource): string {
  switch (source.kind) {
    case 'ssmParameter':
      // The SSM type resolves at deploy time, so the model the pipeline just recorded is picked up without
      // a new synthesis, and a changed value is a change CloudFormation sees.
      return new CfnParameter(stack, 'ModelNameParameter', {
        type: 'AWS::SSM::Parameter::Value<String>',
        default: source.parameterName ?? DEFAULT_MODEL_NAME_PARAMETER,
        description:
          'SSM parameter holding the name of the SageMaker model to serve (written by the pipeline)',
      }).valueAsString;
    case 'modelName':
      return new CfnParameter(stack, 'ModelName', {
        type: 'String',
        ...(source.modelName === undefined ? {} : { default: source.modelName }),
        allowedPattern: '^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$',
        description: 'Name of an existing SageMaker model to serve',
      }).valueAsString;
    case 'modelPackage':
      return modelFromPackage(stack, source).attrModelName;
  }
}

function modelFromPackage(stack: Stack, source: Extract<ModelSource, { kind: 'modelPackage' }>): CfnModel {
  const packageArn = new CfnParameter(stack, 'ModelPackageArn', {
    type: 'String',
    ...(source.modelPackageArn === undefined ? {} : { default: source.modelPackageArn }),
    allowedPattern: MODEL_PACKAGE_ARN_PATTERN,
    description: 'ARN of the approved model package (versioned) to serve',
  });
  const roleArn = new CfnParameter(stack, 'ExecutionRoleArn', {
    type: 'String',
    ...(source.executionRoleArn === undefined ? {} : { default: source.executionRoleArn }),
    allowedPattern: ROLE_ARN_PATTERN,
    description: 'IAM role SageMaker assumes to run the model',
  });
  // No ModelName: models are immutable, so a new package means a replacement, which needs a fresh name.
  return new CfnModel(stack, 'Model', {
    executionRoleArn: roleArn.valueAsString,
    containers: [{ modelPackageName: packageArn.valueAsString }],
  });
}
