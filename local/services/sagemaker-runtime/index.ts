import type { ServiceProvider } from '../../core/service';
import type { EndpointService } from '../sagemaker/endpoints';
import type { DataCapture } from './data-capture';
import { invocationOperations } from './operations/invocations';

/**
 * The local SageMaker Runtime: InvokeEndpoint on the endpoints of the local SageMaker. It owns the serving
 * containers' life: endpoints that were serving start again at start(), every container stops at stop(),
 * and captured traffic waiting in memory is written then.
 */
export function createSageMakerRuntimeProvider(
  endpoints: EndpointService,
  capture: DataCapture,
): ServiceProvider {
  return {
    name: 'runtime.sagemaker',
    model: 'sagemaker-runtime',
    operations: { ...invocationOperations({ endpoints, capture }) },
    start: () => endpoints.restore(),
    stop: async () => {
      await endpoints.shutdown();
      await capture.flush();
    },
  };
}
