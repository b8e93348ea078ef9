/**
 * The packed tarball, installed with a plain `npm install` into fresh projects of each kind a user has,
 * serving a real request over loopback: a CommonJS app (`require`), an ES module app (`import`),
 * TypeScript under every `module`/`moduleResolution` setting, and Jest with ts-jest (NestJS's setup).
 * The tools (typescript, jest, a framework) are this repository's, linked into each project.
 *
 * CORSGUARD_NODES=/path/to/node:/path/to/other/node also runs the CommonJS and ES module apps on those
 * Node.js binaries (e.g. 20.0.0, the oldest that package.json `engines` admits, which cannot require()
 * an ES module at all).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consumerProject, entryPoints, linkFromRepository, pack, run } from './packed.js';

/** The longest one step (an install, a compilation, a run) may take; a loaded 2-core machine needs most of it. */
const STEP_MS = 90_000;
const base = mkdtempSync(join(tmpdir(), 'corsguard-install-'));
let tarball = '';
const nodes = [process.execPath, ...(process.env['CORSGUARD_NODES'] ?? '').split(':').filter((path) => path !== '')];

before(async () => {
  tarball = (await pack(base)).tarball;
});
after(() => rmSync(base, { recursive: true, force: true }));

/** What a request to an app made with corsguard observed, as the consumer programs below print it. */
interface Observed {
  exported?: Record<string, string[]>;
  preflight: { status: number; allowOrigin: string | null; allowMethods: string | null };
  actual: { status: number; allowOrigin: string | null; vary: string | null };
  configError: string | false;
  /** corsguard/testing's verdict for the same PUT, simulated in-process. */
  simulated: { allowed: boolean; preflight: boolean; status: number | null };
}

function assertCors(observed: Observed): void {
  assert.deepEqual(observed.preflight, { status: 204, allowOrigin: 'https://app.example', allowMethods: 'PUT' });
  assert.equal(observed.actual.status, 200);
  assert.equal(observed.actual.allowOrigin, 'https://app.example');
  assert.match(observed.actual.vary ?? '', /Origin/i);
  // The error is caught with `instanceof CorsConfigError` of the same entry point the app loaded.
  assert.equal(observed.configError, 'wildcard-origin-with-credentials');
  assert.deepEqual(observed.simulated, { allowed: true, preflight: true, status: 200 });
}

/** The request both plain-JavaScript apps send, as source text shared by their programs. */
const REQUESTS = `
async function requests(url) {
  const preflight = await fetch(url, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'PUT' } });
  const actual = await fetch(url, { method: 'PUT', headers: { origin: 'https://app.example' } });
  await actual.text();
  return {
    preflight: { status: preflight.status, allowOrigin: preflight.headers.get('access-control-allow-origin'), allowMethods: preflight.headers.get('access-control-allow-methods') },
    actual: { status: actual.status, allowOrigin: actual.headers.get('access-control-allow-origin'), vary: actual.headers.get('vary') },
  };
}
async function simulated(simulateFetch, app) {
  const verdict = await simulateFetch(app, { url: '/items', origin: 'https://app.example', method: 'PUT' }, { probes: false });
  return { allowed: verdict.allowed, preflight: verdict.preflight, status: verdict.status };
}
function configErrorCode(CorsPolicy, CorsConfigError) {
  try {
    new CorsPolicy({ allowOrigins: ['*'], allowCredentials: true });
    return false;
  } catch (error) {
    return error instanceof CorsConfigError && error.problems[0].code;
  }
}
`;

const exportedByImport: Record<string, string[]> = {};

