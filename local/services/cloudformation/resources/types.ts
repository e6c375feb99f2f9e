import type { Validated } from '../../../core/validated';
import type { SageMakerServices } from '../../sagemaker';
import type { ParameterStore } from '../../ssm/parameter-store';

/**
 * The local services the live resource types create, update and delete through: the services themselves
 * (built once by the local AWS's wiring), not their wire APIs.
 */
export interface ResourceServices {
  readonly sagemaker: Pick<SageMakerServices, 'models' | 'endpoints' | 'modelPackages' | 'monitoring'>;
  readonly parameters: Pick<ParameterStore, 'putParameter' | 'delete'>;
}

/**
 * A resource's properties as the API request they are (AWS::SageMaker::Model's properties are
 * CreateModel's members). Template values are not checked by the model's codec: the services check what
 * they rely on at run time, as they do for a pipeline step's arguments.
 */
export function asRequest<Request>(properties: Readonly<Record<string, unknown>>): Validated<Request> {
  return properties as unknown as Validated<Request>;
}

/** What a resource handler learns about the resource it creates, updates or deletes. */
export interface ResourceRequest {
  readonly logicalId: string;
  readonly stackName: string;
  readonly stackId: string;
  readonly region: string;
  readonly accountId: string;
  /** Resolved properties (no intrinsics left). */
  readonly properties: Readonly<Record<string, unknown>>;
  /** Aborted when the local AWS stops: long waits (an endpoint coming InService) end early. */
  readonly signal: AbortSignal;
  /**
   * A handler that waits after making its physical resource (an endpoint coming InService) reports it
   * here first, so the stack knows it even if the wait fails or the process dies.
   */
  readonly created?: (result: ResourceResult) => void;
}

export interface ResourceResult {
  readonly physicalId: string;
  /** Fn::GetAtt values. */
  readonly attributes: Readonly<Record<string, unknown>>;
}

export interface UpdateRequest extends ResourceRequest {
  readonly physicalId: string;
  readonly previous: Readonly<Record<string, unknown>>;
  readonly attributes: Readonly<Record<string, unknown>>;
}

export interface DeleteRequest extends ResourceRequest {
  readonly physicalId: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** One CloudFormation resource type, implemented on the local services (or only recorded). */
export interface ResourceHandler {
  create(request: ResourceRequest): Promise<ResourceResult>;
  update(request: UpdateRequest): Promise<ResourceResult>;
  delete(request: DeleteRequest): Promise<void>;
  /** Top-level properties whose change needs a new physical resource (`all`: every property). */
  readonly replaceOn: readonly string[] | 'all';
  /** Fn::GetAtt attribute names the type supports. */
  readonly attributes: readonly string[];
}

export type ResourceHandlerFactory = (services: ResourceServices) => ResourceHandler;
