import type { EndpointDeps } from './endpoints';
import { validationError } from '../../core/errors';
import type { OperationHandler } from '../../core/service';
import { epochSeconds } from '../../engine/execution-record';
import type { StateStore } from '../../state/store';
import { resourceArn, type ArnContext } from './arns';
import { filterByNameAndCreationTime, listPage } from './pagination';

/** One production variant of an endpoint config (the members the local endpoints use; others are kept). */
export interface ProductionVariant {
  readonly VariantName: string;
  readonly ModelName: string;
  readonly InitialInstanceCount?: number;
  readonly InstanceType?: string;
  readonly InitialVariantWeight?: number;
  readonly ServerlessConfig?: { readonly MemorySizeInMB?: number; readonly MaxConcurrency?: number };
  readonly [member: string]: unknown;
}

export type EndpointConfigRecord = Record<string, unknown> & {
  readonly EndpointConfigName: string;
  readonly EndpointConfigArn: string;
  readonly ProductionVariants: readonly ProductionVariant[];
  readonly CreationTime: number;
};

const COLLECTION = 'sagemaker/endpoint-configs';
/** SageMaker's pattern for endpoint, endpoint config and variant names. */
export const ENDPOINT_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/** Endpoint configs: immutable descriptions of what an endpoint serves (models, instance counts, weights). */
export class EndpointConfigService {
  constructor(
    private readonly store: StateStore,
    private readonly arns: ArnContext,
    private readonly deps: Pick<EndpointDeps, 'models' | 'tags'>,
  ) {}

  find(name: string): EndpointConfigRecord | undefined {
    return this.store.get<EndpointConfigRecord>(COLLECTION, name.toLowerCase());
  }

  /** DescribeEndpointConfig; missing is a ValidationException, as on AWS. */
  describe(name: unknown): EndpointConfigRecord {
    const record = typeof name === 'string' ? this.find(name) : undefined;
    if (!record) throw validationError(`Could not find endpoint configuration "${this.arn(String(name))}".`);
    return record;
  }

  arn(name: string): string {
    return resourceArn(this.arns, 'endpoint-config', name);
  }

  async create(input: Record<string, unknown>): Promise<EndpointConfigRecord> {
    const name = checkName('EndpointConfigName', input.EndpointConfigName);
    const arn = this.arn(name);
    if (this.find(name))
      throw validationError(`Cannot create already existing endpoint configuration "${arn}".`);
    const variants = checkVariants(input.ProductionVariants);
    for (const variant of variants) {
      // Throws the service's own "Could not find model" ValidationException.
      this.deps.models.describe(variant.ModelName);
    }
    const { Tags: tags, ...rest } = input;
    const record: EndpointConfigRecord = {
      ...rest,
      EndpointConfigName: name,
      EndpointConfigArn: arn,
      ProductionVariants: variants,
      CreationTime: epochSeconds(),
    };
    this.store.put(COLLECTION, name.toLowerCase(), record);
    if (Array.isArray(tags) && tags.length > 0) this.deps.tags.add(arn, tags);
    return record;
  }

  operations(): Record<string, OperationHandler> {
    return {
      CreateEndpointConfig: async (input) => ({
        EndpointConfigArn: (await this.create(input)).EndpointConfigArn,
      }),
      DescribeEndpointConfig: (input) => this.describe(input.EndpointConfigName),
      DeleteEndpointConfig: (input) => {
        const record = this.describe(input.EndpointConfigName);
        this.store.delete(COLLECTION, record.EndpointConfigName.toLowerCase());
        return {};
      },
      ListEndpointConfigs: (input) => {
        const records = filterByNameAndCreationTime(
          this.store.list<EndpointConfigRecord>(COLLECTION),
          input,
          (record) => record.EndpointConfigName,
        );
        const page = listPage(records, input, {
          sortKeys: { Name: 'EndpointConfigName', CreationTime: 'CreationTime' },
          defaultSortBy: 'CreationTime',
          defaultOrder: 'Descending',
        });
        return {
          EndpointConfigs: page.items.map(({ EndpointConfigName, EndpointConfigArn, CreationTime }) => ({
            EndpointConfigName,
            EndpointConfigArn,
            CreationTime,
          })),
          ...(page.nextToken ? { NextToken: page.nextToken } : {}),
        };
      },
    };
  }
}

export function checkName(member: string, value: unknown): string {
  if (typeof value !== 'string' || !ENDPOINT_NAME_PATTERN.test(value)) {
    throw validationError(
      `1 validation error detected: Value ${JSON.stringify(value)} at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`,
    );
  }
  return value;
}

function checkVariants(value: unknown): ProductionVariant[] {
  if (!Array.isArray(value) || value.length < 1 || value.length > 10) {
    throw validationError(`ProductionVariants must list 1 to 10 variants, got ${JSON.stringify(value)}`);
  }
  const names = new Set<string>();
  return value.map((entry: unknown, index) => {
    const variant = (entry ?? {}) as Record<string, unknown>;
    const name = checkName(`productionVariants.${index + 1}.member.variantName`, variant.VariantName);
    if (names.has(name.toLowerCase()))
      throw validationError(`Variant name ${name} is used more than once in ProductionVariants`);
    names.add(name.toLowerCase());
    if (typeof variant.ModelName !== 'string') throw validationError(`Variant ${name} needs a ModelName`);
    const serverless = variant.ServerlessConfig !== undefined;
    if (serverless === (variant.InstanceType !== undefined)) {
      throw validationError(
        `Variant ${name} needs exactly one of InstanceType (with InitialInstanceCount) or ServerlessConfig`,
      );
    }
    const count = variant.InitialInstanceCount;
    if (!serverless && (typeof count !== 'number' || !Number.isInteger(count) || count < 1)) {
      throw validationError(
        `Variant ${name}: InitialInstanceCount must be an integer >= 1, got ${JSON.stringify(count)}`,
      );
    }
    const weight = variant.InitialVariantWeight;
    if (weight !== undefined && (typeof weight !== 'number' || weight < 0)) {
      throw validationError(
        `Variant ${name}: InitialVariantWeight must be a number >= 0, got ${JSON.stringify(weight)}`,
      );
    }
    return variant as ProductionVariant;
  });
}
