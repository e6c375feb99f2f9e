import { requiredCapability } from '../template/capabilities';
import { checkReferences, dependencyOrder } from '../template/references';
import { loadTemplate } from '../template/template';
import type { ParameterDeclaration, Template } from '../template/types';

/** A template body loaded and checked as ValidateTemplate and GetTemplateSummary check it. */
export function validatedTemplate(body: string): Template {
  const template = loadTemplate(body);
  checkReferences(template);
  dependencyOrder(template, Object.keys(template.Resources));
  return template;
}

const isNoEcho = (declaration: ParameterDeclaration) =>
  declaration.NoEcho === true || declaration.NoEcho === 'true';

/** ValidateTemplate's answer: parameters, description and the capabilities the template needs. */
export function validateTemplateOutput(template: Template) {
  return {
    Parameters: Object.entries(template.Parameters).map(([key, declaration]) => ({
      ParameterKey: key,
      ...(declaration.Default === undefined ? {} : { DefaultValue: String(declaration.Default) }),
      NoEcho: isNoEcho(declaration),
      ...(declaration.Description === undefined ? {} : { Description: declaration.Description }),
    })),
    Description: template.Description,
    ...capabilities(template),
    DeclaredTransforms: [],
  };
}

/**
 * GetTemplateSummary's answer (the AWS CLI's `deploy` reads its parameter keys before every change set on
 * an existing stack). ResourceIdentifierSummaries, which only resource import uses, is left out.
 */
export function templateSummaryOutput(template: Template) {
  return {
    Parameters: Object.entries(template.Parameters).map(([key, declaration]) => ({
      ParameterKey: key,
      ...(declaration.Default === undefined ? {} : { DefaultValue: String(declaration.Default) }),
      ParameterType: declaration.Type,
      NoEcho: isNoEcho(declaration),
      ...(declaration.Description === undefined ? {} : { Description: declaration.Description }),
      ParameterConstraints: {
        ...(declaration.AllowedValues === undefined
          ? {}
          : { AllowedValues: declaration.AllowedValues.map(String) }),
      },
    })),
    Description: template.Description,
    ...capabilities(template),
    ResourceTypes: [...new Set(Object.values(template.Resources).map((resource) => resource.Type))],
    // The only version there is; AWS reports it whether or not the template declares it.
    Version: template.AWSTemplateFormatVersion ?? '2010-09-09',
    ...(template.Metadata === undefined ? {} : { Metadata: JSON.stringify(template.Metadata) }),
    DeclaredTransforms: [],
  };
}

function capabilities(template: Template) {
  const required = requiredCapability(template);
  return {
    Capabilities: required ? [required.capability] : [],
    ...(required
      ? {
          CapabilitiesReason: `The following resource(s) require capabilities: [${required.types.join(', ')}]`,
        }
      : {}),
  };
}
