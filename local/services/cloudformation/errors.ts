import { AwsError } from '../../core/errors';

/** CloudFormation's generic client error (awsQuery code `ValidationError`). */
export const cfnValidationError = (message: string) => new AwsError('ValidationError', message);

export const templateFormatError = (message: string) =>
  cfnValidationError(`Template format error: ${message}`);

export const templateError = (message: string) => cfnValidationError(`Template error: ${message}`);

export const stackNotFound = (nameOrId: string) =>
  cfnValidationError(`Stack with id ${nameOrId} does not exist`);

export const changeSetNotFound = (nameOrId: string) =>
  new AwsError('ChangeSetNotFound', `ChangeSet [${nameOrId}] does not exist`, { status: 404 });

export const alreadyExists = (message: string) => new AwsError('AlreadyExistsException', message);

export const insufficientCapabilities = (required: string) =>
  new AwsError('InsufficientCapabilitiesException', `Requires capabilities : [${required}]`);

export const invalidChangeSetStatus = (message: string) => new AwsError('InvalidChangeSetStatus', message);
