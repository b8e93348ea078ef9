// The published shape of the package: entry points, ESM import and CommonJS require() (the package's
// self-reference resolves through its own `exports`, as an application's import does).
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

test('require() of every entry point loads the CommonJS build: no require() of an ES module, no warning', () => {
  const entries = Object.keys(pkg.exports).filter((k) => k !== './package.json');
  const specifiers = entries.map((e) => (e === '.' ? 'corsguard' : `corsguard/${e.slice(2)}`));
  const out = run([
    '-e',
    `const files = [];
     for (const s of ${JSON.stringify(specifiers)}) files.push(require.resolve(s));
     const core = require('corsguard');
     const node = require('corsguard/node');
     const web = require('corsguard/fetch');
     console.log(JSON.stringify({ cjs: files.every((f) => f.includes('/dist/cjs/')), types: [typeof core.CorsPolicy, typeof core.CorsConfigError, typeof node.withCors, typeof node.corsMiddleware, typeof web.withCors] }));`,
  ]);
  // Node 20.19+ can require() an ES module, but prints an ExperimentalWarning; 20.0 to 20.18 cannot.
  assert.equal(out.stderr, '');
  assert.deepEqual(JSON.parse(out.stdout), { cjs: true, types: ['function', 'function', 'function', 'function', 'function'] });
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

test("a CorsConfigError from either build passes instanceof of the other build's class (the dual-package hazard)", () => {
  const out = run([
    '-e',
    `const cjs = require('corsguard');
     const caught = (CorsPolicy) => { try { new CorsPolicy({ allowOrigins: ['*'], allowCredentials: true }); } catch (e) { return e; } };
     import('corsguard').then((esm) => {
       const fromEsm = caught(esm.CorsPolicy);
       const fromCjs = caught(cjs.CorsPolicy);
       class Subclass extends cjs.CorsConfigError {}
       console.log(JSON.stringify({
         twoCopies: esm.CorsConfigError !== cjs.CorsConfigError,
         esmErrorIsCjsClass: fromEsm instanceof cjs.CorsConfigError,
         cjsErrorIsEsmClass: fromCjs instanceof esm.CorsConfigError,
         plainErrorIsNot: new Error('x') instanceof cjs.CorsConfigError || ({ problems: [] }) instanceof esm.CorsConfigError,
         subclass: [new Subclass([]) instanceof Subclass, new Subclass([]) instanceof esm.CorsConfigError, fromCjs instanceof Subclass],
       }));
     });`,
  ]);
  assert.deepEqual(
    JSON.parse(out.stdout),
    {
      twoCopies: true,
      esmErrorIsCjsClass: true,
      cjsErrorIsEsmClass: true,
      plainErrorIsNot: false,
      subclass: [true, true, false],
    },
    out.stderr,
  );
});

test('the policy imports nothing from node: (it runs on any runtime), in either build', () => {
  const out = run([
    '--input-type=module',
    '-e',
    `import { readdirSync, readFileSync } from 'node:fs';
     const bad = [];
     for (const dir of ['dist/core', 'dist/protocol', 'dist/cjs/core', 'dist/cjs/protocol']) for (const f of readdirSync(dir)) if (f.endsWith('.js') && /from ['"]node:|require\\(['"]node:/.test(readFileSync(dir + '/' + f, 'utf8'))) bad.push(dir + '/' + f);
     console.log(JSON.stringify(bad));`,
  ]);
  assert.equal(out.stdout.trim(), '[]', out.stderr);
});
