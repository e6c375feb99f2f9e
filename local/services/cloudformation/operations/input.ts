import type {
  Parameter,
  RollbackConfiguration as SdkRollbackConfiguration,
  Tag as SdkTag,
} from '@aws-sdk/client-cloudformation';

import { optional } from '../../../core/optional';
import type { Validated } from '../../../core/validated';
import { cfnValidationError } from '../errors';
import type { RollbackConfiguration, Tag } from '../model';
import type { ParameterInput } from '../template/parameters';

/** A member the model leaves optional but this operation needs: AWS's wording for a missing member. */
export function requiredMember<T>(value: T | undefined, member: string): T {
  if (value === undefined)
    throw cfnValidationError(
      `1 validation error detected: Value null at '${lowerFirst(member)}' failed to satisfy constraint: Member must not be null`,
    );
  return value;
}

/** Parameters as the template engine takes them. */
export function parameterInputs(parameters: readonly Validated<Parameter>[] | undefined): ParameterInput[] {
  return (parameters ?? []).map(({ ParameterKey, ParameterValue, UsePreviousValue }) => ({
    ...optional('ParameterKey', ParameterKey),
    ...optional('ParameterValue', ParameterValue),
    ...optional('UsePreviousValue', UsePreviousValue),
  }));
}

export function tags(given: readonly Validated<SdkTag>[] | undefined): Tag[] {
  return (given ?? []).map(({ Key, Value }) => ({ Key, Value }));
}

/** RollbackConfiguration as given; triggers (CloudWatch alarms) cannot fire locally, so they are refused. */
export function rollbackConfiguration(
  given: Validated<SdkRollbackConfiguration> | undefined,
): RollbackConfiguration | undefined {
  if (given === undefined) return undefined;
  if ((given.RollbackTriggers ?? []).length > 0) {
    throw cfnValidationError(
      'RollbackConfiguration.RollbackTriggers name CloudWatch alarms, which the local AWS does not run; leave them out',
    );
  }
  return { RollbackTriggers: [], ...optional('MonitoringTimeInMinutes', given.MonitoringTimeInMinutes) };
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
