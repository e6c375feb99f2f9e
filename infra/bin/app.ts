import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

import { infraConfigFromContext } from '../lib/config';
import { CodePipelineStack } from '../lib/codepipeline-stack';
import { FoundationStack } from '../lib/foundation-stack';

/** `cdk synth` / `cdk deploy` entry point; settings come from infra/cdk.json context (docs/cdk.md). */
const app = new App();
const config = infraConfigFromContext(app.node);
const foundation = new FoundationStack(app, 'MlopsFoundation', { config });
new CodePipelineStack(app, 'MlopsCodePipeline', { config }).addDependency(foundation);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
