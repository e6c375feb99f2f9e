/**
 * Builds the committed action bundles: one ncc bundle per action (`dist/<action>/index.js` plus the
 * licenses of everything bundled), minified with esbuild (ncc's own terser pass takes minutes here and
 * saves nothing over it). Deterministic: the same sources give the same bytes, so `--check` can rebuild
 * into a temporary folder and compare byte for byte.
 *
 *   npx tsx scripts/build-actions.ts            rebuild dist/
 *   npx tsx scripts/build-actions.ts --check    fail (exit 1) when dist/ is stale
 *   npx tsx scripts/build-actions.ts --out DIR  build into DIR
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ACTIONS = [
  'upsert-sagemaker-pipeline',
  'wait-for-execution',
  'deploy-endpoint',
  'approved-model',
] as const;

const ROOT = path.resolve(__dirname, '..');
export const DIST = path.join(ROOT, 'dist');

/** The files of one action's bundle, relative to its folder. */
export async function bundleAction(action: string): Promise<Record<string, string>> {
  const ncc = require('@vercel/ncc') as (
    entry: string,
    options: Record<string, unknown>,
  ) => Promise<NccOutput>;
  const { transformSync } = await import('esbuild');
  const entry = path.join(ROOT, 'src', 'actions', action, 'index.ts');
  const { code, assets, stats } = await ncc(entry, {
    cache: false,
    minify: false,
    sourceMap: false,
    quiet: true,
    transpileOnly: true,
    target: 'es2022',
    // ES builds first: the AWS SDK's dist-es lets webpack drop the commands and schemas an action never
    // uses (the CommonJS build defines all of them at load), which shortens the cold start.
    mainFields: ['module', 'main'],
  });
  const minify = (source: string) =>
    transformSync(source, {
      minify: true,
      keepNames: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      legalComments: 'none',
    }).code;
  const files: Record<string, string> = { 'index.js': minify(code) };
  // Chunks (`<id>.index.js`) hold what `await import(...)` loads on first use.
  for (const [name, asset] of Object.entries(assets))
    files[name] = name.endsWith('.js') ? minify(asset.source.toString()) : asset.source.toString();
  files['licenses.txt'] = licenses(bundledFiles(stats));
  return files;
}

interface NccOutput {
  code: string;
  assets: Record<string, { source: Buffer | string }>;
  stats: { toJson(options: object): { modules?: StatsModule[] } };
}

interface StatsModule {
  nameForCondition?: string;
  modules?: StatsModule[];
}

/** Every source file webpack put into the bundle, chunks included. */
function bundledFiles(stats: NccOutput['stats']): string[] {
  const files = new Set<string>();
  const visit = (modules: StatsModule[] | undefined): void => {
    for (const module of modules ?? []) {
      if (module.nameForCondition) files.add(module.nameForCondition);
      visit(module.modules);
    }
  };
  visit(stats.toJson({ all: false, modules: true, nestedModules: true }).modules);
  return [...files];
}

/**
 * The license of every package in the bundle, chunks included (ncc's own license option covers the main
 * chunk only): name, license id and license text, sorted by name.
 */
function licenses(files: readonly string[]): string {
  const roots = new Set(
    files.flatMap((file) => {
      const match = /^(.*\/node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(file);
      return match?.[1] ? [match[1]] : [];
    }),
  );
  const entries = [...roots].flatMap((root) => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      name: string;
      license?: string;
    };
    const file = fs.readdirSync(root).find((name) => /^(licen[cs]e|copying)/i.test(name));
    const text = file ? fs.readFileSync(path.join(root, file), 'utf8').trim() : '';
    return [`${manifest.name}\n${manifest.license ?? 'UNKNOWN'}\n${text}`];
  });
  return `${[...new Set(entries)].sort().join('\n\n')}\n`;
}

function writeBundle(outDir: string, action: string, files: Record<string, string>): void {
  const dir = path.join(outDir, action);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
}

/** Builds every action into `outDir`, two at a time in child processes (webpack is single-threaded). */
export async function buildAll(
  outDir: string,
  concurrency = Math.max(1, Math.min(2, os.cpus().length)),
): Promise<void> {
  const queue = [...ACTIONS];
  const worker = async (): Promise<void> => {
    for (let action = queue.shift(); action; action = queue.shift()) await buildInChild(action, outDir);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

function buildInChild(action: string, outDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--require', 'tsx/cjs', __filename, '--only', action, '--out', outDir],
      {
        cwd: ROOT,
        stdio: 'inherit',
      },
    );
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`building ${action} failed (exit ${code})`)),
    );
  });
}

/** Files that differ between two dist folders (missing on either side counts). */
export function compareDist(expectedDir: string, actualDir: string): string[] {
  const list = (dir: string) =>
    fs.existsSync(dir)
      ? fs
          .readdirSync(dir, { recursive: true, withFileTypes: true })
          .filter((entry) => entry.isFile())
          .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
      : [];
  const names = [...new Set([...list(expectedDir), ...list(actualDir)])].sort();
  return names.filter((name) => {
    const [a, b] = [path.join(expectedDir, name), path.join(actualDir, name)];
    return !fs.existsSync(a) || !fs.existsSync(b) || !fs.readFileSync(a).equals(fs.readFileSync(b));
  });
}

async function main(args: string[]): Promise<number> {
  const option = (name: string) => {
    const index = args.indexOf(name);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const only = option('--only');
  if (only) {
    writeBundle(option('--out') ?? DIST, only, await bundleAction(only));
    return 0;
  }
  if (args.includes('--check')) {
    const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-dist-'));
    try {
      await buildAll(temp);
      const stale = compareDist(temp, DIST);
      if (stale.length > 0) {
        process.stderr.write(
          `dist/ is stale; run npm run build:actions and commit:\n${stale.map((name) => `  dist/${name}`).join('\n')}\n`,
        );
        return 1;
      }
      process.stdout.write('dist/ is current\n');
      return 0;
    } finally {
      fs.rmSync(temp, { recursive: true, force: true });
    }
  }
  const out = option('--out') ?? DIST;
  await buildAll(out);
  for (const action of ACTIONS) {
    const size = fs.statSync(path.join(out, action, 'index.js')).size;
    process.stdout.write(`${action}: ${(size / 1024).toFixed(0)} KB\n`);
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
