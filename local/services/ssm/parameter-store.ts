import type { ParameterStoreApi, PutParameterRequest, StoredParameter } from '../../core/deps';
import { AwsError, validationError } from '../../core/errors';
import { optional } from '../../core/optional';
import type { StateStore } from '../../state/store';

type ParameterType = StoredParameter['Type'];

interface VersionRecord {
  readonly version: number;
  readonly value: string;
  readonly type: ParameterType;
  readonly lastModified: string;
  readonly description?: string;
}

export interface ParameterRecord {
  readonly name: string;
  readonly dataType: string;
  readonly allowedPattern?: string;
  readonly tags: readonly { Key: string; Value: string }[];
  /** Oldest first; at most MAX_VERSIONS. */
  readonly versions: readonly VersionRecord[];
}

const COLLECTION = 'ssm/parameters';
const MAX_VERSIONS = 100;
const MAX_VALUE_LENGTH = 4096;
const MAX_HIERARCHY_LEVELS = 15;
const TYPES: readonly ParameterType[] = ['String', 'StringList', 'SecureString'];
const NAME_PATTERN = /^[a-zA-Z0-9_.\-/]+$/;

/**
 * The local Parameter Store. One record per parameter holds its last 100 versions. SecureString values are
 * kept and returned as plain text (there is no KMS here); WithDecryption is accepted and ignored.
 */
export class ParameterStore implements ParameterStoreApi {
  constructor(
    private readonly store: StateStore,
    private readonly arnPrefix: string,
  ) {}

  putParameter(request: PutParameterRequest & { AllowedPattern?: string }): {
    Version: number;
    Tier: string;
  } {
    const name = checkName(request.Name);
    if (typeof request.Value !== 'string' || request.Value.length === 0) {
      throw validationError(`parameter ${name}: Value is required (1-${MAX_VALUE_LENGTH} characters)`);
    }
    if (request.Value.length > MAX_VALUE_LENGTH) {
      throw validationError(
        `parameter ${name}: Value is ${request.Value.length} characters; the Standard tier allows ${MAX_VALUE_LENGTH}`,
      );
    }
    if (request.Type !== undefined && !TYPES.includes(request.Type)) {
      throw validationError(
        `parameter ${name}: Type "${String(request.Type)}" is invalid; expected one of ${TYPES.join(', ')}`,
      );
    }
    if (request.Overwrite && request.Tags && request.Tags.length > 0) {
      throw validationError(
        "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
      );
    }
    const existing = this.record(name);
    if (existing && !request.Overwrite) {
      throw new AwsError(
        'ParameterAlreadyExists',
        `The parameter ${name} already exists. To overwrite this value, set the overwrite option in the request to true.`,
      );
    }
    const latest = existing?.versions[existing.versions.length - 1];
    const type = request.Type ?? latest?.type;
    if (!type)
      throw validationError(`parameter ${name}: a parameter type is required when you create a parameter`);
    const allowedPattern = request.AllowedPattern ?? existing?.allowedPattern;
    if (allowedPattern !== undefined && !new RegExp(allowedPattern).test(request.Value)) {
      throw new AwsError(
        'ParameterPatternMismatchException',
        `parameter ${name}: value does not match its AllowedPattern ${allowedPattern}`,
      );
    }
    const version: VersionRecord = {
      version: (latest?.version ?? 0) + 1,
      value: request.Value,
      type,
      lastModified: new Date().toISOString(),
      ...optional('description', request.Description ?? latest?.description),
    };
    const record: ParameterRecord = {
      name,
      dataType: request.DataType ?? existing?.dataType ?? 'text',
      ...optional('allowedPattern', allowedPattern),
      tags: existing?.tags ?? request.Tags ?? [],
      versions: [...(existing?.versions ?? []), version].slice(-MAX_VERSIONS),
    };
    this.store.put(COLLECTION, name, record);
    return { Version: version.version, Tier: 'Standard' };
  }

