import { join } from 'node:path';

import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { type PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

import { scopedStatement } from '../permissions/statements';

const REPO_ROOT = join(__dirname, '..', '..', '..');

export interface BundledNodeFunctionProps {
  readonly functionName: string;
  readonly description: string;
  /** The handler module under src/lambda/ (exports `handler`), e.g. `record-model-name.ts`. */
  readonly handlerFile: string;
  readonly roleDescription: string;
  /** Everything the function may do besides writing its own logs. */
  readonly statements: readonly PolicyStatement[];
  readonly environment: Readonly<Record<string, string>>;
  readonly timeout: Duration;
}

/**
 * A Lambda of this project: a handler in src/lambda/ bundled by the local esbuild (no Docker) for
 * Node.js 22, with its own log group and an own role (instead of the default one, whose
 * AWSLambdaBasicExecutionRole grants logs on every group) holding `statements` and its own logs only.
 * Children are `Logs`, `Role` and `Function` of `scope`.
 */
export function bundledNodeFunction(
  scope: Construct,
  props: BundledNodeFunctionProps,
): { readonly function: NodejsFunction; readonly role: Role } {
  const logGroup = new LogGroup(scope, 'Logs', {
    logGroupName: `/aws/lambda/${props.functionName}`,
    retention: RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const role = new Role(scope, 'Role', {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    description: props.roleDescription,
  });
  for (const statement of props.statements) role.addToPolicy(statement);
  role.addToPolicy(
    scopedStatement({
      sid: 'WriteOwnLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [`${logGroup.logGroupArn}:log-stream:*`],
      wildcard: 'Lambda creates a log stream per execution environment inside the function’s own log group',
    }),
  );
  const fn = new NodejsFunction(scope, 'Function', {
    functionName: props.functionName,
    description: props.description,
    entry: join(REPO_ROOT, 'src', 'lambda', props.handlerFile),
    handler: 'handler',
    runtime: Runtime.NODEJS_22_X,
    projectRoot: REPO_ROOT,
    depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
    role,
    logGroup,
    timeout: props.timeout,
    memorySize: 256,
    environment: { ...props.environment },
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
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-L1',
    reason: 'Node.js 22 is the LTS runtime the project targets (local runs and the bundle are tested on it)',
  });
  return { function: fn, role };
}
