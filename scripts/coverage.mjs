// `npm run coverage`: runs the fast suites (scripts/suites.mjs) under c8 and fails when the coverage of
// the library code falls below the thresholds in scripts/coverage-thresholds.json, area by area.
// Expects a compiled tree (`npm run coverage` compiles first; CI runs this right after `npm test`).
// `node scripts/coverage.mjs --write-floors` sets each threshold just under what this run measured (0.25
// to 0.75 points below, on a half-point step): for a new area, or after a restructuring moved code between
// areas. A lowered floor needs its reason in the commit message.
//
// Why c8 and not `node --test --experimental-test-coverage`: Node 20 is the floor, and its built-in
// coverage has neither include/exclude filters (Node 22.5) nor thresholds (Node 22.8). c8 reads the same
// V8 coverage, maps build/**/*.js back to src/**/*.ts through the source maps, and counts the child
// processes too (NODE_V8_COVERAGE is inherited).
//
// The library code: the policy, the protocol facts, the adapters, the root entry and the CLI's browser model.
// Not tests, not the rest of the CLI, not the demo. The CLI's child processes run dist/ (no source maps),
// so only in-process runs count; the browser model has its own unit tests.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAST_SUITES } from './suites.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const reports = join(root, 'coverage');
/** `{ "src/core": { "lines": 96, "branches": 93, "functions": 95 }, ... }`: the floor for each area. */
const thresholdsFile = new URL('coverage-thresholds.json', import.meta.url);
const thresholds = JSON.parse(readFileSync(thresholdsFile, 'utf8'));
const writeFloors = process.argv.includes('--write-floors');
const c8 = createRequire(import.meta.url).resolve('c8/bin/c8.js');

rmSync(reports, { recursive: true, force: true });
const include = Object.keys(thresholds).flatMap((area) =>
  area.endsWith('.ts') ? ['--include', `build/${area.replace(/\.ts$/, '.js')}`] : ['--include', `build/${area}/**`],
);
const run = spawnSync(
  process.execPath,
  [
    c8,
    '--reports-dir',
    reports,
    '--reporter=text',
    '--reporter=json-summary',
    '--reporter=html',
    ...include,
    '--exclude',
    '**/*.test.js',
    '--exclude',
    '**/test-support/**',
    process.execPath,
    join(root, 'scripts', 'run-tests.mjs'),
    ...FAST_SUITES,
  ],
  { cwd: root, stdio: 'inherit' },
);
if (run.status !== 0) {
  console.error('coverage: the tests failed, so no coverage is checked.');
  process.exit(run.status ?? 1);
}

const METRICS = ['lines', 'branches', 'functions'];
/** Covered and total counts per area, summed over the area's files. */
const totals = new Map(
  Object.keys(thresholds).map((area) => [area, Object.fromEntries(METRICS.map((m) => [m, { covered: 0, total: 0 }]))]),
);
const summary = JSON.parse(readFileSync(join(reports, 'coverage-summary.json'), 'utf8'));
for (const [file, counts] of Object.entries(summary)) {
  if (file === 'total') continue;
  const path = relative(root, file).split(sep).join('/');
  const area = Object.keys(thresholds).find((a) => path === a || path.startsWith(`${a}/`));
  if (area === undefined) continue;
  for (const m of METRICS) {
    totals.get(area)[m].covered += counts[m].covered;
    totals.get(area)[m].total += counts[m].total;
  }
}

const failures = [];
const floors = {};
console.log('\nCoverage of the library by area (threshold in parentheses):');
for (const [area, floor] of Object.entries(thresholds)) {
  floors[area] = {};
  const cells = METRICS.map((m) => {
    const { covered, total } = totals.get(area)[m];
    if (total === 0) {
      // A module of re-exports has no branch or function to cover; an area with no line was never loaded.
      if (m === 'lines') failures.push(`${area}: no line measured (did any fast test load it?)`);
      floors[area][m] = floor[m];
      return `${m} n/a`;
    }
    const percent = (100 * covered) / total;
    floors[area][m] = Math.floor(2 * (percent - 0.25)) / 2;
    if (percent < floor[m]) failures.push(`${area}: ${m} ${percent.toFixed(2)}% is below ${floor[m]}%`);
    return `${m} ${percent.toFixed(2)}% (${floor[m]})`;
  });
  console.log(`  ${area.padEnd(26)} ${cells.join('  ')}`);
}
if (writeFloors) {
  const rows = Object.entries(floors).map(
    ([area, f]) => `  ${JSON.stringify(area)}: ${JSON.stringify(f).replaceAll(':', ': ').replaceAll(',', ', ')}`,
  );
  writeFileSync(thresholdsFile, `{\n${rows.join(',\n')}\n}\n`);
  console.log('\ncoverage: wrote the measured floors to scripts/coverage-thresholds.json.');
} else if (failures.length > 0) {
  console.error(`\ncoverage: below the thresholds in scripts/coverage-thresholds.json:\n  ${failures.join('\n  ')}`);
  process.exit(1);
} else {
  console.log('\ncoverage: every area is at or above its threshold. HTML report: coverage/index.html');
}
