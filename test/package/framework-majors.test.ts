// The previous majors the way a user meets them: the packed tarball installed, without flags,
// into a fresh TypeScript project on Express 4, Koa 2 and Fastify 4 (peer ranges that left them
// out made this an ERESOLVE), type-checked against those frameworks' own types, then run.
// The frameworks are pinned to the versions the repository's lockfile holds (as the aliases
// express4, koa2, fastify4), so `--prefer-offline` finds them in npm's cache.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express4 from 'express4';
import Koa2 from 'koa2';
import { cors as expressCors } from '../../src/express/index.js';
import { cors as koaCors } from '../../src/koa/index.js';

/**
 * Compile-time only, in this repository: the middleware types fit an Express 4 app and a Koa 2
 * app as `@types/express@4` and `@types/koa@2` (aliased) describe them. Fastify's plugin type
 * comes from whichever `fastify` the user has, so Fastify 4's is checked in the fresh project.
 */
export function previousMajorsAcceptTheMiddleware(): void {
  express4().use(expressCors({ allowOrigins: ['https://app.example'] }));
  new Koa2().use(koaCors({ allowOrigins: ['https://app.example'] }));
}

const root = fileURLToPath(new URL('../../..', import.meta.url));

function lockedVersion(installedAs: string): string {
  return (JSON.parse(readFileSync(join(root, 'node_modules', installedAs, 'package.json'), 'utf8')) as { version: string }).version;
}

/** What the fresh project installs beside corsguard: package@version, from the repository's copies. */
const FRESH_DEPENDENCIES = [
  `express@${lockedVersion('express4')}`,
  `koa@${lockedVersion('koa2')}`,
  `fastify@${lockedVersion('fastify4')}`,
  `@types/express@${lockedVersion('@types/express4')}`,
  `@types/koa@${lockedVersion('@types/koa2')}`,
  `@types/node@${lockedVersion('@types/node')}`,
];

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string): Run {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 240_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    // corsguard's declarations are checked too, against these frameworks' types.
    skipLibCheck: false,
    types: ['node'],
    outDir: 'out',
  },
  files: ['app.ts'],
};

/** A user's app on the three previous majors; prints what each answered. */
const APP = `
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Koa from 'koa';
import Fastify from 'fastify';
import { cors as expressCors } from 'corsguard/express';
import { cors as koaCors } from 'corsguard/koa';
import { cors as fastifyCors } from 'corsguard/fastify';

const options = { allowOrigins: ['https://app.example'], allowMethods: ['PUT'] };

const expressApp = express();
expressApp.use(expressCors(options));
expressApp.get('/', (_req, res) => {
  res.send('ok');
});

const koaApp = new Koa();
koaApp.use(koaCors(options));
koaApp.use((ctx) => {
  ctx.body = 'ok';
});

const fastifyApp = Fastify();
await fastifyApp.register(fastifyCors, options);
fastifyApp.get('/', async () => 'ok');
await fastifyApp.ready();
// Never called: the option types are checked (not any), through Fastify 4's own register().
export function typeMistakes(): void {
  // @ts-expect-error allowCredentials is a boolean
  expressCors({ allowOrigins: ['https://app.example'], allowCredentials: 'yes' });
  // @ts-expect-error maxAge is a number of seconds
  koaCors({ allowOrigins: ['https://app.example'], maxAge: '600' });
  // @ts-expect-error maxAge is a number of seconds
  void fastifyApp.register(fastifyCors, { allowOrigins: ['https://app.example'], maxAge: '600' });
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;
const listeners: Record<string, Listener> = {
  express: expressApp,
  koa: koaApp.callback(),
  fastify: (req, res) => fastifyApp.routing(req, res),
};

function send(port: number, method: string, headers: Record<string, string>): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ port, method, path: '/', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          allowOrigin: res.headers['access-control-allow-origin'] ?? null,
          allowMethods: res.headers['access-control-allow-methods'] ?? null,
          vary: res.headers.vary ?? null,
          body,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const answers: Record<string, unknown> = {};
for (const [name, listener] of Object.entries(listeners)) {
  const { createServer } = await import('node:http');
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  answers[name] = {
    preflight: await send(port, 'OPTIONS', { origin: 'https://app.example', 'access-control-request-method': 'PUT' }),
    allowed: await send(port, 'GET', { origin: 'https://app.example' }),
    denied: await send(port, 'GET', { origin: 'https://evil.example' }),
  };
  server.close();
}
await fastifyApp.close();
console.log(JSON.stringify(answers));
`;

let project: string;
let install: Run;
let typecheck: Run;

before(() => {
  project = mkdtempSync(join(tmpdir(), 'corsguard-majors-'));
  // dist/ is built by `npm test`'s pretest; packing must not rebuild it in the middle of a test run.
  const pack = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', project], root);
  assert.equal(pack.status, 0, pack.stderr);
  const tarball = join(project, (JSON.parse(pack.stdout) as Array<{ filename: string }>)[0]!.filename);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'fresh-app', private: true, type: 'module' }));
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG));
  writeFileSync(join(project, 'app.ts'), APP);
  install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, ...FRESH_DEPENDENCIES], project);
  // Type-checks app.ts and compiles it to out/app.js, which the last test runs.
  typecheck = run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project], project);
});

after(() => {
  if (project !== undefined) rmSync(project, { recursive: true, force: true });
});

test('npm install puts corsguard beside express@4, koa@2 and fastify@4 without flags (no ERESOLVE)', () => {
  assert.equal(install.status, 0, install.stderr);
  assert.doesNotMatch(install.stderr, /ERESOLVE/);
});

test('TypeScript accepts corsguard on an Express 4 app, a Koa 2 app and a Fastify 4 instance, with their own types', () => {
  assert.equal(install.status, 0, 'install failed');
  assert.equal(typecheck.status, 0, typecheck.stdout + typecheck.stderr);
});

test('from the installed package, each previous major answers the preflight, the allowed and the denied origin', () => {
  assert.equal(install.status, 0, 'install failed');
  const app = run(process.execPath, ['out/app.js'], project);
  assert.equal(app.status, 0, app.stderr);
  const answers = JSON.parse(app.stdout) as Record<string, Record<string, Record<string, unknown>>>;
  assert.deepEqual(Object.keys(answers), ['express', 'koa', 'fastify']);
  for (const [framework, answer] of Object.entries(answers)) {
    // Vary is checked only for Origin here: its full value is the conformance table's business.
    const varies = Object.values(answer).map((response) => /(^|,)\s*origin\s*(,|$)/i.test(String(response.vary)));
    assert.deepEqual(varies, [true, true, true], `${framework} Vary: ${JSON.stringify(answer)}`);
    const withoutVary = Object.fromEntries(Object.entries(answer).map(([name, { vary: _vary, ...rest }]) => [name, rest]));
    assert.deepEqual(
      withoutVary,
      {
        preflight: { status: 204, allowOrigin: 'https://app.example', allowMethods: 'PUT', body: '' },
        allowed: { status: 200, allowOrigin: 'https://app.example', allowMethods: null, body: 'ok' },
        denied: { status: 200, allowOrigin: null, allowMethods: null, body: 'ok' },
      },
      framework,
    );
  }
});
