import * as path from 'node:path';

import type { RunConfig } from './config';

/** What `mlops run` would do with this configuration (`--plan`): every stage with the names it would use. */
export function describePlan(config: RunConfig, options: { externalEndpoint: string | undefined }): string[] {
  const rel = (file: string) => path.relative(process.cwd(), file) || file;
  const where =
    config.target === 'aws'
      ? `AWS account of the current credentials, region ${config.region}`
      : options.externalEndpoint
        ? `the local AWS at ${options.externalEndpoint}`
        : `an in-process local AWS on 127.0.0.1:${config.port || '<free port>'} (state in ${rel(config.stateDir)})`;
  const parameters = Object.entries(config.parameters).map(([name, value]) => `${name}=${value}`);
  const steps = [
    `target: ${where}`,
    `1. synthesize and validate the abalone pipeline → ${rel(path.join(config.buildDir, 'pipeline.json'))} (+ assets manifest)`,
    `2. ${config.target === 'local' ? 'create' : 'check'} bucket s3://${config.bucket}; upload missing assets (data, preprocess.py, evaluate.py) under ${config.prefix}/`,
    `3. create or update pipeline ${config.pipelineName} (role ${config.roleArn})`,
    `4. start an execution${parameters.length > 0 ? ` with ${parameters.join(', ')}` : ' with the default parameters'} and follow it (timeout ${config.timeoutMinutes} min)`,
    `5. Lambda ${config.lambdaArn} records the model name in SSM ${config.modelNameParameter}`,
    config.manualApproval
      ? `6. stop after registration in ${config.modelPackageGroup}; continue with: mlops approve <model-package-arn> (its approval event deploys it)`
      : `6. ${config.target === 'local' ? 'approve the new model package in' : 'deploy the newest package of'} ${config.modelPackageGroup}`,
    `7. synthesize cdk-model-deploy for it and deploy stack ${config.stackName} with CloudFormation`,
    '8. score the endpoint on the held-out test rows and report RMSE',
  ];
  if (config.manualApproval) steps.splice(7);
  return ['Plan (nothing is done with --plan):', ...steps.map((step) => `  ${step}`)];
}
