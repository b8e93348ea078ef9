// Joins the per-part mutation reports (`CORSGUARD_MUTATE_PART=<part or file> npm run mutate:part`, written to
// reports/mutation/parts/) into reports/mutation/mutation.json, the report of the whole
// library (and reports/mutation/mutation.html, to read it). Parts mutate disjoint files, so their `files` never overlap; a file reported by two parts is
// an error, not something to pick between. Test files are the same suites in every part; when a part
// ran later against changed tests, its copy of a test file wins, because its results were measured
// against it.
//
//   node scripts/merge-mutation-reports.mjs   (exit 1 while a library file is in no part report)
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { libraryFiles } from './mutation-parts.mjs';

const root = new URL('../', import.meta.url);
const partsDir = new URL('reports/mutation/parts/', root);
const reports = readdirSync(partsDir)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => ({ part: name.slice(0, -'.json'.length), report: JSON.parse(readFileSync(new URL(name, partsDir), 'utf8')) }));
// A file part of a file with no mutant (types and constant tables only, such as src/core/codes.ts) has a
// report whose `files` is empty: the report itself says the file was looked at.
const reported = new Set(reports.flatMap(({ part, report }) => [...Object.keys(report.files), part.replaceAll('~', '/')]));
const missing = libraryFiles().filter((file) => !reported.has(file));
if (missing.length > 0) {
  console.error(
    `no part report covers: ${missing.join(', ')}\n(run: CORSGUARD_MUTATE_PART=<part or file> npm run mutate:part; see CONTRIBUTING.md)`,
  );
  process.exit(1);
}

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
writeFileSync(new URL('reports/mutation/mutation.html', root), htmlReport(merged));

/**
 * The HTML report of the merged run, as Stryker's html reporter writes one: the report viewer
 * (mutation-testing-elements, installed with Stryker) with the report in the page. `<` is escaped so
 * that no source text in the report can close the script.
 */
function htmlReport(report) {
  const viewer = readFileSync(fileURLToPath(import.meta.resolve('mutation-testing-elements/mutation-test-elements.js')), 'utf8');
  const data = JSON.stringify(report).replaceAll('<', '\\u003c');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>corsguard mutation report</title>
<script>${viewer.replaceAll('</script', '<\\/script')}</script>
</head>
<body>
<mutation-test-report-app titlePostfix="corsguard"></mutation-test-report-app>
<script>document.querySelector('mutation-test-report-app').report = ${data};</script>
</body>
</html>
`;
}

const counts = {};
for (const result of Object.values(merged.files)) {
  for (const mutant of result.mutants) counts[mutant.status] = (counts[mutant.status] ?? 0) + 1;
}
const detected = (counts.Killed ?? 0) + (counts.Timeout ?? 0);
const undetected = (counts.Survived ?? 0) + (counts.NoCoverage ?? 0);
const score = (100 * detected) / (detected + undetected);
console.log(`${Object.keys(merged.files).length} files; ${JSON.stringify(counts)}; mutation score ${score.toFixed(2)}%`);
