import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

import { infraConfigFromContext } from '../lib/config';
import { CodePipelineStack } from '../lib/codepipeline-stack';
import { FoundationStack } from '../lib/foundation-stack';
import { GitHubOidcStack } from '../lib/github-oidc-stack';
import { ModelApprovalStack } from '../lib/model-approval-stack';

/** `cdk synth` / `cdk deploy` entry point; settings come from infra/cdk.json context (docs/cdk.md). */
// cdk-nag is the gate; CDK's built-in CloudFormation linter only warns and costs seconds per stack.
const app = new App({ builtinCloudFormationValidation: false });
const config = infraConfigFromContext(app.node);
const foundation = new FoundationStack(app, 'MlopsFoundation', { config });
new CodePipelineStack(app, 'MlopsCodePipeline', { config }).addStackDependency(foundation);
new GitHubOidcStack(app, 'MlopsGitHubOidc', { config }).addStackDependency(foundation);
new ModelApprovalStack(app, 'MlopsModelApproval', { config }).addStackDependency(foundation);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
