/** Shapes of AWS names and ARNs the actions and the CLI accept, with the words the error messages use. */
export const PATTERNS = {
  pipelineName: {
    pattern: /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/,
    expected:
      'a pipeline name: letters, digits and hyphens, at most 256 characters, not starting or ending with a hyphen',
  },
  displayName: {
    pattern: /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,81}$/,
    expected: 'a display name: letters, digits and hyphens, at most 82 characters',
  },
  roleArn: {
    pattern: /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
    expected: 'an IAM role ARN like arn:aws:iam::123456789012:role/SageMakerExecutionRole',
  },
  executionArn: {
    pattern:
      /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:pipeline\/[a-zA-Z0-9-]{1,256}\/execution\/[a-z0-9]{1,64}$/i,
    expected:
      'a pipeline execution ARN like arn:aws:sagemaker:us-east-1:123456789012:pipeline/my-pipeline/execution/abc123',
  },
  stackName: {
    pattern: /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/,
    expected: 'a stack name: a letter, then letters, digits and hyphens, at most 128 characters',
  },
  bucketName: {
    pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    expected: 'an S3 bucket name (3–63 lowercase letters, digits, dots and hyphens)',
  },
  modelPackageArn: {
    pattern: /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:model-package\/[a-zA-Z0-9-]{1,63}\/\d+$/,
    expected:
      'a versioned model package ARN like arn:aws:sagemaker:us-east-1:123456789012:model-package/my-group/3',
  },
  modelPackageGroup: {
    pattern: /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/,
    expected: 'a model package group name: letters, digits and hyphens, at most 63 characters',
  },
  parameterName: {
    pattern: /^[a-zA-Z0-9]{1,255}$/,
    expected: 'a CloudFormation parameter name (letters and digits)',
  },
  region: {
    pattern: /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/,
    expected: 'an AWS region like us-east-1',
  },
  lambdaArn: {
    pattern:
      /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[a-zA-Z0-9_-]{1,64}(:[a-zA-Z0-9$_-]{1,128})?$/,
    expected: 'a Lambda function ARN like arn:aws:lambda:us-east-1:123456789012:function:record-model-name',
  },
  ssmParameterName: {
    pattern: /^(?!\/?(aws|ssm)[./-])(?!.*\/\/)[a-zA-Z0-9_.\-/]{1,1011}$/i,
    expected:
      'an SSM parameter name: letters, digits and _ . - /, at most 1,011 characters, not starting with aws or ssm',
  },
  s3Prefix: {
    pattern: /^(?!\/)(?!.*(^|\/)\.{1,2}(\/|$))[\P{Cc}]{0,900}$/u,
    expected: 'an S3 key prefix: no leading "/", no "." or ".." segments, at most 900 characters',
  },
  clientRequestToken: {
    pattern: /^[\x21-\x7e]{32,128}$/,
    expected: 'a token of 32 to 128 printable characters without spaces',
  },
} as const;
