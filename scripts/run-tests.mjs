// Runs every compiled test file (build/**/*.test.js) with node's test runner.
// Usage: node scripts/run-tests.mjs [substring filters...]
//        node scripts/run-tests.mjs --fast   (the deterministic suites of `npm run test:fast`, scripts/suites.mjs)
// Every test gets a timeout (scripts/test-timeouts.mjs), so a hang fails the test by name.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FAST_SUITES } from './suites.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const build = join(root, 'build');

function find(dir) {
  let out = [];
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(find(path));
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

const args = process.argv.slice(2);
const filters = args.flatMap((arg) => (arg === '--fast' ? FAST_SUITES : [arg]));
const files = find(build)
  .filter((f) => filters.length === 0 || filters.some((s) => relative(root, f).includes(s)))
  .sort();
if (files.length === 0) {
  console.error('No compiled tests found under build/. Run `npm test` (it compiles first).');
  process.exit(1);
}
const timeouts = pathToFileURL(join(root, 'scripts', 'test-timeouts.mjs')).href;
const result = spawnSync(process.execPath, ['--import', timeouts, '--test', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(result.status ?? 1);
