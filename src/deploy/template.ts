import * as fs from 'node:fs';

import { parse } from 'yaml';

/** CloudFormation accepts a TemplateBody up to this size; larger templates must come from S3. */
export const MAX_INLINE_TEMPLATE_BYTES = 51_200;

export interface DeclaredParameter {
  readonly type: string;
  readonly hasDefault: boolean;
}

export interface TemplateFile {
  readonly path: string;
  readonly body: string;
  readonly sizeBytes: number;
  readonly parameters: ReadonlyMap<string, DeclaredParameter>;
  /** Logical ids of the template's AWS::SageMaker::Endpoint resources. */
  readonly endpointResources: readonly string[];
}

/**
 * Reads a JSON or YAML template (e.g. `cdk synth` output) and what the deploy needs from it: size and
 * declared parameters. YAML short-form tags (!Ref, !Sub...) are read as plain values; only the
 * Parameters and Resources sections are inspected here.
 */
export function readTemplate(path: string): TemplateFile {
  const body = fs.readFileSync(path, 'utf8');
  let document: unknown;
  try {
    document = parse(body, { logLevel: 'error' });
  } catch (error) {
    throw new Error(`template ${path} is neither JSON nor YAML: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!isRecord(document) || !isRecord(document.Resources)) {
    throw new Error(`template ${path} has no Resources section; expected a CloudFormation template`);
  }
  return {
    path,
    body,
    sizeBytes: Buffer.byteLength(body),
    parameters: declaredParameters(document.Parameters),
    endpointResources: Object.entries(document.Resources).flatMap(([id, resource]) =>
      isRecord(resource) && resource.Type === 'AWS::SageMaker::Endpoint' ? [id] : [],
    ),
  };
}

function declaredParameters(section: unknown): Map<string, DeclaredParameter> {
  const parameters = new Map<string, DeclaredParameter>();
  if (!isRecord(section)) return parameters;
  for (const [name, declaration] of Object.entries(section)) {
    const type = isRecord(declaration) && typeof declaration.Type === 'string' ? declaration.Type : 'String';
    parameters.set(name, { type, hasDefault: isRecord(declaration) && 'Default' in declaration });
  }
  return parameters;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
