import { RECORDED_TYPES, recordedHandler } from './recorded';
import { endpointConfigHandler, endpointHandler, modelHandler, modelPackageGroupHandler } from './sagemaker';
import { dataQualityJobDefinitionHandler, monitoringScheduleHandler } from './sagemaker-monitoring';
import { ssmParameterHandler } from './ssm';
import type { ResourceHandler, ResourceHandlerFactory, ResourceServices } from './types';

/** Types backed by the local services: they behave as on AWS. */
const LIVE_TYPES: Readonly<Record<string, ResourceHandlerFactory>> = {
  'AWS::SageMaker::Model': modelHandler,
  'AWS::SageMaker::EndpointConfig': endpointConfigHandler,
  'AWS::SageMaker::Endpoint': endpointHandler,
  'AWS::SageMaker::ModelPackageGroup': modelPackageGroupHandler,
  'AWS::SageMaker::DataQualityJobDefinition': dataQualityJobDefinitionHandler,
  'AWS::SageMaker::MonitoringSchedule': monitoringScheduleHandler,
  'AWS::SSM::Parameter': ssmParameterHandler,
};

export const SUPPORTED_RESOURCE_TYPES = [...Object.keys(LIVE_TYPES), ...Object.keys(RECORDED_TYPES)].sort();

/** The handler of each supported resource type; undefined for the others. */
export function resourceHandlers(services: ResourceServices): (type: string) => ResourceHandler | undefined {
  const handlers = new Map<string, ResourceHandler>();
  for (const [type, factory] of Object.entries(LIVE_TYPES)) handlers.set(type, factory(services));
  for (const [type, recorded] of Object.entries(RECORDED_TYPES))
    handlers.set(type, recordedHandler(recorded));
  return (type) => handlers.get(type);
}

export function unsupportedTypeReason(type: string): string {
  return `Resource type ${type} is not supported by the local AWS. Supported types: ${SUPPORTED_RESOURCE_TYPES.join(', ')}`;
}
