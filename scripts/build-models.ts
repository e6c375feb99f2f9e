/**
 * Writes the trimmed AWS service models the local AWS speaks from (local/models/<service>.json): for each
 * service in local/models/operations.json, the operations listed there, every shape they reach (inputs,
 * outputs, errors) and the service metadata, with documentation stripped.
 *
 * The source is botocore's `service-2.json`: unlike the SDK v3 schemas (no constraints) and aws-sdk v2's
 * min.json (constraints stripped), it carries shapes, HTTP bindings, protocol, errors AND constraints
 * (length, range, pattern, enum), and it is what LocalStack and moto are driven from.
 *
 *   npx tsx scripts/build-models.ts [<botocore data dir>]
 *
 * Without an argument the newest botocore on the machine is used (the AWS CLI v1's or Debian's). Adding an
 * operation = adding it to operations.json and running this again.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';

import * as prettier from 'prettier';

const MODELS_DIR = path.join(__dirname, '..', 'local', 'models');
const PYTHONS = ['python3', '/usr/bin/python3'];

type Json = Record<string, unknown>;

interface BotocoreData {
  readonly dir: string;
  readonly version: string;
}

async function main(): Promise<void> {
  const data = process.argv[2] ? botocoreAt(process.argv[2]) : newestBotocore();
  const wanted = JSON.parse(fs.readFileSync(path.join(MODELS_DIR, 'operations.json'), 'utf8')) as Record<
    string,
    string[]
  >;
  for (const [service, operations] of Object.entries(wanted)) {
    const model = trimModel(readServiceModel(data.dir, service), operations, service);
    const text = JSON.stringify({ source: { botocore: data.version, service }, ...model });
    const file = path.join(MODELS_DIR, `${service}.json`);
    fs.writeFileSync(file, await prettier.format(text, { parser: 'json', printWidth: 110 }));
    const shapes = Object.keys(model.shapes as Json).length;
    console.log(`${service}: ${operations.length} operations, ${shapes} shapes (botocore ${data.version})`);
  }
}

/** The botocore data directory whose botocore version is highest among the machine's Pythons. */
function newestBotocore(): BotocoreData {
  const found: BotocoreData[] = [];
  for (const python of PYTHONS) {
    try {
      const dir = execFileSync(
        python,
        ['-c', 'import botocore,os;print(os.path.join(os.path.dirname(botocore.__file__),"data"))'],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
      ).trim();
      found.push(botocoreAt(dir));
    } catch {
      // This Python has no botocore; try the next.
    }
  }
  const newest = found.sort((a, b) => compareVersions(b.version, a.version))[0];
  if (!newest)
    throw new Error(`no botocore found with ${PYTHONS.join(' or ')}; pass a botocore data directory`);
  return newest;
}

function botocoreAt(dataDir: string): BotocoreData {
  const init = path.join(dataDir, '..', '__init__.py');
  const version = /__version__ = '([^']+)'/.exec(fs.readFileSync(init, 'utf8'))?.[1];
  if (!version) throw new Error(`${init} has no __version__; expected a botocore package's data directory`);
  return { dir: dataDir, version };
}

function compareVersions(a: string, b: string): number {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const diff = (x[i] ?? 0) - (y[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** `<data>/<service>/<newest api version>/service-2.json[.gz]`. */
function readServiceModel(dataDir: string, service: string): Json {
  const serviceDir = path.join(dataDir, service);
  const version = fs.readdirSync(serviceDir).sort().at(-1);
  if (!version) throw new Error(`${serviceDir} has no API versions`);
  const plain = path.join(serviceDir, version, 'service-2.json');
  if (fs.existsSync(plain)) return JSON.parse(fs.readFileSync(plain, 'utf8')) as Json;
  return JSON.parse(gunzipSync(fs.readFileSync(`${plain}.gz`)).toString('utf8')) as Json;
}

/** The model restricted to `operations` and the shapes they reach, without documentation. */
function trimModel(model: Json, operations: readonly string[], service: string): Json {
  const allOperations = model.operations as Record<string, Json>;
  const allShapes = model.shapes as Record<string, Json>;
  const kept: Record<string, Json> = {};
  const reached = new Set<string>();
  const reach = (name: string): void => {
    if (reached.has(name)) return;
    const shape = allShapes[name];
    if (!shape) throw new Error(`${service}: shape ${name} is referenced but not defined`);
    reached.add(name);
    for (const ref of shapeRefs(shape)) reach(ref);
  };
  for (const name of operations) {
    const operation = allOperations[name];
    if (!operation) throw new Error(`${service}: botocore's model has no operation ${name}`);
    kept[name] = operation;
    for (const ref of operationRefs(operation)) reach(ref);
  }
  const shapes = Object.fromEntries([...reached].sort().map((name) => [name, allShapes[name]!]));
  return withoutDocumentation({ metadata: model.metadata, operations: kept, shapes }) as Json;
}

function operationRefs(operation: Json): string[] {
  const refs = [operation.input, operation.output, ...((operation.errors as unknown[]) ?? [])];
  return refs.map((ref) => (ref as { shape?: string } | undefined)?.shape).filter(isString);
}

function shapeRefs(shape: Json): string[] {
  const members = Object.values((shape.members as Record<string, Json> | undefined) ?? {});
  const refs = [...members, shape.member, shape.key, shape.value];
  return refs.map((ref) => (ref as { shape?: string } | undefined)?.shape).filter(isString);
}

const isString = (value: unknown): value is string => typeof value === 'string';

function withoutDocumentation(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDocumentation);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Json).filter(
    ([key]) => key !== 'documentation' && key !== 'documentationUrl',
  );
  return Object.fromEntries(entries.map(([key, member]) => [key, withoutDocumentation(member)]));
}

main().catch((error: unknown) => {
  console.error(`build-models: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
