import { STEP_NAME_PATTERN, STEP_NAME_RULE } from '../dsl/names';
import { describeJson, isObject, type JsonObject } from '../inspect/json';
import { item, member } from '../inspect/json-path';
import type { FlatStep } from '../inspect/steps';
import { STEP_TYPE_NAMES, stepTypeInfo, type StepTypeInfo } from '../step-types';
import { checkConditionArguments } from './conditions';
import { issue, type ValidationIssue } from './issue';
import { didYouMean } from './suggest';

const COMMON_MEMBERS = [
  'Name',
  'Type',
  'Arguments',
  'DependsOn',
  'DisplayName',
  'Description',
  'RetryPolicies',
  'CacheConfig',
];
const RETRY_EXCEPTION_TYPES = [
  'Step.SERVICE_FAULT',
  'Step.THROTTLING',
  'SageMaker.JOB_INTERNAL_ERROR',
  'SageMaker.CAPACITY_ERROR',
  'SageMaker.RESOURCE_LIMIT',
];
const OUTPUT_PARAMETER_TYPES = ['String', 'Integer', 'Boolean', 'Float'];
const MAX_RETRY_ATTEMPTS = 20;

/** Names of the outputs a processing step declares (literal OutputName values). */
export function processingOutputNames(step: JsonObject): string[] {
  const args = step.Arguments;
  const config = isObject(args) ? args.ProcessingOutputConfig : undefined;
  const outputs = isObject(config) && Array.isArray(config.Outputs) ? config.Outputs : [];
  return outputs.flatMap((output) =>
    isObject(output) && typeof output.OutputName === 'string' ? [output.OutputName] : [],
  );
}

/** Names a step declares in a list member such as PropertyFiles (PropertyFileName) or OutputParameters (OutputName). */
export function declaredNames(step: JsonObject, list: string, key: string): string[] {
  const entries = step[list];
  return Array.isArray(entries)
    ? entries.flatMap((entry) => (isObject(entry) && typeof entry[key] === 'string' ? [entry[key]] : []))
    : [];
}

/** Structural problems of one step: name, type, members, arguments and the step-level settings. */
export function checkStep(flat: FlatStep, stepNames: ReadonlySet<string>): ValidationIssue[] {
  const { step, path } = flat;
  const issues = checkName(step, path);
  const type = step.Type;
  const info = typeof type === 'string' ? stepTypeInfo(type) : undefined;
  if (typeof type !== 'string' || !info) {
    const shown =
      typeof type === 'string' ? `"${type}"${didYouMean(type, STEP_TYPE_NAMES)}` : describeJson(type);
    return [
      ...issues,
      issue(
        member(path, 'Type'),
        `unknown step type ${shown}; expected one of ${STEP_TYPE_NAMES.join(', ')}`,
      ),
    ];
  }
  return [
    ...issues,
    ...checkMembers(step, path, type, info),
    ...checkArguments(step, path, type, info),
    ...checkDependsOn(flat, stepNames),
    ...checkText(step, path),
    ...checkRetryPolicies(step.RetryPolicies, member(path, 'RetryPolicies')),
    ...checkCacheConfig(step.CacheConfig, member(path, 'CacheConfig')),
    ...checkPropertyFiles(step, path),
    ...checkLambdaOrCallback(step, path, type),
  ];
}

function checkName(step: JsonObject, path: string): ValidationIssue[] {
  const name = step.Name;
  if (typeof name === 'string' && STEP_NAME_PATTERN.test(name)) return [];
  return [
    issue(member(path, 'Name'), `invalid step name ${JSON.stringify(name)}: expected ${STEP_NAME_RULE}`),
  ];
}

function checkMembers(step: JsonObject, path: string, type: string, info: StepTypeInfo): ValidationIssue[] {
  if (info.members === 'any') return [];
  const allowed = [...COMMON_MEMBERS, ...(info.members ?? [])];
  return Object.keys(step)
    .filter((key) => !allowed.includes(key))
    .map((key) =>
      issue(
        member(path, key),
        `unknown member "${key}" on a ${type} step${didYouMean(key, allowed)}; expected ${allowed.join(', ')}`,
      ),
    );
}