test('ES modules: npm install runs no script of corsguard, import of every entry point, a request through corsguard/node', {
  timeout: 2 * STEP_MS,
}, async () => {
  const dir = join(base, 'esm');
  const install = await consumerProject(
    dir,
    { name: 'esm-app', type: 'module' },
    {
      'server.js': `
import { createServer } from 'node:http';
import { CorsPolicy, CorsConfigError } from 'corsguard';
import { withCors } from 'corsguard/node';
import { simulateFetch } from 'corsguard/testing';
${REQUESTS}
const exported = {};
for (const specifier of JSON.parse(process.argv[2])) exported[specifier] = Object.keys(await import(specifier)).sort();
const listener = withCors((req, res) => res.end('ok'), { allowOrigins: ['https://app.example'], allowMethods: ['PUT'] });
const server = createServer(listener);
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const observed = await requests('http://127.0.0.1:' + server.address().port + '/items');
server.close();
console.log(JSON.stringify({ exported, ...observed, configError: configErrorCode(CorsPolicy, CorsConfigError), simulated: await simulated(simulateFetch, listener) }));
`,
    },
    tarball,
  );
  // npm 11 lists packages with install-time scripts (prepare included) on every install that has them.
  assert.doesNotMatch(install.stdout + install.stderr, /corsguard@[^\n]*\((pre|post)?(install|prepare)/);
  for (const node of nodes) {
    const { stdout, stderr } = await run(node, ['server.js', JSON.stringify(entryPoints())], dir, STEP_MS);
    assert.equal(stderr, '', node);
    const observed = JSON.parse(stdout) as Observed;
    assertCors(observed);
    for (const [specifier, names] of Object.entries(observed.exported ?? {})) {
      assert.ok(names.length > 0, `${specifier} exports nothing`);
      exportedByImport[specifier] = names;
    }
    assert.deepEqual(Object.keys(exportedByImport).sort(), entryPoints().sort());
  }
});

test('CommonJS: require() of every entry point (the same exports as import), and an Express app', { timeout: 2 * STEP_MS }, async () => {
  const dir = join(base, 'cjs');
  await consumerProject(
    dir,
    { name: 'cjs-app' },
    {
      'server.js': `
const express = require('express');
const { CorsPolicy, CorsConfigError } = require('corsguard');
const { cors } = require('corsguard/express');
const { simulateFetch } = require('corsguard/testing');
${REQUESTS}
async function main() {
  const exported = {};
  for (const specifier of JSON.parse(process.argv[2])) exported[specifier] = Object.keys(require(specifier)).sort();
  const app = express();
  app.use(cors({ allowOrigins: ['https://app.example'], allowMethods: ['PUT'] }));
  app.put('/items', (req, res) => res.json({ ok: true }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const observed = await requests('http://127.0.0.1:' + server.address().port + '/items');
  server.close();
  console.log(JSON.stringify({ exported, ...observed, configError: configErrorCode(CorsPolicy, CorsConfigError), simulated: await simulated(simulateFetch, app) }));
}
main();
`,
    },
    tarball,
  );
  linkFromRepository(dir, ['express']);
  // No output on stderr: on Node 20.19+ a require() of an ES module would print an ExperimentalWarning.
  for (const node of nodes) {
    const { stdout, stderr } = await run(node, ['server.js', JSON.stringify(entryPoints())], dir, STEP_MS);
    assert.equal(stderr, '', node);
    const observed = JSON.parse(stdout) as Observed;
    assertCors(observed);
    if (Object.keys(exportedByImport).length > 0) assert.deepEqual(observed.exported, exportedByImport);
    else for (const names of Object.values(observed.exported ?? {})) assert.ok(names.length > 0);
  }
});

/** A TypeScript app that uses every entry point; its types must resolve and catch a wrong option. */
const TYPESCRIPT_APP = `
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CorsConfigError, CorsPolicy, type CorsOptions } from 'corsguard';
import { withCors } from 'corsguard/node';
import { withCors as withCorsFetch } from 'corsguard/fetch';
import { cors as expressCors } from 'corsguard/express';
import { cors as fastifyCors } from 'corsguard/fastify';
import { cors as honoCors } from 'corsguard/hono';
import { cors as koaCors } from 'corsguard/koa';
import { simulateFetch, type FetchVerdict } from 'corsguard/testing';

const options: CorsOptions = { allowOrigins: ['https://app.example'], allowMethods: ['PUT'] };
// @ts-expect-error allowOrigin is not an option (allowOrigins is): fails only if corsguard's types are in force
const misspelt: CorsOptions = { allowOrigins: ['https://app.example'], allowOrigin: 'https://app.example' };
// @ts-expect-error maxAge is a number of seconds
const maxAgeText: CorsOptions = { allowOrigins: ['https://app.example'], maxAge: '600' };
const adapters = [expressCors(options), fastifyCors, honoCors(options), koaCors(options), withCorsFetch((_request: Request) => new Response('ok'), options)];

async function main(): Promise<void> {
  const server = createServer(withCors((_req: IncomingMessage, res: ServerResponse) => res.end('ok'), options));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = \`http://127.0.0.1:\${(server.address() as AddressInfo).port}/items\`;
  const preflight = await fetch(url, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'PUT' } });
  const actual = await fetch(url, { method: 'PUT', headers: { origin: 'https://app.example' } });
  await actual.text();
  server.close();
  const verdict: FetchVerdict = await simulateFetch(withCors((_req: IncomingMessage, res: ServerResponse) => res.end('ok'), options), { url: '/items', origin: 'https://app.example', method: 'PUT' }, { probes: false });
  // @ts-expect-error credentials takes fetch()'s words ('include'), not a boolean
  const wrongCredentials = () => simulateFetch(withCorsFetch((_request: Request) => new Response('ok'), options), { url: '/', origin: 'https://app.example', credentials: true });
  let configError: string | false = false;
  try {
    new CorsPolicy({ allowOrigins: ['*'], allowCredentials: true });
  } catch (error) {
    if (error instanceof CorsConfigError) configError = error.problems[0]?.code ?? false;
  }
  console.log(JSON.stringify({
    preflight: { status: preflight.status, allowOrigin: preflight.headers.get('access-control-allow-origin'), allowMethods: preflight.headers.get('access-control-allow-methods') },
    actual: { status: actual.status, allowOrigin: actual.headers.get('access-control-allow-origin'), vary: actual.headers.get('vary') },
    configError,
    simulated: { allowed: verdict.allowed, preflight: verdict.preflight, status: verdict.status },
    unused: [misspelt, maxAgeText, adapters, wrongCredentials].length,
  }));
}
void main();
`;

/**
 * Each TypeScript setting users have, in a project of the matching package type. `skipLibCheck` and
 * `esModuleInterop` are on, as in the templates of tsc --init, NestJS and Vite (Fastify's own types need
 * the latter under commonjs); corsguard's types still decide both `@ts-expect-error` lines of the app.
 */
const TYPESCRIPT_SETTINGS: { project: 'commonjs' | 'module'; name: string; module: string; moduleResolution?: string; runs?: true }[] = [
  // `module: commonjs` alone (NestJS's tsconfig) implies moduleResolution node10, which ignores `exports`.
  { project: 'commonjs', name: 'commonjs', module: 'commonjs', runs: true },
  { project: 'commonjs', name: 'node16', module: 'node16' },
  { project: 'commonjs', name: 'nodenext', module: 'nodenext' },
  { project: 'module', name: 'node16', module: 'node16' },
  { project: 'module', name: 'nodenext', module: 'nodenext', runs: true },
  { project: 'module', name: 'bundler', module: 'esnext', moduleResolution: 'bundler' },
];

for (const type of ['commonjs', 'module'] as const) {
  test(`TypeScript in a "type": "${type}" project: the types resolve under every setting, and the compiled app serves`, {
    timeout: 4 * STEP_MS,
    concurrency: true,
  }, async (t) => {
    const dir = join(base, `typescript-${type}`);
    const settings = TYPESCRIPT_SETTINGS.filter((s) => s.project === type);
    const tsconfigs: Record<string, string> = {};
    for (const s of settings) {
      const compilerOptions = {
        module: s.module,
        moduleResolution: s.moduleResolution,
        target: 'es2022',
        strict: true,
        esModuleInterop: true,
        skipLibCheck: true,
        types: ['node'],
        outDir: `out-${s.name}`,
      };
      tsconfigs[`tsconfig.${s.name}.json`] = JSON.stringify({ compilerOptions, files: ['app.ts'] }, null, 2);
    }
    await consumerProject(dir, { name: `typescript-${type}-app`, type }, { 'app.ts': TYPESCRIPT_APP, ...tsconfigs }, tarball);
    // The framework adapters' declarations name the frameworks' types, as a user of those adapters has them.
    linkFromRepository(dir, ['typescript', '@types/node', 'fastify', 'hono']);
    const tsc = join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
    const setting = (s: (typeof settings)[number]) =>
      `module ${s.module}${s.moduleResolution === undefined ? '' : `, moduleResolution ${s.moduleResolution}`}`;
    await Promise.all(
      settings.map((s) =>
        t.test(setting(s), async () => {
          // An unresolved import is TS2307; types resolved to `any` leave a @ts-expect-error unused (TS2578).
          await run(process.execPath, [tsc, '-p', `tsconfig.${s.name}.json`, ...(s.runs ? [] : ['--noEmit'])], dir, STEP_MS);
          if (s.runs) {
            const { stdout, stderr } = await run(process.execPath, [`out-${s.name}/app.js`], dir, STEP_MS);
            assert.equal(stderr, '');
            assertCors(JSON.parse(stdout) as Observed);
          }
        }),
      ),
    );
  });
}

test("Jest with ts-jest (CommonJS, NestJS's default): a test that sends a real request through Express passes", {
  timeout: 3 * STEP_MS,
}, async () => {
  const dir = join(base, 'jest');
  await consumerProject(
    dir,
    { name: 'jest-app', jest: { preset: 'ts-jest', testEnvironment: 'node' } },
    {
      'tsconfig.json': JSON.stringify({
        compilerOptions: { module: 'commonjs', target: 'es2022', strict: true, esModuleInterop: true, types: ['node'] },
      }),
      'test/cors.test.ts': `
import { describe, expect, test } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { CorsConfigError } from 'corsguard';
import { cors } from 'corsguard/express';
import { expectAllowed, expectBlocked, simulateFetch } from 'corsguard/testing';

describe('corsguard/express', () => {
  test('answers a preflight from an allowed origin', async () => {
    const app = express();
    app.use(cors({ allowOrigins: ['https://app.example'], allowMethods: ['PUT'] }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = \`http://127.0.0.1:\${(server.address() as AddressInfo).port}/items\`;
    const preflight = await fetch(url, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'PUT' } });
    await new Promise((resolve) => server.close(resolve));
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('PUT');
  });

  test('corsguard/testing: a PUT from the allowed origin is allowed in every engine, from another blocked', async () => {
    const app = express();
    app.use(cors({ allowOrigins: ['https://app.example'], allowMethods: ['PUT'] }));
    app.put('/items', (_req, res) => res.json({ ok: true }));
    const verdict = await simulateFetch(app, { url: '/items', origin: 'https://app.example', method: 'PUT' });
    expectAllowed(verdict);
    expect(verdict.preflight).toBe(true);
    expectBlocked(await simulateFetch(app, { url: '/items', origin: 'https://evil.example', method: 'PUT' }), 'allow-origin-missing');
  });

  test('refuses "*" with credentials at startup', () => {
    expect(() => cors({ allowOrigins: ['*'], allowCredentials: true })).toThrow(CorsConfigError);
  });
});
`,
    },
    tarball,
  );
  linkFromRepository(dir, ['jest', 'ts-jest', '@jest/globals', 'typescript', '@types/node', 'express', '@types/express']);
  const jest = join(dir, 'node_modules', 'jest', 'bin', 'jest.js');
  const { stderr } = await run(process.execPath, [jest, '--ci', '--cacheDirectory', join(dir, '.jest-cache')], dir, 2 * STEP_MS);
  assert.match(stderr, /Tests:\s+3 passed, 3 total/);
});
