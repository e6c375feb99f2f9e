import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { AwsError } from '../../core/errors';
import { optional } from '../../core/optional';
import type { StateStore } from '../../state/store';

/** A function's configuration, in the shape of Lambda's FunctionConfiguration. */
export interface FunctionConfiguration {
  readonly FunctionName: string;
  readonly FunctionArn: string;
  readonly Runtime: string;
  readonly Role: string;
  /** `<module path>.<export>`: the module is a local .ts/.js file (see docs/local-aws.md). */
  readonly Handler: string;
  readonly Description: string;
  readonly Timeout: number;
  readonly MemorySize: number;
  readonly Environment: { readonly Variables: Readonly<Record<string, string>> };
  readonly LastModified: string;
  readonly CodeSha256: string;
  readonly CodeSize: number;
  readonly Version: string;
  readonly State: string;
  /** Always Successful here: configuration changes apply at once (boto3's function_updated waiter reads it). */
  readonly LastUpdateStatus: string;
  readonly PackageType: string;
}

/** Where a function's code lives on this machine. */
export interface LocalHandler {
  readonly modulePath: string;
  readonly exportName: string;
}

const COLLECTION = 'lambda/functions';
const NAME_PATTERN = /^[a-zA-Z0-9-_]{1,64}$/;
const MODULE_EXTENSIONS = ['', '.ts', '.js', '.cjs'];

/** The repository root (this file is local/services/lambda/functions.ts). */
const REPO_ROOT = path.resolve(__dirname, '../../..');

export const RECORD_MODEL_NAME = 'record-model-name';

/**
 * Functions registered with the local Lambda. `record-model-name` is built in (not stored, cannot be
 * deleted); others come from CreateFunction and persist in the state dir.
 */
export class FunctionRegistry {
  private readonly builtins: ReadonlyMap<string, FunctionConfiguration>;

  constructor(
    private readonly store: StateStore,
    private readonly arnPrefix: string,
  ) {
    const recordModelName = this.configuration({
      FunctionName: RECORD_MODEL_NAME,
      Handler: path.join(REPO_ROOT, 'src/lambda/record-model-name.handler'),
      Description: 'Records the name of the model a pipeline created in an SSM parameter',
      Timeout: 30,
      Environment: { Variables: { MODEL_NAME_PARAMETER: '/mlops/abalone/model-name' } },
    });
    this.builtins = new Map([[RECORD_MODEL_NAME, recordModelName]]);
  }

