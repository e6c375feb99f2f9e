import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

import type { EndpointStackProps } from './endpoint-props';
import { EndpointStack } from './endpoint-stack';

/** The construct id of the endpoint stack; it names the synthesized template file. */
export const ENDPOINT_STACK_ID = 'EndpointStack';

/** Where `npm run synth` (and `cdk synth` in cdk-model-deploy/) writes the endpoint template. */
export const ENDPOINT_TEMPLATE_PATH = join(__dirname, '..', 'cdk.out', `${ENDPOINT_STACK_ID}.template.json`);

/** The parts of a synthesized CloudFormation template a deployer reads. */
export interface EndpointTemplate {
  readonly Description?: string;
  readonly Parameters: Readonly<Record<string, { readonly Type: string; readonly Default?: unknown }>>;
  readonly Conditions?: Readonly<Record<string, unknown>>;
  readonly Resources: Readonly<
    Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>
  >;
  readonly Outputs: Readonly<Record<string, { readonly Value: unknown }>>;
}

export interface SynthesizeOptions {
  /** Cloud assembly directory to keep; by default a temporary one is used and removed. */
  readonly outdir?: string;
}

/**
 * Synthesizes the endpoint stack in-process (no CDK CLI, about a second) and returns its template, ready
 * for CloudFormation: the props' values are the parameters' defaults, so it deploys with or without
 * parameter overrides. Throws when cdk-nag's AwsSolutions checks report an unacknowledged finding (CDK policy validation).
 */
export function synthesizeEndpointTemplate(
  props: EndpointStackProps = {},
  options: SynthesizeOptions = {},
): EndpointTemplate {
  const outdir = options.outdir ?? mkdtempSync(join(tmpdir(), 'cdk-model-deploy-'));
  try {
    const app = new App({ outdir, builtinCloudFormationValidation: false });
    const stack = new EndpointStack(app, ENDPOINT_STACK_ID, props);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
    const artifact = app.synth().getStackArtifact(stack.artifactId);
    const errors = artifact.messages.filter((message) => message.level === 'error');
    if (errors.length > 0) {
      const lines = errors.map((message) => `${message.id}: ${String(message.entry.data)}`);
      throw new Error(`the endpoint stack has synthesis errors:\n${lines.join('\n')}`);
    }
    return artifact.template as EndpointTemplate;
  } finally {
    if (options.outdir === undefined) rmSync(outdir, { recursive: true, force: true });
  }
}
