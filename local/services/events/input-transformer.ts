import { validationError } from '../../core/errors';

/** How a target's input is shaped from the event (PutTargets' Input, InputPath and InputTransformer). */
export interface TargetInput {
  readonly Input?: string;
  readonly InputPath?: string;
  readonly InputTransformer?: {
    readonly InputPathsMap?: Record<string, string>;
    readonly InputTemplate: string;
  };
}

/** The variables EventBridge defines in every InputTemplate besides the InputPathsMap's. */
export interface ReservedVariables {
  readonly ruleName: string;
  readonly ruleArn: string;
  readonly ingestionTime: string;
}

const VARIABLE_NAME = /^[A-Za-z0-9_-]+$/;
const MAX_PATHS = 100;

/** Checks a target's input members at PutTargets, as EventBridge does; returns the first problem or undefined. */
export function inputProblem(target: TargetInput): string | undefined {
  const given = [target.Input, target.InputPath, target.InputTransformer].filter(
    (member) => member !== undefined,
  );
  if (given.length > 1) return 'Only one of Input, InputPath or InputTransformer can be provided';
  if (target.Input !== undefined && !isJson(target.Input)) return 'Input is not valid JSON';
  if (target.InputPath !== undefined && !target.InputPath.startsWith('$'))
    return `InputPath ${target.InputPath} is not a valid JSONPath (it starts with $)`;
  const transformer = target.InputTransformer;
  if (!transformer) return undefined;
  if (typeof transformer.InputTemplate !== 'string') return 'InputTransformer needs an InputTemplate';
  const paths = Object.entries(transformer.InputPathsMap ?? {});
  if (paths.length > MAX_PATHS)
    return `InputPathsMap has ${paths.length} entries; at most ${MAX_PATHS} are allowed`;
  for (const [name, jsonPath] of paths) {
    if (!VARIABLE_NAME.test(name) || name.startsWith('aws.'))
      return `InputPathsMap key ${name} is not valid; use letters, digits, _ and - (not the reserved aws.*)`;
    if (typeof jsonPath !== 'string' || !jsonPath.startsWith('$'))
      return `InputPathsMap value for ${name} must be a JSONPath starting with $; got ${JSON.stringify(jsonPath)}`;
  }
  return undefined;
}

/** What the target receives for one event, as text. */
export function transformInput(target: TargetInput, event: unknown, reserved: ReservedVariables): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) return JSON.stringify(readPath(event, target.InputPath) ?? null);
  const transformer = target.InputTransformer;
  if (!transformer) return JSON.stringify(event);
  const values: Record<string, unknown> = {
    'aws.events.rule-name': reserved.ruleName,
    'aws.events.rule-arn': reserved.ruleArn,
    'aws.events.event.ingestion-time': reserved.ingestionTime,
    'aws.events.event': event,
    'aws.events.event.json': event,
  };
  for (const [name, jsonPath] of Object.entries(transformer.InputPathsMap ?? {}))
    values[name] = readPath(event, jsonPath);
  return fillTemplate(transformer.InputTemplate, values);
}

/**
 * Replaces `<name>` placeholders. Inside a JSON string literal a value is inserted as string content;
 * outside it is inserted as JSON (strings quoted), so `{"arn": <arn>}` stays valid JSON. A path missing
 * from the event gives an empty string inside quotes and null outside.
 */
function fillTemplate(template: string, values: Readonly<Record<string, unknown>>): string {
  let output = '';
  let inString = false;
  for (let index = 0; index < template.length; index++) {
    const char = template[index]!;
    if (char === '<') {
      const end = template.indexOf('>', index);
      const name = end > index ? template.slice(index + 1, end) : '';
      if (name in values) {
        output += inString ? stringContent(values[name]) : JSON.stringify(values[name] ?? null);
        index = end;
        continue;
      }
    }
    if (char === '"' && !escaped(template, index)) inString = !inString;
    output += char;
  }
  return output;
}

function stringContent(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return JSON.stringify(text).slice(1, -1);
}

function escaped(text: string, index: number): boolean {
  let backslashes = 0;
  for (let at = index - 1; at >= 0 && text[at] === '\\'; at--) backslashes++;
  return backslashes % 2 === 1;
}

/** `$`, `$.a.b`, `$.a[0].b`: the JSONPath subset EventBridge input paths use. */
export function readPath(value: unknown, jsonPath: string): unknown {
  if (!jsonPath.startsWith('$')) throw validationError(`${jsonPath} is not a JSONPath (it starts with $)`);
  const steps = jsonPath
    .slice(1)
    .split(/\.|\[(\d+)\]/)
    .filter((step) => step !== undefined && step !== '');
  return steps.reduce<unknown>((node, step) => {
    if (Array.isArray(node) && /^\d+$/.test(step)) return node[Number(step)];
    return node && typeof node === 'object' && !Array.isArray(node)
      ? (node as Record<string, unknown>)[step]
      : undefined;
  }, value);
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
