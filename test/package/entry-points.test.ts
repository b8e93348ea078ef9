// The published shape of the package: entry points, ESM import and CommonJS require().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as {
  dependencies?: Record<string, string>;
  exports: Record<string, unknown>;
};

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('the library has zero runtime dependencies', () => {
  assert.deepEqual(Object.keys(pkg.dependencies ?? {}), []);
});

test("require('corsguard') works (Node >= 20.19 loads the ES modules synchronously)", () => {
  const out = run([
    '-e',
    `const core = require('corsguard');
     const node = require('corsguard/node');
     const web = require('corsguard/fetch');
     console.log([typeof core.CorsPolicy, typeof core.CorsConfigError, typeof node.withCors, typeof node.corsMiddleware, typeof web.withCors].join(','));`,
  ]);
  assert.equal(out.stderr.replace(/.*ExperimentalWarning.*\n?|.*--trace-warnings.*\n?/g, ''), '');
  assert.equal(out.stdout.trim(), 'function,function,function,function,function');
});

test('import works for every entry point', () => {
  const entries = Object.keys(pkg.exports).filter((k) => k !== './package.json');
  const specifiers = entries.map((e) => (e === '.' ? 'corsguard' : `corsguard/${e.slice(2)}`));
  const out = run([
    '--input-type=module',
    '-e',
    `for (const s of ${JSON.stringify(specifiers)}) { const m = await import(s); if (Object.keys(m).length === 0) throw new Error(s + ' exports nothing'); } console.log('ok');`,
  ]);
  assert.equal(out.stdout.trim(), 'ok', out.stderr);
});

test('a CorsConfigError thrown through require() is the exported class', () => {
  const out = run([
    '-e',
    `const { CorsPolicy, CorsConfigError } = require('corsguard');
     try { new CorsPolicy({ allowOrigins: ['*'], allowCredentials: true }); } catch (e) { console.log(e instanceof CorsConfigError, e.problems[0].code); }`,
  ]);
  assert.equal(out.stdout.trim(), 'true wildcard-origin-with-credentials');
});

test('the engine imports nothing from node: (it runs on any runtime)', () => {
  const out = run([
    '--input-type=module',
    '-e',
    `import { readdirSync, readFileSync } from 'node:fs';
     const bad = [];
     for (const dir of ['dist/core', 'dist/spec']) for (const f of readdirSync(dir)) if (f.endsWith('.js') && /from ['"]node:/.test(readFileSync(dir + '/' + f, 'utf8'))) bad.push(dir + '/' + f);
     console.log(JSON.stringify(bad));`,
  ]);
  assert.equal(out.stdout.trim(), '[]', out.stderr);
});
