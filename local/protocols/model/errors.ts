import type { AwsError } from '../../core/errors';
import { type ServiceModel, errorShape } from './shapes';

/** How the model answers an AwsError: HTTP status, and the error shape when the service models the code. */
export interface ModelledError {
  readonly status: number;
  readonly shapeName?: string;
  readonly senderFault: boolean;
}

/**
 * The model decides the status of an error it defines (`error.httpStatusCode`, else 400 for a client error
 * and 500 for a fault — so SageMaker's ResourceNotFound is 400 as AWS answers); an unmodelled code keeps the
 * status the provider gave it.
 */
export function modelledError(model: ServiceModel, error: AwsError): ModelledError {
  const shapeName = Object.keys(model.shapes).find((name) => {
    const shape = model.shapes[name]!;
    return shape.exception === true && (shape.error?.code ?? name) === error.code;
  });
  const shape = shapeName ? errorShape(model, shapeName) : undefined;
  if (!shapeName || !shape) return { status: error.status, senderFault: error.senderFault };
  const senderFault = shape.error?.senderFault ?? !shape.fault;
  const status = shape.error?.httpStatusCode ?? (shape.fault ? 500 : 400);
  return { status, shapeName, senderFault };
}
