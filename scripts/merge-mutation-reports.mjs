// Joins the per-part mutation reports (`CORSGUARD_MUTATE_PART=<part> npm run mutate:part`, written to
// reports/mutation/parts/<part>.json) into reports/mutation/mutation.json, the report of the whole
// library. Parts mutate disjoint files, so their `files` never overlap; a file reported by two parts is
// an error, not something to pick between. Test files are the same suites in every part; when a part
// ran later against changed tests, its copy of a test file wins, because its results were measured
// against it.
//
//   node scripts/merge-mutation-reports.mjs   (exit 1 when a part report is missing)
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { PARTS } from '../stryker.part.config.mjs';

const root = new URL('../', import.meta.url);
const partPath = (part) => new URL(`reports/mutation/parts/${part}.json`, root);
const missing = Object.keys(PARTS).filter((part) => !existsSync(partPath(part)));
if (missing.length > 0) {
  console.error(`missing part reports: ${missing.join(', ')} (run: CORSGUARD_MUTATE_PART=<part> npm run mutate:part)`);
  process.exit(1);
}

const reports = Object.keys(PARTS).map((part) => ({ part, report: JSON.parse(readFileSync(partPath(part), 'utf8')) }));
const [first] = reports;
const merged = { ...first.report, files: {}, testFiles: {}, performance: { setup: 0, initialRun: 0, mutation: 0, total: 0 } };
for (const { part, report } of reports) {
  for (const [file, result] of Object.entries(report.files)) {
    if (Object.hasOwn(merged.files, file)) throw new Error(`${file} is in two part reports (the second is ${part})`);
    merged.files[file] = result;
  }
  Object.assign(merged.testFiles, report.testFiles ?? {});
  for (const key of Object.keys(merged.performance)) merged.performance[key] += report.performance?.[key] ?? 0;
}
writeFileSync(new URL('reports/mutation/mutation.json', root), `${JSON.stringify(merged)}\n`);

const counts = {};
for (const result of Object.values(merged.files)) {
  for (const mutant of result.mutants) counts[mutant.status] = (counts[mutant.status] ?? 0) + 1;
}
const detected = (counts.Killed ?? 0) + (counts.Timeout ?? 0);
const undetected = (counts.Survived ?? 0) + (counts.NoCoverage ?? 0);
const score = (100 * detected) / (detected + undetected);
console.log(`${Object.keys(merged.files).length} files; ${JSON.stringify(counts)}; mutation score ${score.toFixed(2)}%`);
