import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

import { endpointPropsFromContext } from '../lib/context';
import { EndpointStack } from '../lib/endpoint-stack';
import { ENDPOINT_STACK_ID } from '../lib/synth';

/** `cdk synth` entry point: props come from context / MLOPS_* variables (docs/cdk.md). */
// cdk-nag is the gate; CDK's built-in CloudFormation linter only warns and costs seconds per stack.
const app = new App({ builtinCloudFormationValidation: false });
const stackName = app.node.tryGetContext('stackName') as string | undefined;
new EndpointStack(app, ENDPOINT_STACK_ID, {
  ...endpointPropsFromContext(app.node),
  ...(stackName ? { stackName } : {}),
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
