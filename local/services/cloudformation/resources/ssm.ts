import { AwsError } from '../../../core/errors';
import { isObject } from '../template/template';
import { generatedName } from './names';
import type { ResourceHandler, ResourceRequest, ResourceServices } from './types';

type ParameterType = 'String' | 'StringList';

function parameterFields(request: ResourceRequest) {
  const { Type, Value, Description, DataType } = request.properties;
  if (Type !== 'String' && Type !== 'StringList') {
    throw new Error(
      `AWS::SSM::Parameter ${request.logicalId}: Type must be String or StringList, got ${JSON.stringify(Type)}`,
    );
  }
  if (typeof Value !== 'string') {
    throw new Error(
      `AWS::SSM::Parameter ${request.logicalId}: Value must be a string, got ${JSON.stringify(Value)}`,
    );
  }
  return {
    Type: Type as ParameterType,
    Value,
    ...(typeof Description === 'string' ? { Description } : {}),
    ...(typeof DataType === 'string' ? { DataType } : {}),
  };
}

/** CloudFormation gives SSM parameter tags as a map; the API takes a list. */
function tagList(tags: unknown): { Key: string; Value: string }[] {
  return isObject(tags) ? Object.entries(tags).map(([Key, Value]) => ({ Key, Value: String(Value) })) : [];
}

/** AWS::SSM::Parameter on the local Parameter Store: Ref is the name; GetAtt Type and Value. */
export function ssmParameterHandler({ parameters }: ResourceServices): ResourceHandler {
  return {
    attributes: ['Type', 'Value'],
    replaceOn: ['Name'],
    async create(request) {
      const Name =
        (request.properties.Name as string | undefined) ??
        generatedName({ parts: ['CFN', request.logicalId], maxLength: 128 });
      const fields = parameterFields(request);
      const tags = tagList(request.properties.Tags);
      parameters.putParameter({ Name, ...fields, ...(tags.length > 0 ? { Tags: tags } : {}) });
      return { physicalId: Name, attributes: { Type: fields.Type, Value: fields.Value } };
    },
    async update(request) {
      const fields = parameterFields(request);
      parameters.putParameter({ Name: request.physicalId, ...fields, Overwrite: true });
      return { physicalId: request.physicalId, attributes: { Type: fields.Type, Value: fields.Value } };
    },
    async delete(request) {
      try {
        parameters.delete(request.physicalId);
      } catch (error) {
        if (!(error instanceof AwsError && error.code === 'ParameterNotFound')) throw error;
      }
    },
  };
}
