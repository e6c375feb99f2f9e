import { checkCapabilities } from './template/capabilities';
import { evaluateConditions } from './template/conditions';
import { templateError } from './errors';
import type { IntrinsicContext } from './template/intrinsics';
import {
  resolveParameters,
  type ParameterInput,
  type ResolvedParameters,
  type StackParameter,
} from './template/parameters';
import { pseudoParameters, type StackIdentity } from './template/pseudo-parameters';
import { checkReferences, dependencyOrder } from './template/references';
import { checkRules } from './template/rules';
import { loadTemplate } from './template/template';
import type { ParameterValue, Template } from './template/types';

/** A template checked and resolved for one stack operation: everything but the resources' own values. */
export interface PreparedTemplate {
  readonly templateBody: string;
  readonly template: Template;
  readonly parameters: ResolvedParameters;
  /** Parameter and pseudo parameter values, as Ref returns them. */
  readonly values: Readonly<Record<string, ParameterValue>>;
  readonly conditions: Readonly<Record<string, boolean>>;
  /** The resources whose Condition holds, each after everything it depends on. */
  readonly order: readonly string[];
}

export interface PrepareOptions {
  readonly templateBody: string;
  readonly parameters: readonly ParameterInput[];
  readonly previousParameters?: readonly StackParameter[];
  readonly capabilities: readonly string[];
  readonly stack: StackIdentity;
  readSsmParameter(name: string): Promise<string | undefined>;
}

/**
 * Everything CloudFormation checks before it touches a resource: template structure, references and cycles,
 * capabilities, parameters (SSM types read now), Rules and Conditions. Throws the ValidationError AWS would.
 */
export async function prepareTemplate(options: PrepareOptions): Promise<PreparedTemplate> {
  const template = loadTemplate(options.templateBody);
  checkReferences(template);
  dependencyOrder(template, Object.keys(template.Resources));
  checkCapabilities(template, options.capabilities);
  const parameters = await resolveParameters({
    template,
    inputs: options.parameters,
    ...(options.previousParameters ? { previous: options.previousParameters } : {}),
    readSsmParameter: options.readSsmParameter,
  });
  const values = { ...pseudoParameters(options.stack), ...parameters.values };
  const base = {
    region: options.stack.region,
    parameters: values,
    mappings: template.Mappings,
    importValue: (name: string): string => {
      throw templateError(`Fn::ImportValue ${name} cannot be used in Conditions or Rules`);
    },
  };
  const conditions = evaluateConditions(template, base);
  checkRules(template, { ...base, ...noResources(conditions) });
  const included = Object.keys(template.Resources).filter((id) => {
    const condition = template.Resources[id]?.Condition;
    return condition === undefined || conditions[condition] === true;
  });
  return {
    templateBody: options.templateBody,
    template,
    parameters,
    values,
    conditions,
    order: dependencyOrder(template, included),
  };
}

/** Rules see parameters only, never resources. */
function noResources(
  conditions: Readonly<Record<string, boolean>>,
): Pick<IntrinsicContext, 'condition' | 'ref' | 'getAtt'> {
  return {
    condition: (name) => {
      const value = conditions[name];
      if (value === undefined) throw templateError(`Unresolved condition dependency ${name}`);
      return value;
    },
    ref: (name) => {
      throw templateError(`Rules cannot reference resource ${name}`);
    },
    getAtt: (name) => {
      throw templateError(`Rules cannot use Fn::GetAtt on ${name}`);
    },
  };
}
