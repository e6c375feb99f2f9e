import type {
  CreateEndpointConfigInput,
  ListEndpointConfigsInput,
  ProductionVariant as SdkProductionVariant,
} from '@aws-sdk/client-sagemaker';

import type { EndpointDeps } from './endpoints';
import { validationError } from '../../core/errors';
import type { Page } from '../../core/pagination';
import type { Validated } from '../../core/validated';
import { epochSeconds } from '../../engine/execution-record';
import type { StateStore } from '../../state/store';
import { resourceArn, type ArnContext } from './arns';
import { checkName } from './input';
import { listNamed } from './pagination';

/** One production variant of an endpoint config; the local endpoints serve a model, so ModelName is required. */
export type ProductionVariant = Validated<SdkProductionVariant> & { readonly ModelName: string };

/** An endpoint config as stored: its CreateEndpointConfig request (less tags) and what the service adds. */
export type EndpointConfigRecord = Omit<
  Validated<CreateEndpointConfigInput>,
  'Tags' | 'ProductionVariants'
> & {
  readonly EndpointConfigArn: string;
  readonly ProductionVariants: readonly ProductionVariant[];
  readonly CreationTime: number;
};

const COLLECTION = 'sagemaker/endpoint-configs';

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
  describe(name: string): EndpointConfigRecord {
    const record = this.find(name);
    if (!record) throw validationError(`Could not find endpoint configuration "${this.arn(name)}".`);
    return record;
  }

  delete(name: string): EndpointConfigRecord {
    const record = this.describe(name);
    this.store.delete(COLLECTION, record.EndpointConfigName.toLowerCase());
    return record;
  }

  list(input: Validated<ListEndpointConfigsInput>): Page<EndpointConfigRecord> {
    return listNamed(this.store.list<EndpointConfigRecord>(COLLECTION), input, {
      nameMember: 'EndpointConfigName',
      defaultOrder: 'Descending',
    });
  }

  arn(name: string): string {
    return resourceArn(this.arns, 'endpoint-config', name);
  }

  create(input: Validated<CreateEndpointConfigInput>): EndpointConfigRecord {
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
}

/**
 * The variants' rules the model cannot state (checked at run time too: CloudFormation hands over template
 * properties, not requests the codec checked).
 */
function checkVariants(value: readonly Validated<SdkProductionVariant>[]): ProductionVariant[] {
  if (!Array.isArray(value) || value.length < 1 || value.length > 10) {
    throw validationError(`ProductionVariants must list 1 to 10 variants, got ${JSON.stringify(value)}`);
  }
  const names = new Set<string>();
  return value.map((variant, index) => {
    const name = checkName(`productionVariants.${index + 1}.member.variantName`, variant.VariantName);
    if (names.has(name.toLowerCase()))
      throw validationError(`Variant name ${name} is used more than once in ProductionVariants`);
    names.add(name.toLowerCase());
    const model = variant.ModelName;
    if (typeof model !== 'string') throw validationError(`Variant ${name} needs a ModelName`);
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
    return { ...variant, ModelName: model };
  });
}
