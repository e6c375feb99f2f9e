import type {
  DeleteParameterRequest,
  DeleteParameterResult,
  DeleteParametersRequest,
  DeleteParametersResult,
  DescribeParametersRequest,
  DescribeParametersResult,
  GetParameterHistoryRequest,
  GetParameterHistoryResult,
  GetParameterRequest,
  GetParameterResult,
  GetParametersByPathRequest,
  GetParametersByPathResult,
  GetParametersRequest,
  GetParametersResult,
  Parameter,
  ParameterMetadata,
  ParameterTier,
  PutParameterRequest,
  PutParameterResult,
} from '@aws-sdk/client-ssm';

import { AwsError } from '../../../core/errors';
import { operation } from '../../../core/operations';
import { pageOf } from '../../../core/pagination';
import type { OperationHandler } from '../../../core/service';
import type { ParameterStore } from '../parameter-store';
import { parameterFilter } from './parameter-filters';

const invalidToken = (token: string) =>
  new AwsError('InvalidNextToken', `The specified token ${token.slice(0, 100)} is not valid.`);

/** Parameter Store operations (create, read, history, paths, delete, describe). */
export function parameterOperations(parameters: ParameterStore): Record<string, OperationHandler> {
  return {
    PutParameter: operation<PutParameterRequest, PutParameterResult>((input) => {
      const { Version, Tier } = parameters.putParameter({
        Name: input.Name!,
        Value: input.Value!,
        ...(input.Type ? { Type: input.Type } : {}),
        ...(input.Overwrite ? { Overwrite: input.Overwrite } : {}),
        ...(input.Description ? { Description: input.Description } : {}),
        ...(input.DataType ? { DataType: input.DataType } : {}),
        ...(input.AllowedPattern ? { AllowedPattern: input.AllowedPattern } : {}),
        ...(input.Tags ? { Tags: input.Tags.map((tag) => ({ Key: tag.Key!, Value: tag.Value! })) } : {}),
      });
      return { Version, Tier: Tier as ParameterTier };
    }),

    GetParameter: operation<GetParameterRequest, GetParameterResult>((input) => ({
      Parameter: parameters.getParameter(input.Name!),
    })),

    GetParameters: operation<GetParametersRequest, GetParametersResult>((input) => {
      const names = input.Names!;
      const found = names.filter((name) => parameters.has(name));
      return {
        Parameters: found.map((name): Parameter => parameters.getParameter(name)),
        InvalidParameters: names.filter((name) => !found.includes(name)),
      };
    }),

    GetParameterHistory: operation<GetParameterHistoryRequest, GetParameterHistoryResult>((input) => {
      const history = parameters.history(input.Name!).map((version) => ({
        ...version,
        Labels: [],
        Tier: 'Standard' as const,
        Policies: [],
        LastModifiedUser: 'local',
      }));
      const page = pageOf(history, paging(input, 50));
      return { Parameters: page.items, ...next(page.nextToken) };
    }),

    GetParametersByPath: operation<GetParametersByPathRequest, GetParametersByPathResult>((input) => {
      const path = input.Path!.replace(/\/?$/, '/');
      const matches = parameters.all().filter((parameter) => {
        if (!parameter.Name.startsWith(path)) return false;
        return input.Recursive === true || !parameter.Name.slice(path.length).includes('/');
      });
      const page = pageOf<Parameter>(matches, paging(input, 10));
      return { Parameters: page.items, ...next(page.nextToken) };
    }),

    DeleteParameter: operation<DeleteParameterRequest, DeleteParameterResult>((input) => {
      parameters.delete(input.Name!);
      return {};
    }),

    DeleteParameters: operation<DeleteParametersRequest, DeleteParametersResult>((input) => {
      const names = input.Names!;
      const deleted = names.filter((name) => parameters.has(name));
      for (const name of deleted) parameters.delete(name);
      return {
        DeletedParameters: deleted,
        InvalidParameters: names.filter((name) => !deleted.includes(name)),
      };
    }),

    DescribeParameters: operation<DescribeParametersRequest, DescribeParametersResult>((input) => {
      const filters = (input.ParameterFilters ?? []).map(parameterFilter);
      const matches: ParameterMetadata[] = parameters
        .all()
        .filter((parameter) => filters.every((matches) => matches(parameter)))
        .map(({ Value: _value, ...metadata }) => ({
          ...metadata,
          Tier: 'Standard',
          Policies: [],
          LastModifiedUser: 'local',
        }));
      const page = pageOf(matches, paging(input, 50));
      return { Parameters: page.items, ...next(page.nextToken) };
    }),
  };
}

function paging(
  input: { MaxResults?: number | undefined; NextToken?: string | undefined },
  defaultSize: number,
) {
  return {
    defaultSize,
    invalidToken,
    ...(input.MaxResults === undefined ? {} : { size: input.MaxResults }),
    ...(input.NextToken === undefined ? {} : { token: input.NextToken }),
  };
}

const next = (token: string | undefined) => (token ? { NextToken: token } : {});
