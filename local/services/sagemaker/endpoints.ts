import { randomUUID } from 'node:crypto';
import * as path from 'node:path';

import type {
  CreateEndpointInput,
  DataCaptureConfig,
  DeploymentConfig,
  ListEndpointsInput,
  UpdateEndpointInput,
} from '@aws-sdk/client-sagemaker';

import type { ObjectStoreApi } from '../../core/deps';
import type { ModelPackageService } from './model-packages';
import type { ModelService } from './models';
import type { TagStore } from './tags';
import { AwsError, validationError } from '../../core/errors';
import type { Page } from '../../core/pagination';
import type { LocalAwsEnvironment } from '../../core/service';
import type { Validated } from '../../core/validated';
import { epochSeconds } from '../../engine/execution-record';
import { ModelHosting, type Deployment, type HostedVariant } from '../sagemaker-runtime/hosting';
import { resourceArn } from './arns';
import { EndpointConfigService, type ProductionVariant } from './endpoint-configs';
import { checkName } from './input';
import { filterByNameAndCreationTime, listPage } from './pagination';

export type EndpointStatus = 'Creating' | 'Updating' | 'RollingBack' | 'InService' | 'Failed';

/** An endpoint as stored: what it serves (a snapshot of its config's variants, so a deleted config does not matter). */
export interface EndpointRecord {
  readonly EndpointName: string;
  readonly EndpointArn: string;
  readonly EndpointConfigName: string;
  readonly EndpointStatus: EndpointStatus;
  readonly FailureReason?: string;
  readonly CreationTime: number;
  readonly LastModifiedTime: number;
  readonly DeploymentConfig?: Validated<DeploymentConfig>;
  readonly LastDeploymentConfig?: Validated<DeploymentConfig>;
  readonly variants: readonly ProductionVariant[];
  /** Images of the variants as deployed (DescribeEndpoint's DeployedImages). */
  readonly images?: Readonly<Record<string, string>>;
  readonly DataCaptureConfig?: Validated<DataCaptureConfig>;
  /** The update under way. */
  readonly pending?: {
    readonly EndpointConfigName: string;
    readonly variants: readonly ProductionVariant[];
    readonly StartTime: number;
  };
}

const COLLECTION = 'sagemaker/endpoints';
/** How long the old containers of a blue/green update keep answering requests routed to them before the switch. */
const TERMINATION_GRACE_MS = 100;
/** Statuses in which the endpoint's current deployment serves traffic. */
export const SERVING = new Set<EndpointStatus>(['InService', 'Updating', 'RollingBack']);

/**
 * SageMaker endpoints: CreateEndpoint/UpdateEndpoint/DeleteEndpoint as a state machine over the local
 * model hosting. Updates are blue/green: the new config's containers must load and pass /ping before
 * traffic moves; when they do not, the endpoint stays on its old config (InService, FailureReason set).
 */

/**
 * What endpoints reach besides their own records: the model objects in S3 and the SageMaker parts they
 * describe and tag, injected.
 */
export interface EndpointDeps {
  readonly s3: ObjectStoreApi;
  readonly tags: TagStore;
  readonly models: ModelService;
  readonly modelPackages: ModelPackageService;
}

export class EndpointService {
  readonly configs: EndpointConfigService;
  private readonly hosting: ModelHosting;
  private readonly live = new Map<string, Deployment>();
  private readonly restoring = new Map<string, Promise<void>>();
  private readonly tasks = new Set<Promise<void>>();
  private stopping = false;
  private readonly arns: { region: string; accountId: string };

  constructor(
    private readonly env: LocalAwsEnvironment,
    private readonly deps: EndpointDeps,
  ) {
    this.arns = { region: env.region, accountId: env.accountId };
    this.configs = new EndpointConfigService(env.store, this.arns, deps);
    this.hosting = new ModelHosting(deps, path.join(env.stateDir, 'sagemaker', 'endpoints'));
  }

  /**
   * The variant that serves a request to an endpoint: ValidationError when the endpoint does not exist or is
   * not InService (as SageMaker Runtime answers). Waits while the endpoint is being restored after a restart.
   */
  async servingVariant(endpointName: string, targetVariant?: string): Promise<HostedVariant> {
    const key = endpointName.toLowerCase();
    const restoring = this.restoring.get(key);
    if (restoring) await restoring;
    const deployment = this.live.get(key);
    if (!deployment) {
      const record = this.find(endpointName);
      if (!record)
        throw new AwsError(
          'ValidationError',
          `Endpoint ${endpointName} of account ${this.env.accountId} not found.`,
        );
      throw new AwsError(
        'ValidationError',
        `Endpoint ${endpointName} of account ${this.env.accountId} is ${record.EndpointStatus}; it must be InService to be invoked.`,
      );
    }
    const variant = deployment.pick(targetVariant);
    if (!variant) {
      throw new AwsError(
        'ValidationError',
        `Endpoint ${endpointName} has no production variant named ${targetVariant}.`,
      );
    }
    return variant;
  }

