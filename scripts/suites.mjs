// The deterministic suites: `npm run test:fast` (node scripts/run-tests.mjs --fast) and `npm run coverage`.
// Each entry is a substring of the compiled test paths, as run-tests.mjs filters them.
//
// Left out, and run by `npm test` only: real browsers, the 1,000,000-request soak, the benchmarks,
// Bun/Deno/workerd, nginx's shared cache, and the tests that install the packed tarball with npm or build
// with another toolchain (test/package/install and framework-majors, test/cli/package, test/recipes/nest
// and next). Those take from 10 s to minutes each, depend on programs outside Node or on the npm cache,
// and go through the library code the fast suites test. Measured times: CONTRIBUTING.md, "Commands".
export const FAST_SUITES = [
  // Unit tests beside their sources, and each adapter over loopback HTTP.
  'build/src/',
  'build/test/conformance/',
  'build/test/guide/',
  'build/test/security/',
  // Habits of the codebase (issue 13): no function over 100 lines.
  'build/test/habits/',
  'build/test/cli-agreement/',
  'build/test/cli/check.test.js',
  'build/test/cli/scan.test.js',
  'build/test/cli/terminal-injection.test.js',
  'build/test/cli/demo.test.js',
  // The built dist/ as a package: its files, entry points, import graph and types, without npm install.
  'build/test/package/contents.test.js',
  'build/test/package/entry-points.test.js',
  'build/test/package/import-graph.test.js',
  'build/test/package/types.test.js',
  // Recipes that run on Node alone.
  'build/test/recipes/doc-snippets.test.js',
  'build/test/recipes/env.test.js',
  'build/test/recipes/fetch-frameworks.test.js',
  'build/test/recipes/quick-start.test.js',
  'build/test/recipes/own-adapter.test.js',
  'build/test/recipes/tenants.test.js',
];
