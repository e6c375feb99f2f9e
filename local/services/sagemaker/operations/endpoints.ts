import type {
  CreateEndpointConfigInput,
  CreateEndpointConfigOutput,
  CreateEndpointInput,
  CreateEndpointOutput,
  DataCaptureConfig,
  DataCaptureConfigSummary,
  DeleteEndpointConfigInput,
  DeleteEndpointInput,
  DescribeEndpointConfigInput,
  DescribeEndpointConfigOutput,
  DescribeEndpointInput,
  DescribeEndpointOutput,
  EndpointSummary,
  ListEndpointConfigsInput,
  ListEndpointConfigsOutput,
  ListEndpointsInput,
  ListEndpointsOutput,
  PendingDeploymentSummary,
  ProductionVariantSummary,
  UpdateEndpointInput,
  UpdateEndpointOutput,
} from '@aws-sdk/client-sagemaker';

import { dateOf } from '../../../core/dates';
import { operation } from '../../../core/operations';
import { optional } from '../../../core/optional';
import type { OperationHandler } from '../../../core/service';
import type { Validated } from '../../../core/validated';
import type { ProductionVariant } from '../endpoint-configs';
import { SERVING, type EndpointRecord } from '../endpoints';
import type { SageMakerServices } from '../index';
import { pageMembers } from '../pagination';

/** Endpoint configs and endpoints (created, updated blue/green and deleted by the endpoint service). */
export function endpointOperations({
  endpoints,
}: Pick<SageMakerServices, 'endpoints'>): Record<string, OperationHandler> {
  const { configs } = endpoints;
  return {
    CreateEndpointConfig: operation<Validated<CreateEndpointConfigInput>, CreateEndpointConfigOutput>(
      (input) => ({
        EndpointConfigArn: configs.create(input).EndpointConfigArn,
      }),
    ),
    DescribeEndpointConfig: operation<Validated<DescribeEndpointConfigInput>, DescribeEndpointConfigOutput>(
      (input) => {
        const record = configs.describe(input.EndpointConfigName);
        return {
          ...record,
          ProductionVariants: [...record.ProductionVariants],
          CreationTime: dateOf(record.CreationTime),
        };
      },
    ),
    DeleteEndpointConfig: operation<Validated<DeleteEndpointConfigInput>, Record<string, never>>((input) => {
      configs.delete(input.EndpointConfigName);
      return {};
    }),
    ListEndpointConfigs: operation<Validated<ListEndpointConfigsInput>, ListEndpointConfigsOutput>(
      (input) => {
        const page = configs.list(input);
        const summaries = page.items.map(({ EndpointConfigName, EndpointConfigArn, CreationTime }) => ({
          EndpointConfigName,
          EndpointConfigArn,
          CreationTime: dateOf(CreationTime),
        }));
        return pageMembers('EndpointConfigs', { ...page, items: summaries });
      },
    ),
    CreateEndpoint: operation<Validated<CreateEndpointInput>, CreateEndpointOutput>((input) => ({
      EndpointArn: endpoints.create(input).EndpointArn,
    })),
    UpdateEndpoint: operation<Validated<UpdateEndpointInput>, UpdateEndpointOutput>((input) => ({
      EndpointArn: endpoints.update(input).EndpointArn,
    })),
    DescribeEndpoint: operation<Validated<DescribeEndpointInput>, DescribeEndpointOutput>((input) =>
      describeEndpoint(endpoints.get(input.EndpointName)),
    ),
    DeleteEndpoint: operation<Validated<DeleteEndpointInput>, Record<string, never>>((input) => {
      endpoints.delete(input.EndpointName);
      return {};
    }),
    ListEndpoints: operation<Validated<ListEndpointsInput>, ListEndpointsOutput>((input) => {
      const page = endpoints.list(input);
      return pageMembers('Endpoints', { ...page, items: page.items.map(endpointSummary) });
    }),
  };
}

/** DescribeEndpoint of a stored endpoint: current and pending variants, capture, status. */
function describeEndpoint(record: EndpointRecord): DescribeEndpointOutput {
  const serving = SERVING.has(record.EndpointStatus);
  return {
    EndpointName: record.EndpointName,
    EndpointArn: record.EndpointArn,
    EndpointConfigName: record.EndpointConfigName,
    ProductionVariants: record.variants.map((variant) => variantSummary(variant, record, serving)),
    ...(record.DataCaptureConfig ? { DataCaptureConfig: captureSummary(record.DataCaptureConfig) } : {}),
    EndpointStatus: record.EndpointStatus,
    ...optional('FailureReason', record.FailureReason),
    CreationTime: dateOf(record.CreationTime),
    LastModifiedTime: dateOf(record.LastModifiedTime),
    ...optional('LastDeploymentConfig', record.LastDeploymentConfig),
    ...(record.pending ? { PendingDeploymentSummary: pendingSummary(record.pending) } : {}),
  };
}

function endpointSummary(record: EndpointRecord): EndpointSummary {
  return {
    EndpointName: record.EndpointName,
    EndpointArn: record.EndpointArn,
    CreationTime: dateOf(record.CreationTime),
    LastModifiedTime: dateOf(record.LastModifiedTime),
    EndpointStatus: record.EndpointStatus,
  };
}

function pendingSummary(pending: NonNullable<EndpointRecord['pending']>): PendingDeploymentSummary {
  return {
    EndpointConfigName: pending.EndpointConfigName,
    StartTime: dateOf(pending.StartTime),
    ProductionVariants: pending.variants.map((variant) => ({
      VariantName: variant.VariantName,
      DesiredWeight: variant.InitialVariantWeight ?? 1,
      ...optional('DesiredInstanceCount', variant.InitialInstanceCount),
      ...optional('InstanceType', variant.InstanceType),
    })),
  };
}

/** DescribeEndpoint's DataCaptureConfigSummary: capture runs whenever it is enabled (see sagemaker-runtime/data-capture.ts). */
function captureSummary(capture: Validated<DataCaptureConfig>): DataCaptureConfigSummary {
  const enabled = capture.EnableCapture ?? true;
  return {
    EnableCapture: enabled,
    CaptureStatus: enabled ? 'Started' : 'Stopped',
    CurrentSamplingPercentage: capture.InitialSamplingPercentage,
    DestinationS3Uri: capture.DestinationS3Uri,
    // The model requires KmsKeyId; without a key there is none to name (no KMS here).
    KmsKeyId: capture.KmsKeyId ?? '',
  };
}

function variantSummary(
  variant: ProductionVariant,
  record: EndpointRecord,
  serving: boolean,
): ProductionVariantSummary {
  const image = record.images?.[variant.VariantName];
  const count = variant.InitialInstanceCount;
  return {
    VariantName: variant.VariantName,
    ...(image
      ? {
          DeployedImages: [
            { SpecifiedImage: image, ResolvedImage: image, ResolutionTime: dateOf(record.LastModifiedTime) },
          ],
        }
      : {}),
    CurrentWeight: serving ? (variant.InitialVariantWeight ?? 1) : 0,
    DesiredWeight: variant.InitialVariantWeight ?? 1,
    ...(count === undefined
      ? {}
      : { CurrentInstanceCount: serving ? count : 0, DesiredInstanceCount: count }),
    ...(variant.ServerlessConfig
      ? {
          CurrentServerlessConfig: variant.ServerlessConfig,
          DesiredServerlessConfig: variant.ServerlessConfig,
        }
      : {}),
  };
}