  /** The DataCaptureConfig of the deployment serving an endpoint (undefined: nothing is captured). */
  captureConfig(endpointName: string): DataCaptureConfig | undefined {
    return this.live.get(endpointName.toLowerCase())?.dataCapture;
  }

  /** At start: endpoints that were serving are started again from their stored config snapshot. */
  restore(): void {
    for (const record of this.env.store.list<EndpointRecord>(COLLECTION)) {
      if (record.EndpointStatus === 'Failed') continue;
      const key = record.EndpointName.toLowerCase();
      const interrupted = record.pending
        ? `The local AWS stopped during the update to ${record.pending.EndpointConfigName}; the endpoint stays on ${record.EndpointConfigName}.`
        : record.FailureReason;
      const { pending: _pending, ...rest } = record;
      void _pending;
      const restarted: EndpointRecord = {
        ...rest,
        EndpointStatus: record.EndpointStatus === 'Creating' ? 'Creating' : 'InService',
        ...(interrupted ? { FailureReason: interrupted } : {}),
      };
      this.put(restarted);
      const work = this.deployInitial(restarted).finally(() => this.restoring.delete(key));
      this.restoring.set(key, work);
    }
  }

  /**
   * Stops every container, loading or serving. Deployments cut short by the stop record nothing: the next
   * start deploys the endpoint again from its stored state.
   */
  async shutdown(): Promise<void> {
    this.stopping = true;
    this.live.clear();
    await this.hosting.stopAll();
    await Promise.allSettled([...this.tasks, ...this.restoring.values()]);
  }

  create(input: Validated<CreateEndpointInput>): EndpointRecord {
    const name = checkName('EndpointName', input.EndpointName);
    const arn = resourceArn(this.arns, 'endpoint', name);
    if (this.find(name)) throw validationError(`Cannot create already existing endpoint "${arn}".`);
    const config = this.configs.describe(input.EndpointConfigName);
    const now = epochSeconds();
    const record: EndpointRecord = {
      EndpointName: name,
      EndpointArn: arn,
      EndpointConfigName: config.EndpointConfigName,
      EndpointStatus: 'Creating',
      CreationTime: now,
      LastModifiedTime: now,
      variants: config.ProductionVariants,
      ...(input.DeploymentConfig ? { DeploymentConfig: input.DeploymentConfig } : {}),
      ...(config.DataCaptureConfig ? { DataCaptureConfig: config.DataCaptureConfig } : {}),
    };
    this.put(record);
    if (input.Tags && input.Tags.length > 0) this.deps.tags.add(arn, input.Tags);
    this.background(this.deployInitial(record));
    return record;
  }

  /** Brings up an endpoint's first deployment: InService, or Failed with the reason. */
  private async deployInitial(record: EndpointRecord): Promise<void> {
    try {
      const deployment = await this.hosting.deploy({
        endpointName: record.EndpointName,
        configName: record.EndpointConfigName,
        variants: record.variants,
        deploymentId: randomUUID(),
        dataCapture: record.DataCaptureConfig,
      });
      const current = this.find(record.EndpointName);
      const key = record.EndpointName.toLowerCase();
      // A restored endpoint can be updated at once: an update that already took over keeps the traffic.
      if (
        this.stopping ||
        !current ||
        this.live.has(key) ||
        current.EndpointConfigName !== record.EndpointConfigName
      ) {
        await this.hosting.retire(deployment);
        return;
      }
      this.live.set(key, deployment);
      // One being updated serves from here until the update's blue/green switch, which sets the status.
      this.patch(record.EndpointName, {
        ...(current.EndpointStatus === 'Updating' ? {} : { EndpointStatus: 'InService' }),
        images: imagesOf(deployment),
      });
    } catch (error) {
      const current = this.find(record.EndpointName);
      if (this.stopping || !current || current.EndpointStatus === 'Updating') return;
      this.patch(record.EndpointName, { EndpointStatus: 'Failed', FailureReason: (error as Error).message });
    }
  }

