import { AwsError } from '../../core/errors';
import { type OperationModel, type ServiceModel, shapeOf } from './shapes';
import { validateInput, validationMessage } from './validate';

/** The operation's model, or the protocol's "unknown operation" error naming it. */
export function operationModel(
  model: ServiceModel,
  operation: string,
  unknown: (operation: string) => AwsError,
): OperationModel {
  const found = Object.hasOwn(model.operations, operation) ? model.operations[operation] : undefined;
  if (!found) throw unknown(operation);
  return found;
}

/**
 * Refuses an input that breaks the model's constraints with the protocol's validation error (`code`:
 * awsJson/restJson `ValidationException`, awsQuery `ValidationError`) in AWS's wording.
 */
export function checkInput(
  model: ServiceModel,
  operation: OperationModel,
  input: Record<string, unknown>,
  code: string,
): void {
  if (!operation.input) return;
  const violations = validateInput(model, operation.input, input);
  if (violations.length > 0) throw new AwsError(code, validationMessage(violations));
}

/** The input shape of an operation (an operation without input takes an empty structure). */
export function inputShape(model: ServiceModel, operation: OperationModel) {
  return operation.input ? shapeOf(model, operation.input) : { type: 'structure' as const, members: {} };
}

/** The output shape of an operation (an operation without output answers an empty structure). */
export function outputShape(model: ServiceModel, operation: OperationModel) {
  return operation.output ? shapeOf(model, operation.output) : { type: 'structure' as const, members: {} };
}
