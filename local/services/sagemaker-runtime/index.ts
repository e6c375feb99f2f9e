import type { ServiceDeps } from '../../core/deps';
import type { LocalAwsEnvironment, ServiceProvider } from '../../core/service';
import { endpointService } from '../sagemaker/endpoints';
import { DataCapture } from './data-capture';
import { invokeEndpoint } from './invoke';

/**
 * The local SageMaker Runtime: InvokeEndpoint on the endpoints of the local SageMaker. It owns the serving
 * containers' life: endpoints that were serving start again at start(), every container stops at stop(),
 * and captured traffic waiting in memory is written then.
 */
export function createSageMakerRuntimeProvider(env: LocalAwsEnvironment, deps: ServiceDeps): ServiceProvider {
  const endpoints = endpointService(env, deps);
  const capture = new DataCapture({ objects: deps.s3 });
  return {
    name: 'runtime.sagemaker',
    model: 'sagemaker-runtime',
    operations: { InvokeEndpoint: (input, ctx) => invokeEndpoint({ endpoints, capture }, input, ctx) },
    start: () => endpoints.restore(),
    stop: async () => {
      await endpoints.shutdown();
      await capture.flush();
    },
  };
}
