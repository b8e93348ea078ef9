/**
 * Issue 15: the committed mutation report (reports/mutation/mutation.json) is the report of the
 * library as committed. Every library file is in it (or has a part report with no mutant), each
 * file's source in it is the file as it is now, its mutation score is at least 90%, and every file
 * with a surviving mutant has its section in test/mutation/equivalent-mutants.md. A change to library
 * code fails this test until its part is run again (CONTRIBUTING.md, "Before you commit a change to
 * library code").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const MINIMUM_SCORE = 0.9;

interface Mutant {
  readonly id: string;
  readonly status: string;
  readonly mutatorName: string;
  readonly location: { readonly start: { readonly line: number } };
}
interface Report {
  readonly files: Readonly<Record<string, { readonly source: string; readonly mutants: readonly Mutant[] }>>;
}

const report = JSON.parse(readFileSync(join(root, 'reports/mutation/mutation.json'), 'utf8')) as Report;

async function libraryFiles(): Promise<string[]> {
  // scripts/mutation-parts.mjs lists the library files relative to the repository root.
  process.chdir(root);
  const parts = (await import(pathToFileURL(join(root, 'scripts/mutation-parts.mjs')).href)) as { libraryFiles(): string[] };
  return parts.libraryFiles();
}

test('every library file is in the mutation report, as it is now', async () => {
  // A file with no mutant (types, constant tables) has a part report whose `files` is empty.
  const partsWithoutMutants = readdirSync(join(root, 'reports/mutation/parts'))
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length).replaceAll('~', '/'));
  const missing = (await libraryFiles()).filter((file) => !(file in report.files) && !partsWithoutMutants.includes(file));
  assert.deepEqual(missing, [], 'run CORSGUARD_MUTATE_PART=<file> npm run mutate:part, then node scripts/merge-mutation-reports.mjs');
  const stale = Object.entries(report.files)
    .filter(([file, { source }]) => readFileSync(join(root, file), 'utf8') !== source)
    .map(([file]) => file);
  assert.deepEqual(stale, [], 'these files changed since their mutation run: run their parts again and merge (CONTRIBUTING.md)');
});

test('the mutation score is at least 90%, and every file with a surviving mutant lists its equivalent mutants', () => {
  const count = (statuses: readonly string[]): number =>
    Object.values(report.files).reduce((sum, file) => sum + file.mutants.filter((m) => statuses.includes(m.status)).length, 0);
  const detected = count(['Killed', 'Timeout']);
  const undetected = count(['Survived', 'NoCoverage']);
  const score = detected / (detected + undetected);
  assert.ok(score >= MINIMUM_SCORE, `mutation score ${(score * 100).toFixed(2)}% is below ${MINIMUM_SCORE * 100}%`);
  const listed = readFileSync(join(root, 'test/mutation/equivalent-mutants.md'), 'utf8');
  const unlisted = Object.entries(report.files)
    .filter(([, { mutants }]) => mutants.some((m) => m.status === 'Survived' || m.status === 'NoCoverage'))
    .map(([file]) => file)
    .filter((file) => !listed.includes(`\n## ${file}\n`));
  assert.deepEqual(
    unlisted,
    [],
    'kill these files’ surviving mutants, or list each with its reason in test/mutation/equivalent-mutants.md',
  );
});
