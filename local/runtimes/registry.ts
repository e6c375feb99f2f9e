import { spawnSync } from 'node:child_process';

import { findPython } from './python';
import { JobFailure, type JobRuntime, type JobType } from './job-runtime';
import { runModelMonitorAnalyzer } from './model-monitor-analyzer';
import { runPythonProcessing } from './python-processing';
import { runXgboostTraining } from './xgboost-training';
import { runXgboostTransform } from './xgboost-transform';

/** What a container image is used for: jobs, or a serving endpoint. */
export type RuntimeKind = JobType | 'serving';

/**
 * A family of SageMaker images (one ECR repository) that the local AWS runs on its own Python libraries.
 * `versions` maps each supported framework version tag to the library version that image ships; tags other
 * than `localTag` run on the local library with a warning naming both versions.
 */
export interface ImageFamily {
  readonly repository: string;
  /** The Python module and its display name, e.g. `sklearn` / scikit-learn. */
  readonly module: string;
  readonly library: string;
  /** The framework version tag whose library the local Python has (e.g. `1.2-1`). */
  readonly localTag: string;
  readonly versions: Readonly<Record<string, string>>;
  readonly runtimes: Partial<Readonly<Record<JobType, JobRuntime>>>;
  /** True when the image can back an endpoint (served by the xgboost serving runtime). */
  readonly serving?: boolean;
}

const families = new Map<string, ImageFamily>();
const aliases = new Map<string, string>();

/** Adds (or replaces) an image family, e.g. your own framework image with a runtime that honours its contract. */
export function registerImageFamily(family: ImageFamily): void {
  families.set(family.repository, family);
}

/**
 * Runs `image` (`repository:tag`, any registry) as if it were `target` (`sagemaker-scikit-learn:1.2-1`).
 * For images built FROM a SageMaker image that keep its contract. The setting
 * `MLOPS_IMAGE_ALIASES="my-repo:1.0=sagemaker-scikit-learn:1.2-1,other:2=sagemaker-xgboost:1.7-1"` does the same.
 */
export function registerImageAlias(image: string, target: string): void {
  aliases.set(repositoryAndTag(image), repositoryAndTag(target));
}

registerImageFamily({
  repository: 'sagemaker-scikit-learn',
  module: 'sklearn',
  library: 'scikit-learn',
  localTag: '1.2-1',
  versions: { '0.23-1': '0.23.2', '1.0-1': '1.0.2', '1.2-1': '1.2.1' },
  runtimes: { processing: runPythonProcessing },
});

registerImageFamily({
  repository: 'sagemaker-xgboost',
  module: 'xgboost',
  library: 'XGBoost',
  localTag: '1.7-1',
  versions: {
    '1.0-1': '1.0',
    '1.2-1': '1.2',
    '1.2-2': '1.2',
    '1.3-1': '1.3',
    '1.5-1': '1.5.2',
    '1.7-1': '1.7.4',
  },
  runtimes: { processing: runPythonProcessing, training: runXgboostTraining, transform: runXgboostTransform },
  serving: true,
});

registerImageFamily({
  repository: 'sagemaker-model-monitor-analyzer',
  module: 'pandas',
  library: 'pandas',
  localTag: 'latest',
  versions: { latest: 'local' },
  runtimes: { processing: runModelMonitorAnalyzer },
});

export interface ResolvedImage {
  readonly family: ImageFamily;
  /** The framework version tag, e.g. `1.2-1` from `1.2-1-cpu-py3`. */
  readonly version: string;
  /** Set when the image's library version differs from the local one; goes into the job log. */
  readonly warning?: string;
}

/** The image family and version of an image URI for a use, or a ClientError listing what is supported. */
export function resolveImage(
  imageUri: string,
  kind: RuntimeKind,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedImage {
  const target = aliasFor(repositoryAndTag(imageUri), env) ?? repositoryAndTag(imageUri);
  const [repository = '', tag = ''] = target.split(':');
  const family = families.get(repository);
  // Framework images are tagged by version (`1.2-1-cpu-py3`); others (the model monitor analyzer) by `latest`.
  const version = /^(\d+\.\d+-\d+)/.exec(tag)?.[1] ?? tag;
  const supported = family && family.versions[version] !== undefined && supports(family, kind);
  if (!family || !supported) throw new JobFailure('ClientError', unsupportedImageMessage(imageUri, kind));
  if (version === family.localTag) return { family, version };
  return {
    family,
    version,
    warning: `image ${repository}:${tag} ships ${family.library} ${family.versions[version]}; the local AWS runs it on the local ${family.library} ${localLibraryVersion(family)} (the version of ${repository}:${family.localTag}), so results may differ slightly`,
  };
}

/** The job runtime for an image, or a ClientError naming the image and the supported ones. */
export function jobRuntimeFor(
  imageUri: string,
  type: JobType,
  env: NodeJS.ProcessEnv = process.env,
): { runtime: JobRuntime } & ResolvedImage {
  const image = resolveImage(imageUri, type, env);
  const runtime = image.family.runtimes[type];
  if (!runtime) throw new JobFailure('ClientError', unsupportedImageMessage(imageUri, type));
  return { ...image, runtime };
}

function supports(family: ImageFamily, kind: RuntimeKind): boolean {
  return kind === 'serving' ? Boolean(family.serving) : family.runtimes[kind] !== undefined;
}

/** Every supported image for a use, e.g. `sagemaker-scikit-learn:{0.23-1,1.0-1,1.2-1}`. */
export function supportedImages(kind: RuntimeKind): string[] {
  return [...families.values()]
    .filter((family) => supports(family, kind))
    .map((family) => `${family.repository}:{${Object.keys(family.versions).join(',')}}`);
}

function unsupportedImageMessage(imageUri: string, kind: RuntimeKind): string {
  return `image ${imageUri} is not supported by the local AWS for ${kind}; supported images (any registry, tags may carry suffixes like -cpu-py3): ${
    supportedImages(kind).join(', ') || '(none)'
  }. To run another image, map it onto a supported one with MLOPS_IMAGE_ALIASES="<repository>:<tag>=sagemaker-scikit-learn:1.2-1" or register a runtime with registerImageFamily() from local/runtimes/registry.ts`;
}

/** `123.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1` → `sagemaker-xgboost:1.7-1` (digests dropped). */
export function repositoryAndTag(imageUri: string): string {
  const withoutDigest = imageUri.split('@')[0] ?? '';
  const lastSlash = withoutDigest.lastIndexOf('/');
  const nameAndTag = withoutDigest.slice(lastSlash + 1);
  return nameAndTag.includes(':') ? nameAndTag : `${nameAndTag}:latest`;
}

function aliasFor(image: string, env: NodeJS.ProcessEnv): string | undefined {
  const fromEnv = (env.MLOPS_IMAGE_ALIASES ?? '')
    .split(',')
    .map((entry) => entry.split('=').map((part) => part.trim()))
    .find(([source]) => source && repositoryAndTag(source) === image);
  return fromEnv?.[1] ? repositoryAndTag(fromEnv[1]) : aliases.get(image);
}

const localVersions = new Map<string, string>();

/** The version of the local Python's library (asked once per process; only needed for warnings). */
function localLibraryVersion(family: ImageFamily): string {
  const cached = localVersions.get(family.module);
  if (cached) return cached;
  const probe = spawnSync(
    findPython(),
    ['-c', `import ${family.module}; print(${family.module}.__version__)`],
    { encoding: 'utf8' },
  );
  const version = probe.status === 0 ? probe.stdout.trim() : (family.versions[family.localTag] ?? 'unknown');
  localVersions.set(family.module, version);
  return version;
}
