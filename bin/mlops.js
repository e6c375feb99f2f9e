#!/usr/bin/env node
// The CLI runs from TypeScript source through tsx, so a fresh clone needs no build step.
require('tsx/cjs');

// The AWS SDK warns on Node 20 about its releases after January 2027; the lockfile pins versions that
// support Node 20, so the warning is noise in every command's output.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;
  if (type === 'NodeVersionSupportWarning' || String(warning).includes('will require node >=22')) return;
  emitWarning(warning, ...rest);
};

require('../src/cli/index.ts').main(process.argv);
