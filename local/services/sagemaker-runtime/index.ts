import type { ServiceProvider } from '../../core/service';
import type { EndpointService } from '../sagemaker/endpoints';
import { invokeEndpoint } from './invoke';

/**
 * The local SageMaker Runtime: InvokeEndpoint on the endpoints of the local SageMaker. It owns the serving
 * containers' life: endpoints that were serving start again at start(), every container stops at stop().
 */
export function createSageMakerRuntimeProvider(endpoints: EndpointService): ServiceProvider {
  return {
    name: 'runtime.sagemaker',
    model: 'sagemaker-runtime',
    operations: { InvokeEndpoint: (input, ctx) => invokeEndpoint(endpoints, input, ctx) },
    start: () => endpoints.restore(),
    stop: () => endpoints.shutdown(),
  };
}
