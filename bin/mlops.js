#!/usr/bin/env node
// The CLI runs from TypeScript source through tsx, so a fresh clone needs no build step.
require('tsx/cjs');
require('../src/aws/quiet-node-version-warning.ts').quietNodeVersionWarning();
require('../src/cli/index.ts').main(process.argv);
