import { cfnValidationError } from '../errors';
import type { RollbackConfiguration, Tag } from '../model';
import type { ParameterInput } from '../template/parameters';

/**
 * awsQuery carries no types: booleans and numbers arrive as strings and an empty list as "". These read
 * input members into the types the operations need.
 */
export function optionalString(input: Record<string, unknown>, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string')
    throw cfnValidationError(`${name} must be a string, got ${JSON.stringify(value)}`);
  return value;
}

export function requiredString(input: Record<string, unknown>, name: string): string {
  const value = optionalString(input, name);
  if (value === undefined)
    throw cfnValidationError(
      `1 validation error detected: Value null at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`,
    );
  return value;
}

export function booleanMember(input: Record<string, unknown>, name: string): boolean | undefined {
  const value = input[name];
  if (value === undefined || value === '') return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw cfnValidationError(`${name} must be true or false, got ${JSON.stringify(value)}`);
}

export function numberMember(input: Record<string, unknown>, name: string): number | undefined {
  const value = input[name];
  if (value === undefined || value === '') return undefined;
  const number = Number(value);
  if (!Number.isFinite(number))
    throw cfnValidationError(`${name} must be a number, got ${JSON.stringify(value)}`);
  return number;
}

export function stringList(input: Record<string, unknown>, name: string): string[] {
  const value = input[name];
  if (value === undefined || value === '') return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((entry) => {
    if (typeof entry !== 'string')
      throw cfnValidationError(`${name} entries must be strings, got ${JSON.stringify(entry)}`);
    return entry;
  });
}

function objectList(input: Record<string, unknown>, name: string): Record<string, unknown>[] {
  const value = input[name];
  if (value === undefined || value === '') return [];
  if (!Array.isArray(value)) throw cfnValidationError(`${name} must be a list, got ${JSON.stringify(value)}`);
  return value.map((entry) => {
    if (typeof entry !== 'object' || entry === null)
      throw cfnValidationError(`${name} entries must be structures`);
    return entry as Record<string, unknown>;
  });
}

export function parameterInputs(input: Record<string, unknown>): ParameterInput[] {
  return objectList(input, 'Parameters').map((entry) => {
    const ParameterKey = optionalString(entry, 'ParameterKey');
    const ParameterValue = typeof entry.ParameterValue === 'string' ? entry.ParameterValue : undefined;
    const UsePreviousValue = booleanMember(entry, 'UsePreviousValue');
    return {
      ...(ParameterKey === undefined ? {} : { ParameterKey }),
      ...(ParameterValue === undefined ? {} : { ParameterValue }),
      ...(UsePreviousValue === undefined ? {} : { UsePreviousValue }),
    };
  });
}

export function tags(input: Record<string, unknown>): Tag[] {
  return objectList(input, 'Tags').map((entry) => ({
    Key: requiredString(entry, 'Key'),
    Value: String(entry.Value ?? ''),
  }));
}

/** RollbackConfiguration as given; triggers (CloudWatch alarms) cannot fire locally, so they are refused. */
export function rollbackConfiguration(input: Record<string, unknown>): RollbackConfiguration | undefined {
  const value = input.RollbackConfiguration;
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw cfnValidationError('RollbackConfiguration must be a structure');
  const configuration = value as Record<string, unknown>;
  if (objectList(configuration, 'RollbackTriggers').length > 0) {
    throw cfnValidationError(
      'RollbackConfiguration.RollbackTriggers name CloudWatch alarms, which the local AWS does not run; leave them out',
    );
  }
  const minutes = numberMember(configuration, 'MonitoringTimeInMinutes');
  return { RollbackTriggers: [], ...(minutes === undefined ? {} : { MonitoringTimeInMinutes: minutes }) };
}

const NAME_PATTERN = /^[a-zA-Z][-a-zA-Z0-9]*$/;

/** Stack and change set names: a letter, then letters, digits and hyphens, at most 128 characters. */
export function checkName(member: string, value: string): void {
  if (!NAME_PATTERN.test(value) || value.length > 128) {
    throw cfnValidationError(
      `1 validation error detected: Value '${value}' at '${lowerFirst(member)}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]* and have length less than or equal to 128`,
    );
  }
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