  create(input: Record<string, unknown>): FunctionConfiguration {
    const name = input.FunctionName;
    if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
      throw invalid(
        `FunctionName must be 1-64 letters, digits, hyphens or underscores; got ${JSON.stringify(name)}`,
      );
    }
    if (this.find(name)) {
      throw new AwsError('ResourceConflictException', `Function already exist: ${name}`, { status: 409 });
    }
    if (typeof input.Handler !== 'string') {
      throw invalid(
        `Handler is required: "<module path>.<export>", e.g. "src/lambda/record-model-name.handler"`,
      );
    }
    resolveHandler(input.Handler);
    const configuration = this.configuration({
      FunctionName: name,
      Handler: input.Handler,
      ...optional('Runtime', input.Runtime as string | undefined),
      ...optional('Role', input.Role as string | undefined),
      ...optional('Description', input.Description as string | undefined),
      ...optional('Timeout', input.Timeout as number | undefined),
      ...optional('MemorySize', input.MemorySize as number | undefined),
      ...optional('Environment', input.Environment as FunctionConfiguration['Environment'] | undefined),
    });
    this.store.put(COLLECTION, name, configuration);
    return configuration;
  }

  /**
   * By name, ARN or partial ARN (`000000000000:function:name`), with a qualifier as a `:suffix` or the
   * Qualifier member: functions here have only `$LATEST` (no published versions or aliases), so any other
   * qualifier is a function that does not exist, as on AWS.
   */
  get(nameOrArn: string, qualifier?: string): FunctionConfiguration {
    const name = functionName(nameOrArn);
    const wanted = qualifier ?? qualifierOf(nameOrArn);
    const found = this.find(name);
    if (!found || (wanted !== undefined && wanted !== '$LATEST')) {
      const arn = `${this.arnPrefix}${name}${wanted === undefined ? '' : `:${wanted}`}`;
      throw new AwsError('ResourceNotFoundException', `Function not found: ${arn}`, {
        status: 404,
        fields: { Type: 'User' },
      });
    }
    // Records written before LastUpdateStatus existed read as Successful.
    return { ...found, LastUpdateStatus: found.LastUpdateStatus ?? 'Successful' };
  }

  list(): FunctionConfiguration[] {
    const stored = this.store.list<FunctionConfiguration>(COLLECTION);
    return [...this.builtins.values(), ...stored]
      .map((found) => ({ ...found, LastUpdateStatus: found.LastUpdateStatus ?? 'Successful' }))
      .sort((a, b) => a.FunctionName.localeCompare(b.FunctionName));
  }

  delete(nameOrArn: string): void {
    const { FunctionName } = this.get(nameOrArn);
    if (this.builtins.has(FunctionName)) {
      throw new AwsError(
        'ResourceConflictException',
        `${FunctionName} is built into the local AWS and cannot be deleted`,
        {
          status: 409,
        },
      );
    }
    this.store.delete(COLLECTION, FunctionName);
  }

  private find(name: string): FunctionConfiguration | undefined {
    return this.builtins.get(name) ?? this.store.get<FunctionConfiguration>(COLLECTION, name);
  }

  private configuration(
    fields: Pick<FunctionConfiguration, 'FunctionName' | 'Handler'> & Partial<FunctionConfiguration>,
  ): FunctionConfiguration {
    return {
      FunctionArn: `${this.arnPrefix}${fields.FunctionName}`,
      Runtime: 'nodejs20.x',
      Role: 'arn:aws:iam::000000000000:role/local-lambda',
      Description: '',
      Timeout: 3,
      MemorySize: 128,
      Environment: { Variables: {} },
      // Lambda's own format: 2024-01-31T12:00:00.000+0000.
      LastModified: new Date().toISOString().replace('Z', '+0000'),
      CodeSha256: createHash('sha256').update(fields.Handler).digest('base64'),
      CodeSize: 0,
      Version: '$LATEST',
      State: 'Active',
      LastUpdateStatus: 'Successful',
      PackageType: 'Zip',
      ...fields,
    };
  }
}

/** `<module path>.<export>` → the module file (relative paths from the current directory) and export name. */
export function resolveHandler(handler: string): LocalHandler {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0 || dot === handler.length - 1) {
    throw invalid(
      `Handler "${handler}" must be "<module path>.<export>", e.g. "src/lambda/record-model-name.handler"`,
    );
  }
  const base = path.resolve(handler.slice(0, dot));
  const modulePath = MODULE_EXTENSIONS.map((extension) => base + extension).find(
    (candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile(),
  );
  if (!modulePath) {
    throw invalid(
      `Handler "${handler}": no module ${base}{${MODULE_EXTENSIONS.filter(Boolean).join(',')}} on this machine`,
    );
  }
  return { modulePath, exportName: handler.slice(dot + 1) };
}

function functionName(nameOrArn: string): string {
  const arn = /^(?:arn:[^:]+:lambda:[^:]+:)?\d{12}:function:([^:]+)(?::.+)?$/.exec(nameOrArn);
  if (arn) return arn[1]!;
  return nameOrArn.split(':')[0]!;
}

/** The `:qualifier` of `name:qualifier` or of a qualified ARN. */
function qualifierOf(nameOrArn: string): string | undefined {
  const arn = /^(?:arn:[^:]+:lambda:[^:]+:)?\d{12}:function:[^:]+:(.+)$/.exec(nameOrArn);
  if (arn) return arn[1]!;
  const parts = nameOrArn.split(':');
  return parts.length === 2 ? parts[1] : undefined;
}

function invalid(message: string): AwsError {
  return new AwsError('InvalidParameterValueException', message);
}
