import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { EndpointTemplate, synthesizeEndpointTemplate } from '../../cdk-model-deploy/lib/synth';
import { writeFileAtomic } from '../../local/state/store';
import type { RunConfig } from './config';

const ROOT = path.resolve(__dirname, '..', '..');
/** What the stack is built from besides its props: its sources and the libraries that synthesize it. */
const SOURCE_FOLDERS = [path.join(ROOT, 'cdk-model-deploy', 'lib')];
const SOURCE_FILES = [__filename];
const LIBRARIES = ['aws-cdk-lib', 'constructs', 'cdk-nag'];
/**
 * Synthesized in place of the package ARN, which changes with every run: it is only the default of the
 * ModelPackageArn parameter, so the cached template gets the real ARN wherever this stands.
 */
export const PACKAGE_ARN_PLACEHOLDER =
  'arn:aws:sagemaker:us-east-1:000000000000:model-package/mlops-cache-placeholder/1';

type EndpointProps = Parameters<typeof synthesizeEndpointTemplate>[0];

/**
 * The endpoint stack for one run, from cdk-model-deploy in-process: the registry path (the approved model
 * package). Locally one instance, all traffic at once and no bake time, so a run finishes in seconds; on
 * AWS the stack's own blue/green defaults apply. Locally every request is captured (to
 * `s3://<bucket>/data-capture`), so a drift check can run on the run's own traffic (docs/monitoring.md).
 */
export async function synthesizeEndpointForRun(options: {
  config: RunConfig;
  modelPackageArn: string;
}): Promise<EndpointTemplate> {
  return synthesize(endpointProps(options.config, options.modelPackageArn));
}

/** Loaded on demand: the CDK libraries take a second to load, which a cached template does not need. */
async function synthesize(props: EndpointProps): Promise<EndpointTemplate> {
  const { synthesizeEndpointTemplate: synthesizeTemplate } = await import('../../cdk-model-deploy/lib/synth');
  return synthesizeTemplate(props);
}

/**
 * The same template, synthesized again only when its inputs change: cached in `cacheDir` under a hash of
 * the props (with the ARN placeholder), the cdk-model-deploy sources and the CDK library versions.
 */
export async function cachedEndpointTemplate(options: {
  config: RunConfig;
  modelPackageArn: string;
  cacheDir: string;
}): Promise<{ template: EndpointTemplate; cached: boolean }> {
  const props = endpointProps(options.config, PACKAGE_ARN_PLACEHOLDER);
  const file = path.join(options.cacheDir, `endpoint-${inputsHash(props)}.json`);
  let template = readCached(file);
  const cached = template !== undefined;
  if (!template) {
    template = await synthesize(props);
    writeFileAtomic(file, JSON.stringify(template));
  }
  return { template: withValue(template, PACKAGE_ARN_PLACEHOLDER, options.modelPackageArn), cached };
}

function endpointProps(config: RunConfig, modelPackageArn: string): EndpointProps {
  const local = config.target === 'local';
  return {
    modelSource: { kind: 'modelPackage', modelPackageArn, executionRoleArn: config.roleArn },
    stageName: local ? 'local' : 'staging',
    ...(local
      ? {
          capacity: { kind: 'instances', instanceCount: 1, autoscaling: false },
          trafficRouting: { type: 'ALL_AT_ONCE', waitIntervalSeconds: 0 },
          terminationWaitSeconds: 0,
          dataCapture: { samplingPercentage: 100, destinationS3Uri: `s3://${config.bucket}/data-capture` },
        }
      : {}),
  };
}

function inputsHash(props: EndpointProps): string {
  const hash = createHash('sha256').update(JSON.stringify(props));
  const files = [...SOURCE_FOLDERS.flatMap(listFiles), ...SOURCE_FILES].sort();
  for (const file of files) hash.update(`\0${path.relative(ROOT, file)}\0`).update(fs.readFileSync(file));
  for (const name of LIBRARIES) hash.update(`\0${name}@${libraryVersion(name)}`);
  return hash.digest('hex').slice(0, 32);
}

function listFiles(folder: string): string[] {
  return fs
    .readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

function libraryVersion(name: string): string {
  const manifest = require.resolve(`${name}/package.json`, { paths: [ROOT] });
  return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version;
}

function readCached(file: string): EndpointTemplate | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as EndpointTemplate;
  } catch {
    // Missing or unreadable: synthesized again (and rewritten).
    return undefined;
  }
}

/** A deep copy with every string equal to `from` replaced by `to`. */
function withValue<T>(value: T, from: string, to: string): T {
  return JSON.parse(JSON.stringify(value), (_key, item: unknown) => (item === from ? to : item)) as T;
}