  getParameter(nameWithSelector: string): StoredParameter & { Selector?: string } {
    const { name, selector } = splitSelector(nameWithSelector);
    const record = this.require(name);
    if (selector === undefined) return this.view(record, record.versions[record.versions.length - 1]!);
    const wanted = Number(selector);
    const version = Number.isInteger(wanted)
      ? record.versions.find((candidate) => candidate.version === wanted)
      : undefined;
    if (!version) {
      throw new AwsError(
        'ParameterVersionNotFound',
        `Systems Manager could not find version ${selector} of ${name}. Verify the version and try again.`,
      );
    }
    return { ...this.view(record, version), Selector: `:${selector}` };
  }

  /** Whether a parameter exists (no error thrown). */
  has(name: string): boolean {
    return this.record(splitSelector(name).name) !== undefined;
  }

  history(name: string): (StoredParameter & { Description?: string })[] {
    const record = this.require(checkName(name));
    return record.versions.map((version) => ({
      ...this.view(record, version),
      ...optional('Description', version.description),
    }));
  }

  delete(name: string): void {
    const record = this.require(name);
    this.store.delete(COLLECTION, record.name);
  }

  /** Every parameter (latest versions), sorted by name. */
  all(): (StoredParameter & { Description?: string })[] {
    return this.store
      .list<ParameterRecord>(COLLECTION)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((record) => {
        const latest = record.versions[record.versions.length - 1]!;
        return { ...this.view(record, latest), ...optional('Description', latest.description) };
      });
  }

  private require(name: string): ParameterRecord {
    const record = this.record(name);
    if (!record) throw new AwsError('ParameterNotFound', `Parameter ${name} not found.`);
    return record;
  }

  private record(name: string): ParameterRecord | undefined {
    return this.store.get<ParameterRecord>(COLLECTION, name);
  }

  private view(record: ParameterRecord, version: VersionRecord): StoredParameter {
    return {
      Name: record.name,
      Type: version.type,
      Value: version.value,
      Version: version.version,
      LastModifiedDate: new Date(version.lastModified),
      ARN: `${this.arnPrefix}${record.name.startsWith('/') ? record.name.slice(1) : record.name}`,
      DataType: record.dataType,
    };
  }
}

/** `name`, `name:3` or a parameter ARN → the name and the version selector. */
function splitSelector(input: string): { name: string; selector?: string } {
  const arn = /^arn:[^:]+:ssm:[^:]*:\d*:parameter\/(.*)$/.exec(input);
  // The ARN of `/a/b` is `...:parameter/a/b`; of `a` it is `...:parameter/a`.
  const name = arn ? (arn[1]!.includes('/') ? `/${arn[1]!}` : arn[1]!) : input;
  const colon = name.lastIndexOf(':');
  return colon < 0 ? { name } : { name: name.slice(0, colon), selector: name.slice(colon + 1) };
}

function checkName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 2048) {
    throw validationError(
      `parameter Name must be a string of 1-2048 characters; got ${JSON.stringify(name)}`,
    );
  }
  if (!NAME_PATTERN.test(name)) {
    throw new AwsError(
      'ParameterPatternMismatchException',
      `parameter name "${name}" is invalid: use only letters, digits and the symbols . - _ /`,
    );
  }
  if (name.includes('/') && !name.startsWith('/')) {
    throw new AwsError(
      'ParameterPatternMismatchException',
      `parameter name "${name}" is invalid: a hierarchical name must be fully qualified (start with /)`,
    );
  }
  if (/^\/?(aws|ssm)/i.test(name)) {
    throw validationError(
      `parameter name "${name}" is invalid: it can't be prefixed with "aws" or "ssm" (case-insensitive)`,
    );
  }
  const levels = name.split('/').filter(Boolean).length;
  if (levels > MAX_HIERARCHY_LEVELS) {
    throw new AwsError(
      'HierarchyLevelLimitExceededException',
      `parameter name "${name}" has ${levels} levels; a hierarchy can have at most ${MAX_HIERARCHY_LEVELS}`,
    );
  }
  return name;
}
