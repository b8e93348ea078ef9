// Lists the surviving (and uncovered) mutants of a mutation report with the code they changed, and
// optionally re-checks them against the current source without a Stryker run.
//
//   node scripts/mutation-survivors.mjs reports/mutation/parts/browser-model.json
//   node scripts/mutation-survivors.mjs <report> --apply 'build/src/cli/browser-model*.test.js' [--ids 9,15]
//
// A report keeps the source it was measured on, so each mutant is found in today's file by the text
// around it (white space ignored), not by its line: the file may have been reformatted or split
// since. With --apply (after `npm run compile`), each mutant is applied to today's source,
// transpiled into a copy of build/ under the system's temporary folder, and the given compiled test
// files are run against it: "killed" means one of them failed. Only those files run, so a mutant
// reported "survived" here may still be killed by another suite; and a mutant whose text can no
// longer be found is reported as such.
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    apply: { type: 'string', multiple: true },
    ids: { type: 'string' },
    status: { type: 'string', default: 'Survived,NoCoverage' },
  },
});
if (positionals.length !== 1) {
  console.error(
    'usage: node scripts/mutation-survivors.mjs <report.json> [--apply <test files>...] [--ids 1,2] [--status Survived,NoCoverage]',
  );
  process.exit(2);
}
const report = JSON.parse(readFileSync(positionals[0], 'utf8'));
const statuses = new Set(values.status.split(','));
const ids = values.ids === undefined ? undefined : new Set(values.ids.split(','));

/** The source with each run of white space made one space, and where each character came from. */
function squeezed(source) {
  let text = '';
  const from = [];
  for (let i = 0; i < source.length; i++) {
    const space = /\s/.test(source[i]);
    if (space && text.endsWith(' ')) continue;
    text += space ? ' ' : source[i];
    from.push(i);
  }
  from.push(source.length);
  return { text, from };
}

function offsetOf(source, { line, column }) {
  let offset = 0;
  for (let l = 1; l < line; l++) offset = source.indexOf('\n', offset) + 1;
  return offset + column - 1;
}

/** Where the mutated text is in `current`: the shortest surrounding text that occurs there once. */
function locate(old, start, end, current) {
  const target = squeezed(old.slice(start, end)).text;
  for (const [before, after] of [
    [80, 80],
    [40, 40],
    [20, 20],
    [40, 0],
    [0, 40],
    [10, 10],
    [0, 10],
    [10, 0],
    [0, 0],
  ]) {
    const left = before ? squeezed(old.slice(Math.max(0, start - before * 3), start)).text.slice(-before) : '';
    const right = squeezed(old.slice(end, end + after * 3)).text.slice(0, after);
    const needle = left + target + right;
    const at = current.text.indexOf(needle);
    if (at === -1 || current.text.indexOf(needle, at + 1) !== -1) continue;
    const from = at + left.length;
    return [current.from[from], current.from[from + target.length - 1] + 1];
  }
  return undefined;
}

const scratch = values.apply ? mkdtempSync(join(tmpdir(), 'mutation-survivors-')) : undefined;
if (scratch) {
  cpSync(join(root, 'build'), join(scratch, 'build'), { recursive: true });
  // The adapters' tests import their frameworks (koa, hono, fastify...), and some tests read files beside
  // the build (codes.test.ts reads docs/codes.md, config.test.ts scripts/generate-public-suffixes.mjs):
  // the copy finds them through links to the real ones.
  for (const shared of ['node_modules', 'docs', 'data', 'scripts', 'package.json', 'README.md']) {
    symlinkSync(join(root, shared), join(scratch, shared));
  }
}

/** The compiled test files a glob such as build/src/cli/browser-model*.test.js names, in the scratch copy. */
function testFiles(patterns) {
  return patterns.flatMap((pattern) => {
    const folder = dirname(pattern);
    const name = new RegExp(
      `^${basename(pattern)
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')}$`,
    );
    return readdirSync(join(root, folder))
      .filter((file) => name.test(file))
      .map((file) => join(scratch, folder, file));
  });
}

function passes(sourceFile, source, tests) {
  const compiled = join(scratch, 'build', sourceFile.replace(/\.ts$/, '.js'));
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  writeFileSync(compiled, js);
  return spawnSync(process.execPath, ['--test', '--test-reporter=dot', ...tests], { encoding: 'utf8' }).status === 0;
}

const counts = { killed: 0, survived: 0, lost: 0, listed: 0 };
for (const [sourceFile, { source: old, mutants }] of Object.entries(report.files)) {
  const chosen = mutants.filter((m) => statuses.has(m.status) && (ids === undefined || ids.has(String(m.id))));
  if (chosen.length === 0) continue;
  let currentSource;
  try {
    currentSource = readFileSync(join(root, sourceFile), 'utf8');
  } catch {
    console.log(`${sourceFile}: no longer exists`);
    continue;
  }
  const current = squeezed(currentSource);
  const tests = scratch ? testFiles(values.apply) : [];
  if (scratch && !passes(sourceFile, currentSource, tests)) {
    console.error(`${relative(root, sourceFile)}: the tests fail without any mutant; fix that first`);
    process.exit(1);
  }
  chosen.sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column);
  for (const m of chosen) {
    const start = offsetOf(old, m.location.start);
    const end = offsetOf(old, m.location.end);
    const place = locate(old, start, end, current);
    const line = place === undefined ? '?' : currentSource.slice(0, place[0]).split('\n').length;
    const what = `${sourceFile}:${line} #${m.id} ${m.status} ${m.mutatorName}: ${JSON.stringify(squeezed(old.slice(start, end)).text.slice(0, 100))} -> ${JSON.stringify((m.replacement ?? '').slice(0, 100))}`;
    if (!scratch) {
      counts.listed++;
      console.log(what);
      continue;
    }
    if (place === undefined) {
      counts.lost++;
      console.log(`not found  ${what}`);
      continue;
    }
    const killed = !passes(sourceFile, currentSource.slice(0, place[0]) + m.replacement + currentSource.slice(place[1]), tests);
    counts[killed ? 'killed' : 'survived']++;
    console.log(`${killed ? 'killed    ' : 'survived  '} ${what}`);
  }
}
if (scratch) rmSync(scratch, { recursive: true, force: true });
console.log(scratch ? `killed ${counts.killed}, survived ${counts.survived}, not found ${counts.lost}` : `${counts.listed} mutants`);
