import { AwsError } from '../../core/errors';
import { type OperationModel, type ServiceModel, shapeOf } from './shapes';
import { type Violation, validateInput, validationMessage } from './validate';

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
 * awsJson/restJson `ValidationException`, awsQuery `ValidationError`, S3 `InvalidArgument`) in AWS's
 * wording; `fields` adds members of the protocol's error (S3's ArgumentName/ArgumentValue) for the first.
 */
export function checkInput(
  model: ServiceModel,
  operation: OperationModel,
  input: Record<string, unknown>,
  code: string,
  fields?: (first: Violation) => Record<string, string>,
): void {
  if (!operation.input) return;
  const [first, ...rest] = validateInput(model, operation.input, input);
  if (!first) return;
  const options = fields ? { fields: fields(first) } : {};
  throw new AwsError(code, validationMessage([first, ...rest]), options);
}

/** The input shape of an operation (an operation without input takes an empty structure). */
export function inputShape(model: ServiceModel, operation: OperationModel) {
  return operation.input ? shapeOf(model, operation.input) : { type: 'structure' as const, members: {} };
}

/** The output shape of an operation (an operation without output answers an empty structure). */
export function outputShape(model: ServiceModel, operation: OperationModel) {
  return operation.output ? shapeOf(model, operation.output) : { type: 'structure' as const, members: {} };
}
