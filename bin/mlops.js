#!/usr/bin/env node
'use strict';
// The CLI runs from a bundle of its TypeScript sources (node_modules/.cache/mlops-cli), so a command starts
// without transpiling. The bundle records every source it was built from (path, mtime, size); when one
// changed, or the checkout moved, it is rebuilt here with esbuild before running: a stale build never runs.
// Without esbuild (a production install) the sources run through tsx, as the message says.
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const ENTRY = path.join(ROOT, 'src', 'cli', 'index.ts');
// MLOPS_CLI_CACHE: another folder for the build (tests use their own).
const OUT = process.env.MLOPS_CLI_CACHE || path.join(ROOT, 'node_modules', '.cache', 'mlops-cli');
const BUNDLE = path.join(OUT, 'cli.cjs');
const STAMP = path.join(OUT, 'stamp.json');
const COMMANDS = path.join(OUT, 'commands.json');

/** The sources' state as the stamp records it: mtime and size by path. */
function fingerprint(file) {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  return stat ? `${stat.mtimeMs}:${stat.size}` : 'missing';
}

function isFresh() {
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(STAMP, 'utf8'));
  } catch {
    return false;
  }
  if (stamp.root !== ROOT || !fs.existsSync(BUNDLE)) return false;
  return Object.entries(stamp.inputs).every(([file, print]) => fingerprint(path.join(ROOT, file)) === print);
}

/** Modules keep their own __dirname/__filename inside the bundle: they find their .py files and data. */
const keepModulePaths = {
  name: 'keep-module-paths',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = fs.readFileSync(args.path, 'utf8');
      if (!/__dirname|__filename/.test(source)) return undefined;
      const header = `const __dirname = ${JSON.stringify(path.dirname(args.path))}; const __filename = ${JSON.stringify(args.path)};\n`;
      return { contents: header + source, loader: 'ts' };
    });
  },
};

async function rebuild(esbuild) {
  fs.mkdirSync(OUT, { recursive: true });
  const temporary = `${BUNDLE}.${process.pid}`;
  const result = await esbuild.build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    outfile: temporary,
    metafile: true,
    logLevel: 'error',
    plugins: [keepModulePaths],
  });
  const inputs = Object.fromEntries(
    Object.keys(result.metafile.inputs)
      .map((input) => path.relative(ROOT, path.resolve(process.cwd(), input)))
      .concat(['package.json', path.join('bin', 'mlops.js')])
      .map((file) => [file, fingerprint(path.join(ROOT, file))]),
  );
  fs.rmSync(COMMANDS, { force: true });
  fs.renameSync(temporary, BUNDLE);
  // Written last: a build interrupted before this point is rebuilt next time.
  fs.writeFileSync(`${STAMP}.${process.pid}`, JSON.stringify({ root: ROOT, inputs }));
  fs.renameSync(`${STAMP}.${process.pid}`, STAMP);
}

function loadEsbuild() {
  try {
    return require('esbuild');
  } catch {
    return undefined;
  }
}

async function start() {
  if (!isFresh()) {
    const esbuild = loadEsbuild();
    if (!esbuild) {
      process.stderr.write(
        'mlops: esbuild is not installed, running the TypeScript sources through tsx (slower start)\n',
      );
      require('tsx/cjs');
      return require(ENTRY).main(process.argv);
    }
    await rebuild(esbuild);
  }
  return require(BUNDLE).main(process.argv, { commandsFile: COMMANDS });
}

start().catch((error) => {
  process.stderr.write(`mlops: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