function checkArguments(step: JsonObject, path: string, type: string, info: StepTypeInfo): ValidationIssue[] {
  const argsPath = member(path, 'Arguments');
  const args = step.Arguments;
  if (!isObject(args))
    return [issue(argsPath, `a step needs Arguments, an object; found ${describeJson(args)}`)];
  const missing = (info.requiredArguments ?? [])
    .filter((key) => !(key in args))
    .map((key) =>
      issue(
        member(argsPath, key),
        `a ${type} step's Arguments need ${key} (the service's request requires it)`,
      ),
    );
  if (type === 'Condition') return [...missing, ...checkConditionArguments(args, argsPath)];
  if (type === 'Processing') return [...missing, ...checkProcessingOutputs(args, argsPath)];
  return missing;
}

function checkProcessingOutputs(args: JsonObject, path: string): ValidationIssue[] {
  const config = args.ProcessingOutputConfig;
  if (config === undefined) return [];
  const outputsPath = member(member(path, 'ProcessingOutputConfig'), 'Outputs');
  if (!isObject(config) || !Array.isArray(config.Outputs)) {
    return [issue(outputsPath, 'ProcessingOutputConfig needs Outputs, an array of outputs')];
  }
  const seen = new Set<string>();
  return config.Outputs.flatMap((output, index) => {
    const name = isObject(output) ? output.OutputName : undefined;
    const namePath = member(item(outputsPath, index), 'OutputName');
    if (typeof name !== 'string' || name === '')
      return [issue(namePath, 'a processing output needs OutputName, a string')];
    if (seen.has(name)) return [issue(namePath, `duplicate processing output name "${name}"`)];
    seen.add(name);
    return [];
  });
}

function checkDependsOn(flat: FlatStep, stepNames: ReadonlySet<string>): ValidationIssue[] {
  const dependsOn = flat.step.DependsOn;
  const path = member(flat.path, 'DependsOn');
  if (dependsOn === undefined) return [];
  if (!Array.isArray(dependsOn))
    return [issue(path, `DependsOn must be an array of step names, found ${describeJson(dependsOn)}`)];
  return dependsOn.flatMap((name, index) => {
    const entryPath = item(path, index);
    if (typeof name !== 'string')
      return [issue(entryPath, `DependsOn entries are step names, found ${describeJson(name)}`)];
    if (name === flat.name) return [issue(entryPath, `step "${name}" depends on itself`)];
    if (!stepNames.has(name)) {
      return [
        issue(
          entryPath,
          `DependsOn names step "${name}", which does not exist${didYouMean(name, stepNames)}`,
        ),
      ];
    }
    return [];
  });
}

function checkText(step: JsonObject, path: string): ValidationIssue[] {
  return ['DisplayName', 'Description']
    .filter((key) => key in step && typeof step[key] !== 'string')
    .map((key) => issue(member(path, key), `${key} must be a string, found ${describeJson(step[key])}`));
}

function checkRetryPolicies(policies: unknown, path: string): ValidationIssue[] {
  if (policies === undefined) return [];
  if (!Array.isArray(policies))
    return [issue(path, `RetryPolicies must be an array, found ${describeJson(policies)}`)];
  return policies.flatMap((policy, index) => checkRetryPolicy(policy, item(path, index)));
}

function checkRetryPolicy(policy: unknown, path: string): ValidationIssue[] {
  if (!isObject(policy))
    return [issue(path, `a retry policy must be an object, found ${describeJson(policy)}`)];
  const issues: ValidationIssue[] = [];
  const types = policy.ExceptionType;
  if (!Array.isArray(types) || types.length === 0) {
    issues.push(
      issue(
        member(path, 'ExceptionType'),
        `a retry policy needs ExceptionType, a non-empty array of ${RETRY_EXCEPTION_TYPES.join(', ')}`,
      ),
    );
  } else {
    types.forEach((type, index) => {
      if (typeof type !== 'string' || !RETRY_EXCEPTION_TYPES.includes(type)) {
        issues.push(
          issue(
            item(member(path, 'ExceptionType'), index),
            `unknown exception type ${JSON.stringify(type)}; expected one of ${RETRY_EXCEPTION_TYPES.join(', ')}`,
          ),
        );
      }
    });
  }
  for (const key of ['IntervalSeconds', 'BackoffRate', 'MaxAttempts', 'ExpireAfterMin']) {
    if (key in policy && (typeof policy[key] !== 'number' || policy[key] <= 0)) {
      issues.push(
        issue(member(path, key), `${key} must be a positive number, found ${describeJson(policy[key])}`),
      );
    }
  }
  const attempts = policy.MaxAttempts;
  if (typeof attempts === 'number' && (!Number.isInteger(attempts) || attempts > MAX_RETRY_ATTEMPTS)) {
    issues.push(
      issue(
        member(path, 'MaxAttempts'),
        `MaxAttempts ${attempts} must be a whole number from 1 to ${MAX_RETRY_ATTEMPTS}`,
      ),
    );
  }
  if ('MaxAttempts' in policy && 'ExpireAfterMin' in policy) {
    issues.push(issue(path, 'a retry policy takes MaxAttempts or ExpireAfterMin, not both'));
  }
  return issues;
}

