import { join } from 'node:path';

import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

import { ssmParameterArn } from '../permissions/arns';
import { scopedStatement } from '../permissions/statements';

const REPO_ROOT = join(__dirname, '..', '..', '..');

export interface RecordModelNameFunctionProps {
  readonly functionName: string;
  /** The one SSM parameter the function may write. */
  readonly parameterName: string;
}

/**
 * The pipeline's last step: src/lambda/record-model-name.ts (the same handler the local AWS runs),
 * bundled by the local esbuild (no Docker), allowed to put one SSM parameter and write its own logs.
 */
export class RecordModelNameFunction extends Construct {
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: RecordModelNameFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An own role instead of the default one, whose AWSLambdaBasicExecutionRole grants logs on every group.
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'record-model-name: writes one SSM parameter',
    });
    role.addToPolicy(
      scopedStatement({
        sid: 'WriteModelNameParameter',
        actions: ['ssm:PutParameter'],
        resources: [ssmParameterArn(this, props.parameterName)],
      }),
    );
    role.addToPolicy(
      scopedStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [`${logGroup.logGroupArn}:log-stream:*`],
        wildcard: 'Lambda creates a log stream per execution environment inside the function’s own log group',
      }),
    );
    this.function = new NodejsFunction(this, 'Function', {
      functionName: props.functionName,
      description: 'Records the model name the SageMaker pipeline created in SSM',
      entry: join(REPO_ROOT, 'src', 'lambda', 'record-model-name.ts'),
      handler: 'handler',
      runtime: Runtime.NODEJS_22_X,
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      role,
      logGroup,
      timeout: Duration.seconds(30),
      memorySize: 256,
      environment: { MODEL_NAME_PARAMETER: props.parameterName },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.CJS,
        target: 'node22',
        minify: true,
        sourceMap: false,
        // The Node.js 22 runtime ships the AWS SDK v3.
        externalModules: ['@aws-sdk/*'],
      },
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the LTS runtime the project targets (local runs and the bundle are tested on it)',
    });
  }
}
