import { EXECUTION_VARIABLE_NAMES } from '../dsl/expressions';
import { parsePropertyPath, type PropertySegment } from '../inspect/property-path';
import type { Reference } from '../inspect/references';
import type { FlatStep } from '../inspect/steps';
import { stepTypeInfo } from '../step-types';
import { issue, type ValidationIssue } from './issue';
import { declaredNames, processingOutputNames } from './steps';
import { didYouMean } from './suggest';

/** Step types with at most this many properties have them listed in messages. */
const MAX_LISTED_PROPERTIES = 6;

export interface ReferenceContext {
  /** Steps by name (first occurrence). */
  readonly steps: ReadonlyMap<string, FlatStep>;
  readonly parameters: ReadonlySet<string>;
}

/** Problems with what `{"Get": ...}` expressions point at. */
export function checkReferences(
  references: readonly Reference[],
  context: ReferenceContext,
): ValidationIssue[] {
  return references.flatMap((reference) => checkReference(reference, context));
}

function checkReference(reference: Reference, context: ReferenceContext): ValidationIssue[] {
  const { target, path, expression } = reference;
  switch (target.namespace) {
    case 'Parameters':
      return context.parameters.has(target.name)
        ? []
        : [
            issue(
              path,
              `Get "${expression}" refers to parameter "${target.name}", which is not declared in Parameters${didYouMean(target.name, context.parameters)}`,
            ),
          ];
    case 'Execution':
      return (EXECUTION_VARIABLE_NAMES as readonly string[]).includes(target.name)
        ? []
        : [
            issue(
              path,
              `unknown execution variable "${target.name}"${didYouMean(target.name, EXECUTION_VARIABLE_NAMES)}; expected one of ${EXECUTION_VARIABLE_NAMES.join(', ')}`,
            ),
          ];
    case 'Steps': {
      const step = context.steps.get(target.step);
      if (!step) {
        return [
          issue(
            path,
            `Get "${expression}" refers to step "${target.step}", which does not exist${didYouMean(target.step, context.steps.keys())}`,
          ),
        ];
      }
      return checkStepProperty(reference, step, target.property);
    }
    default:
      return [
        issue(path, `unknown reference "${expression}": a Get starts with Parameters., Execution. or Steps.`),
      ];
  }
}

function checkStepProperty(reference: Reference, step: FlatStep, property: string): ValidationIssue[] {
  const { path, expression } = reference;
  const segments = parsePropertyPath(property);
  if (!segments) {
    return [
      issue(
        path,
        `malformed property path in "${expression}"; expected e.g. Steps.<step>.ModelArtifacts.S3ModelArtifacts or Steps.<step>.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri`,
      ),
    ];
  }
  const [head, second] = segments as [PropertySegment, PropertySegment | undefined];
  if (reference.propertyFile !== (head.name === 'PropertyFiles')) {
    return [
      issue(
        path,
        reference.propertyFile
          ? `Std:JsonGet PropertyFile "${expression}" must refer to Steps.<step>.PropertyFiles.<name>`
          : `"${expression}" names a property file; read values from it with Std:JsonGet, not Get`,
      ),
    ];
  }
  if (head.name === 'PropertyFiles') return checkPropertyFile(reference, step, second);
  return checkDescribedProperty(reference, step, segments);
}

function checkPropertyFile(
  reference: Reference,
  step: FlatStep,
  file: PropertySegment | undefined,
): ValidationIssue[] {
  const files = declaredNames(step.step, 'PropertyFiles', 'PropertyFileName');
  if (file && files.includes(file.name)) return [];
  const name = file?.name ?? '';
  return [
    issue(
      reference.path,
      `step "${step.name}" declares no property file "${name}"${didYouMean(name, files)}; its PropertyFiles are ${files.join(', ') || '(none)'}`,
    ),
  ];
}

function checkDescribedProperty(
  reference: Reference,
  step: FlatStep,
  segments: readonly PropertySegment[],
): ValidationIssue[] {
  const info = step.type === undefined ? undefined : stepTypeInfo(step.type);
  if (!info) return [];
  const [head] = segments as [PropertySegment];
  if (!info.properties.includes(head.name)) {
    const has =
      info.properties.length === 0
        ? `${step.type} steps have no properties`
        : info.properties.length <= MAX_LISTED_PROPERTIES
          ? `${step.type} properties are ${info.properties.join(', ')}`
          : `${step.type} properties follow ${info.shape}`;
    return [
      issue(
        reference.path,
        `step "${step.name}" (${step.type}) has no property "${head.name}"${didYouMean(head.name, info.properties)}; ${has}`,
      ),
    ];
  }
  return checkDeclaredKey(reference, step, segments);
}

/** Processing outputs and Lambda/Callback output parameters are picked by the names the step declares. */
function checkDeclaredKey(
  reference: Reference,
  step: FlatStep,
  segments: readonly PropertySegment[],
): ValidationIssue[] {
  const [head, second] = segments as [PropertySegment, PropertySegment | undefined];
  const processing =
    step.type === 'Processing' && head.name === 'ProcessingOutputConfig' && second?.name === 'Outputs';
  const outputParameters = head.name === 'OutputParameters';
  if (!processing && !outputParameters) return [];
  const [key] = (processing ? second : head)?.keys ?? [];
  const declared = processing
    ? processingOutputNames(step.step)
    : declaredNames(step.step, 'OutputParameters', 'OutputName');
  const what = processing ? 'processing output' : 'output parameter';
  if (key === undefined)
    return [
      issue(
        reference.path,
        `"${reference.expression}" must pick one ${what} by name, e.g. ['${declared[0] ?? 'name'}']`,
      ),
    ];
  if (typeof key === 'number') {
    return key < declared.length
      ? []
      : [
          issue(
            reference.path,
            `step "${step.name}" has ${declared.length} ${what}s; index ${key} is out of range`,
          ),
        ];
  }
  if (declared.includes(key)) return [];
  return [
    issue(
      reference.path,
      `step "${step.name}" declares no ${what} "${key}"${didYouMean(key, declared)}; it declares ${declared.join(', ') || '(none)'}`,
    ),
  ];
}
