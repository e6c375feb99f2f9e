import * as fs from 'node:fs';
import * as path from 'node:path';

import type { DataCaptureConfig } from '@aws-sdk/client-sagemaker';
import * as tar from 'tar';

import type { EndpointDeps } from '../sagemaker/endpoints';
import { findPython } from '../../runtimes/python';
import { resolveImage } from '../../runtimes/registry';
import { parseS3Uri } from '../../runtimes/s3-staging';
import { XgboostServing } from '../../runtimes/xgboost-serving';

/** The variant members hosting needs (from the endpoint config). */
export interface VariantSpec {
  readonly VariantName: string;
  readonly ModelName: string;
  readonly InitialVariantWeight?: number;
}

/** A variant with its model loaded and answering /ping. */
export interface HostedVariant {
  readonly name: string;
  readonly weight: number;
  /** The image the model names (DescribeEndpoint's DeployedImages). */
  readonly image: string;
  readonly container: XgboostServing;
}

/** The containers of one endpoint config; traffic moves between deployments as a whole (blue/green). */
export class Deployment {
  private readonly totalWeight: number;

  constructor(
    readonly configName: string,
    readonly directory: string,
    readonly variants: readonly HostedVariant[],
    /** The endpoint config's DataCaptureConfig: what this deployment's traffic writes to S3. */
    readonly dataCapture?: DataCaptureConfig,
  ) {
    this.totalWeight = variants.reduce((sum, variant) => sum + variant.weight, 0);
  }

  /** The variant a request goes to: the one it targets, else by weight. */
  pick(target?: string): HostedVariant | undefined {
    if (target !== undefined) return this.variants.find((variant) => variant.name === target);
    if (this.variants.length === 1 || this.totalWeight === 0) return this.variants[0];
    let point = Math.random() * this.totalWeight;
    for (const variant of this.variants) {
      point -= variant.weight;
      if (point < 0) return variant;
    }
    return this.variants[this.variants.length - 1];
  }
}

/** Model data of a SageMaker model: its image and model.tar.gz (through a model package if it names one). */
interface ModelSource {
  readonly image: string;
  readonly modelDataUrl?: string;
}

/**
 * Runs endpoint variants on the local serving runtimes: resolves each variant's model (image, artifact),
 * extracts model.tar.gz from the local S3 and starts a container that must pass /ping. Any failure is an
 * Error whose message is the endpoint's FailureReason.
 */
export class ModelHosting {
  private readonly containers = new Set<XgboostServing>();

  constructor(
    private readonly deps: Pick<EndpointDeps, 's3' | 'models' | 'modelPackages'>,
    private readonly root: string,
  ) {}

  async deploy(options: {
    endpointName: string;
    configName: string;
    variants: readonly VariantSpec[];
    deploymentId: string;
    dataCapture?: DataCaptureConfig | undefined;
  }): Promise<Deployment> {
    const directory = path.join(this.root, options.endpointName, options.deploymentId);
    const started = await Promise.allSettled(
      options.variants.map((variant) =>
        this.startVariant(variant, path.join(directory, variant.VariantName), options.endpointName),
      ),
    );
    const hosted = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const failure = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    const deployment = new Deployment(options.configName, directory, hosted, options.dataCapture);
    if (failure) {
      await this.retire(deployment);
      throw failure.reason instanceof Error ? failure.reason : new Error(String(failure.reason));
    }
    return deployment;
  }

  /**
   * Stops a deployment's containers and removes its files. After traffic moved away (`graceMs`), requests
   * already routed to the old containers still reach them and are answered before they stop.
   */
  async retire(deployment: Deployment, options: { graceMs?: number } = {}): Promise<void> {
    if (options.graceMs) await new Promise((resolve) => setTimeout(resolve, options.graceMs));
    await Promise.all(deployment.variants.map((variant) => variant.container.stop()));
    deployment.variants.forEach((variant) => this.containers.delete(variant.container));
    fs.rmSync(deployment.directory, { recursive: true, force: true });
  }

  /** Stops every container this hosting started, loading or serving (shutdown of the local AWS). */
  async stopAll(): Promise<void> {
    await Promise.allSettled([...this.containers].map((container) => container.stop()));
    this.containers.clear();
  }

  /** Where a variant's container writes its log (kept when the deployment is retired). */
  logFile(endpointName: string, variantName: string): string {
    return path.join(this.root, endpointName, 'logs', `${variantName}.log`);
  }

  private async startVariant(
    variant: VariantSpec,
    directory: string,
    endpointName: string,
  ): Promise<HostedVariant> {
    const source = await this.modelSource(variant);
    try {
      resolveImage(source.image, 'serving');
    } catch (error) {
      throw new Error(
        `Production variant ${variant.VariantName} (model ${variant.ModelName}): ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    const modelDir = path.join(directory, 'model');
    await this.extractModel(source, modelDir, variant);
    const logFile = this.logFile(endpointName, variant.VariantName);
    const container = new XgboostServing({ modelDir, python: findPython(), logFile });
    this.containers.add(container);
    try {
      await container.start();
      if (!(await container.ping())) throw new Error('/ping did not answer within 2 s');
    } catch (error) {
      await container.stop();
      this.containers.delete(container);
      throw new Error(
        `The primary container for production variant ${variant.VariantName} did not pass the ping health check: ${(error as Error).message}. See the endpoint log ${logFile}.`,
        { cause: error },
      );
    }
    return {
      name: variant.VariantName,
      weight: variant.InitialVariantWeight ?? 1,
      image: source.image,
      container,
    };
  }

  private async modelSource(variant: VariantSpec): Promise<ModelSource> {
    const model = this.deps.models.describe(variant.ModelName);
    const container = model.PrimaryContainer ?? model.Containers?.[0] ?? {};
    if (container.ModelPackageName) {
      const modelPackage = this.deps.modelPackages.describePackage(container.ModelPackageName);
      const inference = modelPackage.InferenceSpecification?.Containers?.[0] ?? {};
      return {
        image: inference.Image ?? '',
        ...(inference.ModelDataUrl ? { modelDataUrl: inference.ModelDataUrl } : {}),
      };
    }
    return {
      image: container.Image ?? '',
      ...(container.ModelDataUrl ? { modelDataUrl: container.ModelDataUrl } : {}),
    };
  }

  private async extractModel(source: ModelSource, modelDir: string, variant: VariantSpec): Promise<void> {
    if (!source.modelDataUrl) {
      throw new Error(
        `Model ${variant.ModelName} of production variant ${variant.VariantName} has no ModelDataUrl; the XGBoost serving runtime needs model.tar.gz`,
      );
    }
    fs.mkdirSync(modelDir, { recursive: true });
    try {
      const { bucket, key } = parseS3Uri(source.modelDataUrl, 'ModelDataUrl');
      this.deps.s3.headObject({ bucket, key });
      await tar.extract({ file: this.deps.s3.localPath({ bucket, key }), cwd: modelDir, strict: true });
    } catch (error) {
      throw new Error(
        `Failed to extract model data archive from URL "${source.modelDataUrl}" for production variant ${variant.VariantName}: ${(error as Error).message}. Please ensure that the object located at the URL is a valid tar.gz archive.`,
        { cause: error },
      );
    }
  }
}
