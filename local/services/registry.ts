import * as path from 'node:path';

import { localAwsEnv } from '../core/aws-env';
import type { ServiceDeps } from '../core/deps';
import type { LocalAwsEnvironment, ProviderFactory, ServiceProvider } from '../core/service';
import { FunctionRegistry } from './lambda/functions';
import { createLambdaProvider } from './lambda';
import { LambdaRuntime } from './lambda/runtime';
import { createCloudFormationProvider } from './cloudformation';
import { createEventsProvider } from './events';
import { createS3Provider } from './s3';
import { createSageMakerRuntimeProvider } from './sagemaker-runtime';
import { createSageMakerProvider, createSageMakerServices } from './sagemaker';
import { ObjectStore } from './s3/object-store';
import { createSsmProvider } from './ssm';
import { ParameterStore } from './ssm/parameter-store';

/**
 * Providers mounted besides the core three (S3, SSM, Lambda — built first, since the others use them
 * through `deps`), SageMaker + SageMaker Runtime (built together: they share one endpoint service) and
 * CloudFormation (its resources work on the SageMaker services and the parameter store, injected). To add a
 * service, add ONE line here; the router finds it by its model (local/protocols/router.ts).
 */
export const providerFactories: readonly ProviderFactory[] = [createEventsProvider];

export interface MountedServices {
  readonly providers: readonly ServiceProvider[];
  readonly deps: ServiceDeps;
}

/** Builds every provider of one local AWS instance and the deps through which they reach each other. */
export function mountServices(env: LocalAwsEnvironment): MountedServices {
  const objects = new ObjectStore(env.store);
  const parameters = new ParameterStore(env.store, `arn:aws:ssm:${env.region}:${env.accountId}:parameter/`);
  const functions = new FunctionRegistry(
    env.store,
    `arn:aws:lambda:${env.region}:${env.accountId}:function:`,
  );
  const runtime = new LambdaRuntime({
    registry: functions,
    logDir: path.join(env.stateDir, 'lambda', 'logs'),
    awsEnv: () => localAwsEnv(env.endpoint(), env.region),
  });
  const deps: ServiceDeps = { s3: objects, ssm: parameters, lambda: runtime };
  const sagemaker = createSageMakerServices(env, deps);
  const providers = [
    createS3Provider(env.store, objects),
    createSsmProvider(parameters),
    createLambdaProvider(functions, runtime),
    createSageMakerProvider(sagemaker),
    createCloudFormationProvider(env, deps, { sagemaker, parameters }),
    ...providerFactories.map((factory) => factory(env, deps)),
    createSageMakerRuntimeProvider(sagemaker.endpoints, sagemaker.capture),
  ];
  return { providers, deps };
}
