import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { BuildOptions, Plugin } from 'esbuild';

/** The repository root (this file is local/services/lambda/compiled-module.ts). */
const REPO_ROOT = path.resolve(__dirname, '../../..');
/** MLOPS_LAMBDA_CACHE: another folder for the builds (tests use their own). */
const CACHE_DIR = () =>
  process.env.MLOPS_LAMBDA_CACHE ?? path.join(REPO_ROOT, 'node_modules', '.cache', 'mlops-lambda');

/** What the last build of one entry read: every input file by path with its fingerprint. */
interface Stamp {
  readonly output: string;
  readonly inputs: Readonly<Record<string, string>>;
}

/** A module that could not be built (a syntax error, a missing import): Lambda's Runtime.UserCodeSyntaxError. */
export class ModuleBuildError extends Error {
  override readonly name = 'ModuleBuildError';
}

type Esbuild = typeof import('esbuild');

let esbuild: Esbuild | null | undefined;

/** esbuild if installed (a development install); without it the runtime runs sources through tsx. */
export function loadEsbuild(): Esbuild | undefined {
  if (esbuild === undefined) {
    try {
      esbuild = require('esbuild') as Esbuild;
    } catch {
      esbuild = null;
    }
  }
  return esbuild ?? undefined;
}

const building = new Map<string, Promise<string>>();

/**
 * A TypeScript or JavaScript module as one CommonJS file with its imports bundled in (what CDK's
 * NodejsFunction deploys), so that a Lambda worker starts without transpiling anything. Builds are cached
 * under node_modules/.cache/mlops-lambda with the fingerprint of every file the build read (the sha256 of a
 * source; mtime and size of a file under node_modules, which only an install rewrites): a changed source or
 * package is rebuilt before it runs, so a stale build never runs.
 */
export function compiledModule(entry: string, compiler: Esbuild): Promise<string> {
  const known = building.get(entry);
  if (known) return known;
  const result = fresh(entry) ?? build(entry, compiler);
  const settled = Promise.resolve(result).finally(() => building.delete(entry));
  building.set(entry, settled);
  return settled;
}

function stampFile(entry: string): string {
  const key = createHash('sha256').update(entry).digest('hex').slice(0, 16);
  return path.join(CACHE_DIR(), `${path.basename(entry).replace(/\.[^.]+$/, '')}-${key}.json`);
}

/** The cached build, when every file it read still has the contents it had. */
function fresh(entry: string): string | undefined {
  const stamp = readStamp(entry);
  if (!stamp || !fs.existsSync(stamp.output)) return undefined;
  const unchanged = Object.entries(stamp.inputs).every(([file, print]) => fingerprint(file) === print);
  return unchanged ? stamp.output : undefined;
}

function readStamp(entry: string): Stamp | undefined {
  try {
    return JSON.parse(fs.readFileSync(stampFile(entry), 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

async function build(entry: string, compiler: Esbuild): Promise<string> {
  const read = new Map<string, string>();
  const options: BuildOptions = {
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [recordSources(read)],
  };
  let result: Awaited<ReturnType<Esbuild['build']>>;
  try {
    result = await compiler.build(options);
  } catch (error) {
    const errors = (error as { errors?: { text: string; location?: { file: string; line: number } }[] })
      .errors;
    const detail = errors
      ?.map(
        (found) => `${found.location ? `${found.location.file}:${found.location.line}: ` : ''}${found.text}`,
      )
      .join('; ');
    throw new ModuleBuildError(detail || (error as Error).message);
  }
  // Files the plugin did not load itself (packages) are hashed as they are now.
  for (const input of Object.keys(result.metafile?.inputs ?? {})) {
    const file = path.resolve(input);
    if (!read.has(file) && fs.existsSync(file)) read.set(file, fingerprint(file) ?? '');
  }
  const code = result.outputFiles?.[0]?.contents ?? new Uint8Array();
  const digest = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const dir = CACHE_DIR();
  fs.mkdirSync(dir, { recursive: true });
  const output = path.join(dir, `${path.basename(entry).replace(/\.[^.]+$/, '')}-${digest}.cjs`);
  writeAtomically(output, code);
  const previous = readStamp(entry)?.output;
  const stamp: Stamp = { output, inputs: Object.fromEntries(read) };
  // Written last: a build interrupted before this point is built again next time.
  writeAtomically(stampFile(entry), JSON.stringify(stamp));
  // A worker that loaded the previous build keeps it in memory.
  if (previous && previous !== output) fs.rmSync(previous, { force: true });
  return output;
}

/**
 * Loads the project's own sources itself, hashing exactly the contents it compiles, and keeps each module's
 * own __dirname and __filename (modules find their data files next to their source).
 */
function recordSources(read: Map<string, string>): Plugin {
  return {
    name: 'record-sources',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
        if (inPackage(args.path)) return undefined;
        const source = fs.readFileSync(args.path);
        read.set(args.path, createHash('sha256').update(source).digest('hex'));
        const text = source.toString('utf8');
        const header = /__dirname|__filename/.test(text)
          ? `const __dirname = ${JSON.stringify(path.dirname(args.path))}; const __filename = ${JSON.stringify(args.path)};\n`
          : '';
        return { contents: header + text, loader: /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js' };
      });
    },
  };
}

function inPackage(file: string): boolean {
  return file.includes(`${path.sep}node_modules${path.sep}`);
}

/** A package file by mtime and size (hashing the SDK's hundreds of files would cost more than the start saves). */
function fingerprint(file: string): string | undefined {
  try {
    if (inPackage(file)) {
      const stat = fs.statSync(file);
      return `${stat.mtimeMs}:${stat.size}`;
    }
    return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
}

function writeAtomically(file: string, content: string | Uint8Array): void {
  const temporary = `${file}.${process.pid}`;
  fs.writeFileSync(temporary, content);
  fs.renameSync(temporary, file);
}
