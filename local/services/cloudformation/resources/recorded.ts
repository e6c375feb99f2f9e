import { randomUUID } from 'node:crypto';

import { generatedName, randomSuffix } from './names';
import type { ResourceHandler, ResourceRequest } from './types';

/**
 * A type the local AWS only records: it gets a physical id and GetAtt values shaped like AWS's, nothing
 * runs. Alarms, scaling, IAM, buckets and keys of an endpoint stack have no local effect to imitate.
 */
interface RecordedType {
  /** The property holding a custom physical name, if the type has one. */
  readonly nameProperty?: string;
  readonly nameMaxLength?: number;
  readonly lowercase?: boolean;
  /** Properties (besides the name) whose change means a new physical resource. */
  readonly replaceOn?: readonly string[];
  /** Fn::GetAtt names, and their values for a physical id. */
  readonly attributes?: readonly string[];
  physicalId(name: string, request: ResourceRequest): string;
  values?(physicalId: string, request: ResourceRequest): Record<string, unknown>;
}

const text = (request: ResourceRequest, property: string): string =>
  String(request.properties[property] ?? '');

const iamPath = (request: ResourceRequest): string => (request.properties.Path as string | undefined) ?? '/';

export const RECORDED_TYPES: Readonly<Record<string, RecordedType>> = {
  'AWS::CDK::Metadata': {
    physicalId: () => randomUUID(),
  },
  'AWS::CloudWatch::Alarm': {
    nameProperty: 'AlarmName',
    nameMaxLength: 255,
    physicalId: (name) => name,
    attributes: ['Arn'],
    values: (id, r) => ({ Arn: `arn:aws:cloudwatch:${r.region}:${r.accountId}:alarm:${id}` }),
  },
  'AWS::ApplicationAutoScaling::ScalableTarget': {
    replaceOn: ['ResourceId', 'ScalableDimension', 'ServiceNamespace'],
    physicalId: (_name, r) =>
      `${text(r, 'ResourceId')}|${text(r, 'ScalableDimension')}|${text(r, 'ServiceNamespace')}`,
    attributes: ['Id'],
    values: (id) => ({ Id: id }),
  },
  'AWS::ApplicationAutoScaling::ScalingPolicy': {
    nameProperty: 'PolicyName',
    nameMaxLength: 256,
    replaceOn: ['ResourceId', 'ScalableDimension', 'ServiceNamespace', 'ScalingTargetId', 'PolicyType'],
    physicalId: (name, r) =>
      `arn:aws:autoscaling:${r.region}:${r.accountId}:scalingPolicy:${randomUUID()}:resource/${text(r, 'ServiceNamespace') || 'sagemaker'}/${text(r, 'ResourceId')}:policyName/${name}`,
    attributes: ['Arn'],
    values: (id) => ({ Arn: id }),
  },
  'AWS::IAM::Role': {
    nameProperty: 'RoleName',
    nameMaxLength: 64,
    replaceOn: ['Path'],
    physicalId: (name) => name,
    attributes: ['Arn', 'RoleId'],
    values: (id, r) => ({
      Arn: `arn:aws:iam::${r.accountId}:role${iamPath(r)}${id}`,
      RoleId: `AROA${randomSuffix(17)}`,
    }),
  },
  'AWS::IAM::Policy': {
    physicalId: (name) => name,
    attributes: ['Id'],
    values: (id) => ({ Id: id }),
  },
  'AWS::IAM::ManagedPolicy': {
    nameProperty: 'ManagedPolicyName',
    nameMaxLength: 128,
    replaceOn: ['Path'],
    physicalId: (name, r) => `arn:aws:iam::${r.accountId}:policy${iamPath(r)}${name}`,
    attributes: ['PolicyArn', 'PolicyId'],
    values: (id) => ({ PolicyArn: id, PolicyId: `ANPA${randomSuffix(17)}` }),
  },
  'AWS::S3::Bucket': {
    nameProperty: 'BucketName',
    nameMaxLength: 63,
    lowercase: true,
    physicalId: (name) => name,
    attributes: ['Arn', 'DomainName', 'RegionalDomainName', 'DualStackDomainName', 'WebsiteURL'],
    values: (id, r) => ({
      Arn: `arn:aws:s3:::${id}`,
      DomainName: `${id}.s3.amazonaws.com`,
      RegionalDomainName: `${id}.s3.${r.region}.amazonaws.com`,
      DualStackDomainName: `${id}.s3.dualstack.${r.region}.amazonaws.com`,
      WebsiteURL: `http://${id}.s3-website-${r.region}.amazonaws.com`,
    }),
  },
  'AWS::S3::BucketPolicy': {
    replaceOn: ['Bucket'],
    physicalId: (name) => name,
  },
  'AWS::KMS::Key': {
    physicalId: () => randomUUID(),
    attributes: ['Arn', 'KeyId'],
    values: (id, r) => ({ Arn: `arn:aws:kms:${r.region}:${r.accountId}:key/${id}`, KeyId: id }),
  },
  'AWS::KMS::Alias': {
    nameProperty: 'AliasName',
    physicalId: (name) => name,
  },
};

export function recordedHandler(type: RecordedType): ResourceHandler {
  return {
    attributes: type.attributes ?? [],
    replaceOn: [...(type.nameProperty ? [type.nameProperty] : []), ...(type.replaceOn ?? [])],
    async create(request) {
      const custom = type.nameProperty
        ? (request.properties[type.nameProperty] as string | undefined)
        : undefined;
      const name =
        custom ??
        generatedName({
          parts: [request.stackName, request.logicalId],
          maxLength: type.nameMaxLength ?? 128,
          ...(type.lowercase ? { lowercase: true } : {}),
        });
      const physicalId = type.physicalId(name, request);
      return { physicalId, attributes: type.values?.(physicalId, request) ?? {} };
    },
    async update(request) {
      return { physicalId: request.physicalId, attributes: request.attributes };
    },
    async delete() {},
  };
}
