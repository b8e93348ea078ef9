/**
 * The examples of docs/testing.md, run as written: each `<!-- example: project/file ... -->` code
 * block is written to that file of a fresh project (node:test and Vitest as ES modules, Jest with
 * ts-jest as CommonJS), which resolves `corsguard` to this repository's built package (its
 * `exports`, as an installed copy does; test/package installs the packed tarball itself) and has
 * the test tools of this repository. Each project's test runner must pass every example test.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { linkFromRepository, root } from '../package/packed.js';

const STEP_MS = 120_000;
const base = mkdtempSync(join(tmpdir(), 'corsguard-testing-docs-'));
after(() => rmSync(base, { recursive: true, force: true }));

/** The example files of docs/testing.md, by project, then by file name. */
function examples(): Map<string, Map<string, string>> {
  const text = readFileSync(join(root, 'docs', 'testing.md'), 'utf8');
  const projects = new Map<string, Map<string, string>>();
  for (const match of text.matchAll(/<!-- example: ([^>]+?) -->\n```\w*\n([\s\S]*?)\n```/g)) {
    for (const path of match[1]!.split(' ')) {
      const [project, ...file] = path.split('/');
      if (!projects.has(project!)) projects.set(project!, new Map());
      projects.get(project!)!.set(file.join('/'), `${match[2]!}\n`);
    }
  }
  return projects;
}

const projects = examples();

before(() => {
  assert.deepEqual([...projects.keys()].sort(), ['jest', 'node-test', 'vitest']);
});

/** A project with the example files, `corsguard` (this repository, built) and the named tools installed. */
function project(name: string, packageJson: object, extra: Record<string, string>, tools: readonly string[]): string {
  const dir = join(base, name);
  const files = {
    'package.json': JSON.stringify({ name: `${name}-example`, version: '1.0.0', private: true, ...packageJson }),
    ...extra,
    ...Object.fromEntries(projects.get(name)!),
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(root, join(dir, 'node_modules', 'corsguard'), 'dir');
  linkFromRepository(dir, tools);
  return dir;
}

/** Runs a test runner to its end; resolves with its exit status and output (no environment of this runner). */
function runner(args: readonly string[], cwd: string): Promise<{ code: number; output: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (key !== 'NODE_TEST_CONTEXT' && key !== 'NODE_OPTIONS' && !/^npm_/i.test(key)) env[key] = value;
  env['CI'] = '1';
  env['NO_COLOR'] = '1';
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd, env, timeout: STEP_MS, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, output: `${stdout}\n${stderr}` });
      },
    );
  });
}

test('docs/testing.md, node:test: the example tests pass', { timeout: STEP_MS + 30_000 }, async () => {
  const dir = project('node-test', { type: 'module' }, {}, ['express']);
  const { code, output } = await runner(['--test', '--test-reporter=tap', 'cors.test.js'], dir);
  assert.equal(code, 0, output);
  assert.match(output, /^# pass 3$/m, output);
  assert.match(output, /^# fail 0$/m, output);
});

test('docs/testing.md, Vitest: the example tests pass', { timeout: STEP_MS + 30_000 }, async () => {
  const dir = project('vitest', { type: 'module' }, {}, ['express', 'vitest']);
  const { code, output } = await runner([join(dir, 'node_modules', 'vitest', 'vitest.mjs'), 'run'], dir);
  assert.equal(code, 0, output);
  assert.match(output, /Tests\s+3 passed \(3\)/, output);
});

test('docs/testing.md, Jest with ts-jest (CommonJS): the example tests pass', { timeout: STEP_MS + 30_000 }, async () => {
  const tsconfig = {
    compilerOptions: { module: 'commonjs', target: 'es2022', strict: true, esModuleInterop: true, skipLibCheck: true, types: ['node'] },
  };
  const dir = project('jest', {}, { 'tsconfig.json': JSON.stringify(tsconfig) }, [
    'express',
    '@types/express',
    'jest',
    'ts-jest',
    '@jest/globals',
    'typescript',
    '@types/node',
  ]);
  const { code, output } = await runner(
    [join(dir, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', '--cacheDirectory', join(dir, '.jest-cache')],
    dir,
  );
  assert.equal(code, 0, output);
  assert.match(output, /Tests:\s+3 passed, 3 total/, output);
});
