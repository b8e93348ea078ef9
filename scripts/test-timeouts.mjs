// Preloaded into every test process (`node --import ./scripts/test-timeouts.mjs`, see run-tests.mjs and
// stryker.config.mjs): gives each top-level `test()` / `it()` a timeout, so a hang (a response never
// ended, a promise never settled) fails that test by name instead of hanging the run.
//
// Why not `node --test --test-timeout`: on Node 20 that flag times out each test *file* as a whole and
// reports only the file; on Node 22 it is per test. This works the same on both. A test's own
// `{ timeout }` wins (the browser and soak suites set long ones); subtests run inside their parent's
// time. The default depends on the kind of suite the file belongs to; a failure reads
// "test timed out after N ms" under the test's name (its location shows as this file, the wrapper).
import { createRequire, syncBuiltinESMExports } from 'node:module';

const MINUTE = 60_000;

/** Per-test default by the path of the test file; the first matching entry wins. */
const DEFAULTS = [
  // Real browsers and long loads.
  { path: '/test/browsers/', timeout: 20 * MINUTE },
  { path: '/test/soak/', timeout: 15 * MINUTE },
  { path: '/test/bench/', timeout: 10 * MINUTE },
  // Child processes, other runtimes (Bun, Deno, workerd), npm pack, nginx.
  { path: '/test/runtimes/', timeout: 5 * MINUTE },
  { path: '/test/package/', timeout: 5 * MINUTE },
  { path: '/test/cache/', timeout: 5 * MINUTE },
  { path: '/test/demo/', timeout: 5 * MINUTE },
  { path: '/test/cli/', timeout: 3 * MINUTE },
  // Unit tests, conformance, guide, security properties/fuzz, CLI agreement: each test takes well under
  // 10 s on an idle machine; two minutes leaves room for a machine shared with other work.
  { path: '', timeout: 2 * MINUTE },
];

const file = (process.argv[1] ?? '').replaceAll('\\', '/');
const defaultTimeout = DEFAULTS.find((entry) => file.includes(entry.path)).timeout;

const require = createRequire(import.meta.url);
const nodeTest = require('node:test');

/** `test(name?, options?, fn?)` with `timeout` filled in when the caller gave none. */
function withDefaultTimeout(register) {
  return function registerWithTimeout(...args) {
    const optionsAt = typeof args[0] === 'object' && args[0] !== null ? 0 : typeof args[1] === 'object' && args[1] !== null ? 1 : -1;
    if (optionsAt === -1) {
      const at = typeof args[0] === 'string' ? 1 : 0;
      args.splice(at, 0, { timeout: defaultTimeout });
    } else if (args[optionsAt].timeout === undefined) {
      args[optionsAt] = { ...args[optionsAt], timeout: defaultTimeout };
    }
    return register(...args);
  };
}

for (const name of ['test', 'it']) {
  const register = nodeTest[name];
  const wrapped = withDefaultTimeout(register);
  // Keep test.skip, test.only, test.todo, test.describe... reachable on the wrapped function.
  for (const key of Object.keys(register)) wrapped[key] = register[key];
  nodeTest[name] = wrapped;
}
// `import { test } from 'node:test'` reads these exports: make them the wrapped functions.
syncBuiltinESMExports();
