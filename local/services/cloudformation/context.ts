import type { ServiceDeps } from '../../core/deps';
import { AwsError } from '../../core/errors';
import type { LocalAwsEnvironment } from '../../core/service';
import type { DeploymentEnv } from './deployment-env';
import { cfnValidationError } from './errors';
import type { StackRecord } from './model';
import { prepareTemplate, type PreparedTemplate } from './prepare';
import type { CloudFormationRepository } from './repository';
import { resourceHandlers } from './resources';
import type { ResourceHandler, ResourceServices } from './resources/types';
import type { OperationRunner } from './runner';
import type { ParameterInput, StackParameter } from './template/parameters';

/** TemplateBody's limit; larger templates go through TemplateURL (S3), as on AWS. */
export const MAX_TEMPLATE_BODY = 51_200;
const MAX_TEMPLATE_URL_BODY = 1_000_000;

/** Everything the CloudFormation operations share. */
export class CloudFormationContext {
  readonly handler: (type: string) => ResourceHandler | undefined;

  constructor(
    readonly env: LocalAwsEnvironment,
    readonly deps: ServiceDeps,
    readonly repo: CloudFormationRepository,
    readonly runner: OperationRunner,
    resources: ResourceServices,
  ) {
    this.handler = resourceHandlers(resources);
  }

  stackId(stackName: string, id: string): string {
    return `arn:aws:cloudformation:${this.env.region}:${this.env.accountId}:stack/${stackName}/${id}`;
  }

  changeSetId(changeSetName: string, id: string): string {
    return `arn:aws:cloudformation:${this.env.region}:${this.env.accountId}:changeSet/${changeSetName}/${id}`;
  }

  deploymentEnv(): DeploymentEnv {
    return {
      region: this.env.region,
      accountId: this.env.accountId,
      signal: this.runner.signal,
      handler: this.handler,
      importValue: (name) => this.importValue(name),
      exportOwner: (name, stackId) =>
        this.exportingStacks().find(
          (stack) => stack.StackId !== stackId && stack.outputs.some((output) => output.ExportName === name),
        )?.StackName,
    };
  }

  importValue(name: string): string {
    for (const stack of this.exportingStacks()) {
      const output = stack.outputs.find((candidate) => candidate.ExportName === name);
      if (output) return output.OutputValue;
    }
    throw cfnValidationError(`No export named ${name} found. Rollback requested by user.`);
  }

  private exportingStacks(): StackRecord[] {
    return this.repo.allStacks().filter((stack) => stack.StackStatus !== 'DELETE_COMPLETE');
  }

  async prepare(options: {
    templateBody: string;
    parameters: readonly ParameterInput[];
    previousParameters?: readonly StackParameter[];
    capabilities: readonly string[];
    stackName: string;
    stackId: string;
    notificationArns: readonly string[];
  }): Promise<PreparedTemplate> {
    return prepareTemplate({
      templateBody: options.templateBody,
      parameters: options.parameters,
      ...(options.previousParameters ? { previousParameters: options.previousParameters } : {}),
      capabilities: options.capabilities,
      stack: {
        region: this.env.region,
        accountId: this.env.accountId,
        stackName: options.stackName,
        stackId: options.stackId,
        notificationArns: options.notificationArns,
      },
      readSsmParameter: async (name) => {
        try {
          return this.deps.ssm.getParameter(name).Value;
        } catch (error) {
          if (error instanceof AwsError && /ParameterNotFound|ParameterVersionNotFound/.test(error.code))
            return undefined;
          throw error;
        }
      },
    });
  }

  /** The template of a request: TemplateBody, or TemplateURL read from the local S3. */
  async templateBody(input: { TemplateBody?: string; TemplateURL?: string }): Promise<string> {
    if (input.TemplateBody !== undefined) {
      if (Buffer.byteLength(input.TemplateBody) > MAX_TEMPLATE_BODY) {
        throw cfnValidationError(
          `1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TEMPLATE_BODY} (got ${Buffer.byteLength(input.TemplateBody)} bytes); upload larger templates to S3 and pass TemplateURL`,
        );
      }
      return input.TemplateBody;
    }
    if (input.TemplateURL === undefined)
      throw cfnValidationError('Either Template URL or Template Body must be specified.');
    const { bucket, key } = s3Location(input.TemplateURL);
    let body: Buffer;
    try {
      body = await this.deps.s3.getObject({ bucket, key });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw cfnValidationError(
        `TemplateURL ${input.TemplateURL} could not be read from S3 (bucket ${bucket}, key ${key}): ${reason}`,
      );
    }
    if (body.length > MAX_TEMPLATE_URL_BODY) {
      throw cfnValidationError(
        `Template at ${input.TemplateURL} is ${body.length} bytes; the maximum is ${MAX_TEMPLATE_URL_BODY}`,
      );
    }
    return body.toString('utf8');
  }
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Bucket and key of a TemplateURL: `https://<bucket>.s3[.<region>].amazonaws.com/<key>`,
 * `https://s3[.<region>].amazonaws.com/<bucket>/<key>`, or the local AWS's path style
 * `http://127.0.0.1:<port>/<bucket>/<key>`.
 */
export function s3Location(url: string): { bucket: string; key: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw cfnValidationError(`TemplateURL must be an S3 URL, got ${JSON.stringify(url)}`);
  }
  const path = decodeURIComponent(parsed.pathname.slice(1));
  const virtualHosted = /^(.+)\.s3[.-]([a-z0-9-]+\.)?amazonaws\.com$/.exec(parsed.hostname);
  if (virtualHosted?.[1] && path) return { bucket: virtualHosted[1], key: path };
  const pathStyle =
    /^s3([.-][a-z0-9-]+)?\.amazonaws\.com$/.test(parsed.hostname) || LOCAL_HOSTS.has(parsed.hostname);
  const slash = path.indexOf('/');
  if (pathStyle && slash > 0 && slash < path.length - 1)
    return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
  throw cfnValidationError(
    `TemplateURL ${url} is not an S3 object URL; expected https://<bucket>.s3.amazonaws.com/<key>, https://s3.amazonaws.com/<bucket>/<key> or http://127.0.0.1:<port>/<bucket>/<key>`,
  );
}
