import type { PutParameterRequest } from '../../core/deps';
import { validationError } from '../../core/errors';
import type { OperationHandler, ServiceProvider } from '../../core/service';
import type { ParameterStore } from './parameter-store';

/** The CDK bootstrap version CDK templates' CheckBootstrapVersion rule reads (it wants at least 6). */
export const CDK_BOOTSTRAP_PARAMETER = '/cdk-bootstrap/hnb659fds/version';
const CDK_BOOTSTRAP_VERSION = '30';

/** The local SSM Parameter Store (awsJson1_1, target prefix `AmazonSSM`). */
export function createSsmProvider(parameters: ParameterStore): ServiceProvider {
  return {
    name: 'ssm',
    model: 'ssm',
    operations: ssmOperations(parameters),
    start() {
      if (!parameters.has(CDK_BOOTSTRAP_PARAMETER)) {
        parameters.putParameter({
          Name: CDK_BOOTSTRAP_PARAMETER,
          Value: CDK_BOOTSTRAP_VERSION,
          Type: 'String',
        });
      }
    },
  };
}

function ssmOperations(parameters: ParameterStore): Record<string, OperationHandler> {
  return {
    PutParameter: (input) => parameters.putParameter(input as unknown as PutParameterRequest),

    GetParameter: (input) => ({ Parameter: parameters.getParameter(requireString(input, 'Name')) }),

    GetParameters: (input) => {
      const names = requireNames(input);
      const found = names.filter((name) => parameters.has(name));
      return {
        Parameters: found.map((name) => parameters.getParameter(name)),
        InvalidParameters: names.filter((name) => !found.includes(name)),
      };
    },

    GetParameterHistory: (input) => {
      const history = parameters.history(requireString(input, 'Name')).map((version) => ({
        ...version,
        Labels: [],
        Tier: 'Standard',
        Policies: [],
        LastModifiedUser: 'local',
      }));
      return paginate(history, input, 50);
    },

    GetParametersByPath: (input) => {
      const path = requireString(input, 'Path').replace(/\/?$/, '/');
      const recursive = input.Recursive === true;
      const matches = parameters.all().filter((parameter) => {
        if (!parameter.Name.startsWith(path)) return false;
        return recursive || !parameter.Name.slice(path.length).includes('/');
      });
      return paginate(matches, input, 10, 'Parameters');
    },

    DeleteParameter: (input) => {
      parameters.delete(requireString(input, 'Name'));
      return {};
    },

    DeleteParameters: (input) => {
      const names = requireNames(input);
      const deleted = names.filter((name) => parameters.has(name));
      for (const name of deleted) parameters.delete(name);
      return {
        DeletedParameters: deleted,
        InvalidParameters: names.filter((name) => !deleted.includes(name)),
      };
    },

    DescribeParameters: (input) => {
      const filters = (input.ParameterFilters ?? []) as { Key: string; Option?: string; Values?: string[] }[];
      const matches = parameters
        .all()
        .filter((parameter) => filters.every((filter) => matchesFilter(parameter.Name, filter)))
        .map(({ Value: _value, ...metadata }) => ({
          ...metadata,
          Tier: 'Standard',
          Policies: [],
          LastModifiedUser: 'local',
        }));
      return paginate(matches, input, 50, 'Parameters');
    },
  };
}

/** DescribeParameters' basic filters: Name (Equals, BeginsWith) and Path (OneLevel, Recursive). */
function matchesFilter(name: string, filter: { Key: string; Option?: string; Values?: string[] }): boolean {
  const values = filter.Values ?? [];
  if (filter.Key === 'Name') {
    const option = filter.Option ?? 'Equals';
    if (option === 'Equals') return values.includes(name);
    if (option === 'BeginsWith') return values.some((value) => name.startsWith(value));
  }
  if (filter.Key === 'Path') {
    return values.some((value) => {
      const path = value.replace(/\/?$/, '/');
      if (!name.startsWith(path)) return false;
      return filter.Option === 'Recursive' || !name.slice(path.length).includes('/');
    });
  }
  throw validationError(
    `ParameterFilters: Key ${filter.Key} with Option ${filter.Option ?? 'Equals'} is not supported by the local AWS; use Name (Equals, BeginsWith) or Path (OneLevel, Recursive)`,
  );
}

function paginate<T>(items: T[], input: Record<string, unknown>, limit: number, member = 'Parameters') {
  const maxResults = input.MaxResults === undefined ? limit : Number(input.MaxResults);
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > limit) {
    throw validationError(
      `MaxResults must be an integer from 1 to ${limit}; got ${String(input.MaxResults)}`,
    );
  }
  const start =
    input.NextToken === undefined ? 0 : Number(Buffer.from(String(input.NextToken), 'base64url').toString());
  if (!Number.isInteger(start) || start < 0)
    throw validationError(`NextToken ${String(input.NextToken)} is invalid`);
  const page = items.slice(start, start + maxResults);
  const next =
    start + maxResults < items.length
      ? Buffer.from(String(start + maxResults)).toString('base64url')
      : undefined;
  return { [member]: page, ...(next ? { NextToken: next } : {}) };
}

function requireString(input: Record<string, unknown>, member: string): string {
  const value = input[member];
  if (typeof value !== 'string' || value === '') throw validationError(`${member} is required`);
  return value;
}

function requireNames(input: Record<string, unknown>): string[] {
  const names = input.Names;
  if (
    !Array.isArray(names) ||
    names.length < 1 ||
    names.length > 10 ||
    !names.every((name) => typeof name === 'string')
  ) {
    throw validationError(`Names must be a list of 1-10 parameter names; got ${JSON.stringify(names)}`);
  }
  return names as string[];
}