function checkCacheConfig(config: unknown, path: string): ValidationIssue[] {
  if (config === undefined) return [];
  if (!isObject(config) || typeof config.Enabled !== 'boolean') {
    return [issue(path, 'CacheConfig must be {"Enabled": true|false, "ExpireAfter": "<ISO 8601 duration>"}')];
  }
  if ('ExpireAfter' in config && typeof config.ExpireAfter !== 'string') {
    return [
      issue(
        member(path, 'ExpireAfter'),
        `ExpireAfter must be an ISO 8601 duration string such as "P30D", found ${describeJson(config.ExpireAfter)}`,
      ),
    ];
  }
  return [];
}

function checkPropertyFiles(step: JsonObject, path: string): ValidationIssue[] {
  if (!('PropertyFiles' in step)) return [];
  const filesPath = member(path, 'PropertyFiles');
  const files = step.PropertyFiles;
  if (!Array.isArray(files))
    return [issue(filesPath, `PropertyFiles must be an array, found ${describeJson(files)}`)];
  const outputs = processingOutputNames(step);
  const seen = new Set<string>();
  return files.flatMap((file, index) => {
    const filePath = item(filesPath, index);
    if (!isObject(file))
      return [issue(filePath, `a property file must be an object, found ${describeJson(file)}`)];
    const issues = ['PropertyFileName', 'OutputName', 'FilePath']
      .filter((key) => typeof file[key] !== 'string' || file[key] === '')
      .map((key) => issue(member(filePath, key), `a property file needs ${key}, a non-empty string`));
    const { PropertyFileName: name, OutputName: output } = file;
    if (typeof name === 'string' && seen.has(name))
      issues.push(issue(member(filePath, 'PropertyFileName'), `duplicate property file name "${name}"`));
    if (typeof name === 'string') seen.add(name);
    if (typeof output === 'string' && !outputs.includes(output)) {
      issues.push(
        issue(
          member(filePath, 'OutputName'),
          `property file output "${output}" is not one of the step's processing outputs (${outputs.join(', ') || 'none'})${didYouMean(output, outputs)}`,
        ),
      );
    }
    return issues;
  });
}

function checkLambdaOrCallback(step: JsonObject, path: string, type: string): ValidationIssue[] {
  const target = type === 'Lambda' ? 'FunctionArn' : type === 'Callback' ? 'SqsQueueUrl' : undefined;
  if (target === undefined) return [];
  const issues = target in step ? [] : [issue(member(path, target), `a ${type} step needs ${target}`)];
  return [...issues, ...checkOutputParameters(step.OutputParameters, member(path, 'OutputParameters'))];
}

function checkOutputParameters(outputs: unknown, path: string): ValidationIssue[] {
  if (outputs === undefined) return [];
  if (!Array.isArray(outputs))
    return [issue(path, `OutputParameters must be an array, found ${describeJson(outputs)}`)];
  const seen = new Set<string>();
  return outputs.flatMap((output, index) => {
    const outputPath = item(path, index);
    if (!isObject(output) || typeof output.OutputName !== 'string' || output.OutputName === '') {
      return [issue(outputPath, 'an output parameter needs OutputName, a non-empty string')];
    }
    const issues: ValidationIssue[] = [];
    if (seen.has(output.OutputName))
      issues.push(
        issue(member(outputPath, 'OutputName'), `duplicate output parameter "${output.OutputName}"`),
      );
    seen.add(output.OutputName);
    if ('OutputType' in output && !OUTPUT_PARAMETER_TYPES.includes(String(output.OutputType))) {
      issues.push(
        issue(
          member(outputPath, 'OutputType'),
          `unknown OutputType ${JSON.stringify(output.OutputType)}; expected one of ${OUTPUT_PARAMETER_TYPES.join(', ')}`,
        ),
      );
    }
    return issues;
  });
}
