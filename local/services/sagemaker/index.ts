import type { CreateModelInput, CreateModelPackageInput } from '@aws-sdk/client-sagemaker';

import type { ServiceDeps } from '../../core/deps';
import type { Validated } from '../../core/validated';
import type { LocalAwsEnvironment, ServiceProvider } from '../../core/service';
import { abortableSleep, type EngineDeps } from '../../engine/deps';
import { parseS3Uri } from '../../runtimes/s3-staging';
import { createEventBus } from '../events';
import type { ArnContext } from './arns';
import { EndpointService } from './endpoints';
import { ExecutionService } from './executions';
import { JobService } from './jobs';
import { ModelPackageService } from './model-packages';
import { emitPackageStateChange } from './package-events';
import { ModelService } from './models';
import { createMonitoring, type Monitoring } from './monitoring';
import { monitoringOperations } from './operations/monitoring';
import { endpointOperations } from './operations/endpoints';
import { executionOperations } from './operations/executions';
import { jobOperations } from './operations/jobs';
import { modelPackageOperations } from './operations/model-packages';
import { modelOperations } from './operations/models';
import { pipelineOperations } from './operations/pipelines';
import { tagOperations } from './operations/tags';
import { DataCapture } from '../sagemaker-runtime/data-capture';
import { PipelineService } from './pipelines';
import { TagStore } from './tags';

/** The parts of the local SageMaker, for operation maps that need more than one of them. */
export interface SageMakerServices {
  readonly arns: ArnContext;
  readonly tags: TagStore;
  readonly models: ModelService;
  readonly modelPackages: ModelPackageService;
  readonly jobs: JobService;
  readonly pipelines: PipelineService;
  readonly executions: ExecutionService;
  /** Owned here, used by SageMaker (the endpoint API) and SageMaker Runtime (invocations, containers). */
  readonly endpoints: EndpointService;
  /** Data capture of the endpoints' traffic (written by SageMaker Runtime's InvokeEndpoint). */
  readonly capture: DataCapture;
  /** Model Monitor: job definitions, schedules, executions, direct processing jobs. */
  readonly monitoring: Monitoring;
}

export function createSageMakerServices(env: LocalAwsEnvironment, deps: ServiceDeps): SageMakerServices {
  const arns = { region: env.region, accountId: env.accountId };
  const tags = new TagStore(env.store);
  const models = new ModelService(env.store, arns, tags);
  const { bus } = createEventBus(env);
  const modelPackages = new ModelPackageService(env.store, arns, tags, (record) =>
    emitPackageStateChange(bus, tags, record),
  );
  const jobs = new JobService({
    store: env.store,
    arns,
    objects: deps.s3,
    modelContainer: (name) => models.container(name),
  });
  const pipelines = new PipelineService(env.store, arns, deps.s3, tags);
  const executions = new ExecutionService({
    store: env.store,
    arns,
    pipelines,
    engineDeps: (service) => engineDeps({ deps, jobs, models, modelPackages, executions: service }),
  });
  const endpoints = new EndpointService(env, { s3: deps.s3, tags, models, modelPackages });
  const capture = new DataCapture({ objects: deps.s3 });
  const monitoring = createMonitoring(env, { arns, jobs, tags, endpoints });
  return { arns, tags, models, modelPackages, jobs, pipelines, executions, endpoints, capture, monitoring };
}

/** What the pipeline executor reaches through: local S3, jobs, models, the model registry, Lambda, the cache. */
function engineDeps(parts: {
  deps: ServiceDeps;
  jobs: JobService;
  models: ModelService;
  modelPackages: ModelPackageService;
  executions: ExecutionService;
}): EngineDeps {
  const { deps } = parts;
  return {
    readObject: async (uri) => {
      const { bucket, key } = parseS3Uri(uri, 'Std:JsonGet');
      return (await deps.s3.getObject({ bucket, key })).toString('utf8');
    },
    runJob: (job) => parts.jobs.run(job),
    // The engine resolves a step's arguments from the definition: untyped, checked by the services.
    createModel: (request) =>
      Promise.resolve(parts.models.create(request as unknown as Validated<CreateModelInput>)),
    registerModel: (request) =>
      Promise.resolve(
        parts.modelPackages.createPackage(request as Validated<CreateModelPackageInput>, {
          createGroup: true,
        }),
      ),
    invokeLambda: async (functionArn, event) => {
      const result = await deps.lambda.invoke({ functionName: functionArn, payload: event });
      return {
        payload: result.payload,
        ...(result.functionError ? { functionError: result.functionError } : {}),
      };
    },
    prepareLambda: (functionArn) => deps.lambda.prepare(functionArn),
    findCachedStep: (query) => parts.executions.findCachedStep(query),
    sleep: abortableSleep,
  };
}

const SHUTDOWN_REASON = 'The local AWS stopped while this job was running';

/**
 * The local SageMaker: pipelines and their executions (run by local/engine), jobs, models and the model
 * registry. The operation map is a plain composition of each topic's map under operations/.
 */
export function createSageMakerProvider(services: SageMakerServices): ServiceProvider {
  return {
    name: 'sagemaker',
    model: 'sagemaker',
    operations: {
      ...pipelineOperations(services),
      ...executionOperations(services),
      ...jobOperations(services),
      ...modelOperations(services),
      ...modelPackageOperations(services),
      ...tagOperations(services),
      ...endpointOperations(services),
      ...monitoringOperations(services),
    },
    start() {
      services.jobs.failInterrupted(SHUTDOWN_REASON);
      services.executions.failInterrupted();
      services.monitoring.start();
    },
    stop: async () => {
      await services.monitoring.stop();
      await services.executions.shutdown();
    },
  };
}
