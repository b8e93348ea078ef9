// Mutation testing (StrykerJS): `npm run mutate`. See CONTRIBUTING.md, "Mutation testing".
//
// Stryker copies the project into .stryker-tmp/sandbox-*, instruments the library's TypeScript there (all
// mutants at once, switched on at run time), compiles it with tsc into build/ like `npm test` does, and
// runs the fast deterministic suites' compiled test files with the TAP runner: one `node <file>` per test
// file, which node:test answers in TAP. The runner records which test files reach which mutant, so each
// mutant runs only the files that cover it, and stops at the first file that fails.
export const ADAPTER_DIRS = ['node', 'fetch', 'express', 'fastify', 'koa', 'hono', 'lambda'];

// The files run in this order for every mutant (scripts/stryker-ordered-tap-runner.mjs), stopping at
// the first that fails: the library's own unit tests first (a fraction of a second each, and they kill
// most mutants), then the conformance table, the rest of the unit tests, and the slow suites last.
export const FAST_SUITES = [
  'build/src/protocol/**/*.test.js',
  'build/src/core/**/*.test.js',
  'build/src/cli/browser-model*.test.js',
  ...ADAPTER_DIRS.map((dir) => `build/src/${dir}/**/*.test.js`),
  'build/test/conformance/**/*.test.js',
  'build/src/**/*.test.js',
  // Not testing-docs.test.js: it installs Vitest and Jest projects, and reaches the library only through them.
  'build/test/guide/guide-examples.test.js',
  'build/test/security/attack-origins.test.js',
  'build/test/security/**/*.test.js',
  'build/test/cli-agreement/**/*.test.js',
  'build/test/cli/check.test.js',
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  // The library: the policy, the protocol facts, the adapters (the six frameworks and Lambda), the
  // CLI's browser model. Not tests, not the rest of the CLI, not the demo.
  mutate: [
    'src/core/**/*.ts',
    'src/protocol/**/*.ts',
    `src/{${ADAPTER_DIRS.join(',')}}/**/*.ts`,
    'src/cli/browser-model.ts',
    '!src/**/*.test.ts',
    // Event builders for the Lambda adapter's tests, not library code.
    '!src/**/test-support/**',
    // The Public Suffix List as a generated module: data, not logic (src/core/config.test.ts checks it
    // is what scripts/generate-public-suffixes.mjs writes). Instrumented, it does not compile either:
    // it keeps its type checks (see disableTypeChecks).
    '!src/**/*.generated.ts',
  ],
  // build/ is copied in (and rebuilt there): Stryker reads the compiled test files from it to tell, in
  // incremental mode, which tests changed; without them every test looks new and nothing is reused. So
  // `npm run mutate*` compile first.
  ignorePatterns: ['/dist', '/reports', '*.log'],
  buildCommand: 'npm run compile',
  // Stryker puts \`// @ts-nocheck\` at the top of every source file in the sandbox so that mutants that
  // do not type-check still compile. Not in the generated public suffix module: a test compares its text
  // with what scripts/generate-public-suffixes.mjs would write, and the mark would make it fail.
  disableTypeChecks: 'src/**/!(*.generated).ts',
  testRunner: 'tap-ordered',
  plugins: ['@stryker-mutator/*', './scripts/stryker-ordered-tap-runner.mjs'],
  tap: {
    testFiles: FAST_SUITES,
    // The same per-test timeouts as `npm test` (scripts/test-timeouts.mjs); {{hookFile}} is Stryker's
    // coverage hook, and scripts/stryker-child-coverage.cjs (first, so that it runs before the hook at
    // exit) adds the coverage of the CLI processes that test/cli/check.test.ts starts.
    nodeArgs: [
      '-r',
      './scripts/stryker-child-coverage.cjs',
      '--import',
      './scripts/test-timeouts.mjs',
      '--test-reporter=tap',
      '-r',
      '{{hookFile}}',
      '{{testFile}}',
    ],
  },
  coverageAnalysis: 'perTest',
  // Two cores: one test process per core.
  concurrency: 2,
  // A mutant that makes a test file run longer than its time in the first run x factor + ms counts as a
  // timeout (detected). Tests that guard against hangs fail sooner, by name (src/node/preflight-ends.test.ts
  // gives up on a response after 5 s).
  timeoutFactor: 2,
  timeoutMS: 30_000,
  // The first run (every test file, recording coverage) took 42 s at a load average of 3 and over 5 minutes
  // (Stryker's default limit) at 15 to 19 on this 2-core machine.
  dryRunTimeoutMinutes: 20,
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // `npm run mutate:incremental` reads the committed report as its baseline and re-tests only mutants
  // whose code or covering test files changed. Stryker's incremental file and its JSON report are the
  // same mutation-testing-report-schema document, so one committed file serves as both.
  incrementalFile: 'reports/mutation/mutation.json',
  thresholds: { high: 95, low: 90, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
