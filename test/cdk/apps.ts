import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { App, Stack, Validations, type AppProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';

import { EndpointStack } from '../../cdk-model-deploy/lib/endpoint-stack';
import type { EndpointStackProps } from '../../cdk-model-deploy/lib/endpoint-props';
import { CodePipelineStack } from '../../infra/lib/codepipeline-stack';
import { infraConfigFromContext } from '../../infra/lib/config';
import { FoundationStack } from '../../infra/lib/foundation-stack';
import { GitHubOidcStack } from '../../infra/lib/github-oidc-stack';

import cdkJson from '../../infra/cdk.json';

let assemblies: string | undefined;

/** An app as the bin/ apps make it, synthesizing into a temporary directory removeAssemblies() deletes. */
export function testApp(props: AppProps = {}): App {
  assemblies ??= mkdtempSync(join(tmpdir(), 'cdk-test-'));
  return new App({
    ...props,
    outdir: mkdtempSync(join(assemblies, 'app-')),
    builtinCloudFormationValidation: false,
  });
}

/** Call in afterAll: the cloud assemblies (and bundled Lambda assets) of every testApp(). */
export function removeAssemblies(): void {
  if (assemblies !== undefined) rmSync(assemblies, { recursive: true, force: true });
  assemblies = undefined;
}

/** The infra app as `cdk synth` builds it (same context), with extra context on top. */
export function infraStacks(context: Record<string, unknown> = {}) {
  const app = testApp({ context: { ...cdkJson.context, ...context } });
  const config = infraConfigFromContext(app.node);
  const foundation = new FoundationStack(app, 'MlopsFoundation', { config });
  const pipeline = new CodePipelineStack(app, 'MlopsCodePipeline', { config });
  const oidc = new GitHubOidcStack(app, 'MlopsGitHubOidc', { config });
  return { app, config, foundation, pipeline, oidc };
}

export function endpointStack(props: EndpointStackProps = {}) {
  return new EndpointStack(testApp(), 'EndpointStack', props);
}

/** Synthesizes the stack's app (which runs the acknowledgement aspects) and returns cdk-nag's findings. */
export function nagFindings(stack: Stack): { rule: string; severity: string | undefined; paths: string[] }[] {
  const app = stack.node.root as App;
  const pack = new AwsSolutionsChecks(app);
  app.synth();
  return pack.validateScope(stack).violations.map((violation) => ({
    rule: violation.ruleName,
    severity: violation.severity,
    paths: violation.violatingResources.map((resource) => resource.constructPath ?? ''),
  }));
}

/** Registers cdk-nag the way the bin/ apps do, so app.synth() throws on any finding. */
export function withNag(app: App): App {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}

export interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** Every IAM statement of a template: identity policies, role inline policies and resource policies. */
export function iamStatements(template: Template): { resource: string; statement: Statement }[] {
  const found: { resource: string; statement: Statement }[] = [];
  const documentsOf = (properties: Record<string, unknown>): unknown[] => [
    properties.PolicyDocument,
    ...((properties.Policies as { PolicyDocument: unknown }[] | undefined) ?? []).map(
      (policy) => policy.PolicyDocument,
    ),
  ];
  for (const [id, resource] of Object.entries(
    template.toJSON().Resources as Record<string, { Properties?: Record<string, unknown> }>,
  )) {
    for (const document of documentsOf(resource.Properties ?? {})) {
      const statements = (document as { Statement?: Statement[] } | undefined)?.Statement ?? [];
      statements.forEach((statement) => found.push({ resource: id, statement }));
    }
  }
  return found;
}

export const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