  update(input: Validated<UpdateEndpointInput>): EndpointRecord {
    const record = this.get(input.EndpointName);
    if (record.EndpointStatus !== 'InService') {
      const state = record.EndpointStatus === 'Failed' ? 'failed' : 'in-progress';
      throw validationError(`Cannot update ${state} endpoint "${record.EndpointArn}".`);
    }
    const config = this.configs.describe(input.EndpointConfigName);
    const pending = {
      EndpointConfigName: config.EndpointConfigName,
      variants: config.ProductionVariants,
      StartTime: epochSeconds(),
    };
    this.patch(record.EndpointName, {
      EndpointStatus: 'Updating',
      pending,
      ...(input.DeploymentConfig ? { DeploymentConfig: input.DeploymentConfig } : {}),
    });
    this.background(this.deployUpdate(record.EndpointName, pending, config.DataCaptureConfig));
    return record;
  }

  /** Blue/green: the new deployment takes the traffic only once all its variants pass /ping. */
  private async deployUpdate(
    name: string,
    pending: NonNullable<EndpointRecord['pending']>,
    dataCapture: DataCaptureConfig | undefined,
  ): Promise<void> {
    let deployment: Deployment;
    try {
      deployment = await this.hosting.deploy({
        endpointName: name,
        configName: pending.EndpointConfigName,
        variants: pending.variants,
        deploymentId: randomUUID(),
        dataCapture,
      });
    } catch (error) {
      if (this.stopping || !this.find(name)) return;
      this.patch(name, { EndpointStatus: 'RollingBack' });
      this.patch(name, {
        EndpointStatus: 'InService',
        FailureReason: (error as Error).message,
        pending: undefined,
      });
      return;
    }
    const current = this.find(name);
    if (this.stopping || !current) {
      await this.hosting.retire(deployment);
      return;
    }
    const previous = this.live.get(name.toLowerCase());
    this.live.set(name.toLowerCase(), deployment);
    // The old containers finish the requests they hold, then stop; only then is the update complete.
    if (previous) await this.hosting.retire(previous, { graceMs: TERMINATION_GRACE_MS });
    this.patch(name, {
      EndpointStatus: 'InService',
      EndpointConfigName: pending.EndpointConfigName,
      variants: pending.variants,
      images: imagesOf(deployment),
      FailureReason: undefined,
      pending: undefined,
      DataCaptureConfig: dataCapture,
      LastDeploymentConfig: current.DeploymentConfig,
    });
  }

  delete(name: string): EndpointRecord {
    const record = this.get(name);
    const key = record.EndpointName.toLowerCase();
    this.env.store.delete(COLLECTION, key);
    const deployment = this.live.get(key);
    this.live.delete(key);
    if (deployment) this.background(this.hosting.retire(deployment));
    return record;
  }

  list(input: Validated<ListEndpointsInput>): Page<EndpointRecord> {
    const records = filterByNameAndCreationTime(
      this.env.store.list<EndpointRecord>(COLLECTION),
      input,
      (record) => record.EndpointName,
    ).filter((record) => input.StatusEquals === undefined || record.EndpointStatus === input.StatusEquals);
    return listPage(records, input, {
      sortKeys: { Name: 'EndpointName', CreationTime: 'CreationTime', Status: 'EndpointStatus' },
      defaultSortBy: 'CreationTime',
      defaultOrder: 'Descending',
    });
  }

  private background(work: Promise<void>): void {
    const task = work.catch(() => undefined).finally(() => this.tasks.delete(task));
    this.tasks.add(task);
  }

  private find(name: string): EndpointRecord | undefined {
    return this.env.store.get<EndpointRecord>(COLLECTION, name.toLowerCase());
  }

  /** DescribeEndpoint's record; a missing endpoint is a ValidationException, as on AWS. */
  get(name: string): EndpointRecord {
    const record = this.find(name);
    if (!record)
      throw validationError(`Could not find endpoint "${resourceArn(this.arns, 'endpoint', name)}".`);
    return record;
  }

  private put(record: EndpointRecord): void {
    this.env.store.put(COLLECTION, record.EndpointName.toLowerCase(), record);
  }

  /** Updates members of a stored endpoint; `undefined` removes a member. */
  private patch(name: string, changes: Partial<Record<keyof EndpointRecord, unknown>>): void {
    const current = this.find(name);
    if (!current) return;
    const next: Record<string, unknown> = { ...current, ...changes, LastModifiedTime: epochSeconds() };
    for (const [key, value] of Object.entries(next)) if (value === undefined) delete next[key];
    this.put(next as unknown as EndpointRecord);
  }
}

function imagesOf(deployment: Deployment): Record<string, string> {
  return Object.fromEntries(deployment.variants.map((variant) => [variant.name, variant.image]));
}
