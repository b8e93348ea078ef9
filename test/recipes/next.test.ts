// Next.js App Router with corsguard, built and served for real: the app in ./next (route
// handlers made with corsRoutes, and proxy.ts) is copied to build/recipes/next-app, built with
// `next build` (which also type-checks the route exports against Next's own rules) and served
// with `next start` on a loopback port, then asked over HTTP. docs/frameworks.md shows these files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const appDir = join(root, 'build/recipes/next-app');
const next = join(root, 'node_modules/next/dist/bin/next');
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NO_COLOR: '1' };
/** Guards against a hang, not measurements: `next build` takes about a minute here. */
const BUILD_LIMIT_MS = 600_000;
const START_LIMIT_MS = 60_000;

const APP = 'https://app.example.com';
let base = '';
let server: ChildProcess | undefined;

before(async () => {
  rmSync(appDir, { recursive: true, force: true });
  cpSync(join(root, 'test/recipes/next'), appDir, { recursive: true });
  // The app imports corsguard by its name, as an installed package: package.json and dist/
  // (built by `npm test`), copied rather than linked so that nothing under build/ loops back.
  const installed = join(appDir, 'node_modules/corsguard');
  mkdirSync(installed, { recursive: true });
  cpSync(join(root, 'package.json'), join(installed, 'package.json'));
  cpSync(join(root, 'dist'), join(installed, 'dist'), { recursive: true });
  await promisify(execFile)(process.execPath, [next, 'build'], { cwd: appDir, env, timeout: BUILD_LIMIT_MS }).catch(
    (error: { stdout?: string; stderr?: string }) => {
      throw new Error(`next build failed:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
    },
  );
  base = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [next, 'start', '-p', '0', '-H', '127.0.0.1'], {
      cwd: appDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server = child;
    let output = '';
    const timer = setTimeout(() => reject(new Error(`next start did not print its URL:\n${output}`)), START_LIMIT_MS);
    const read = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => reject(new Error(`next start exited with ${code}:\n${output}`)));
  });
});

after(async () => {
  if (server !== undefined && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server.kill();
    await exited;
  }
});

const preflight = (origin: string, method = 'PUT') => ({
  method: 'OPTIONS',
  headers: { Origin: origin, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': 'content-type' },
});

test('Next.js route handlers from corsRoutes: preflights answered by corsguard, every method with CORS headers', async () => {
  const allowed = await fetch(`${base}/api/items`, preflight(APP));
  assert.equal(allowed.status, 204);
  assert.equal(allowed.headers.get('access-control-allow-origin'), APP);
  assert.equal(allowed.headers.get('access-control-allow-methods'), 'DELETE, PUT');
  assert.equal(allowed.headers.get('access-control-allow-headers'), 'content-type');
  const refused = await fetch(`${base}/api/items`, preflight('https://evil.example'));
  assert.equal(refused.status, 403);
  assert.equal(refused.headers.get('access-control-allow-origin'), null);
  await refused.arrayBuffer();
  const plainOptions = await fetch(`${base}/api/items`, { method: 'OPTIONS' });
  assert.equal(plainOptions.status, 204);
  assert.equal(plainOptions.headers.get('allow'), 'GET, PUT, OPTIONS');

  const get = await fetch(`${base}/api/items`, { headers: { Origin: APP } });
  assert.deepEqual(await get.json(), [1, 2, 3]);
  assert.equal(get.headers.get('access-control-allow-origin'), APP);
  assert.match(get.headers.get('vary') ?? '', /\bOrigin\b/);
  const put = await fetch(`${base}/api/items`, {
    method: 'PUT',
    headers: { Origin: APP, 'Content-Type': 'application/json' },
    body: '{"name":"x"}',
  });
  assert.deepEqual(await put.json(), { saved: { name: 'x' } });
  assert.equal(put.headers.get('access-control-allow-origin'), APP);
  const denied = await fetch(`${base}/api/items`, { headers: { Origin: 'https://evil.example' } });
  assert.equal(denied.headers.get('access-control-allow-origin'), null);
  await denied.arrayBuffer();
});

test("Next.js corsRoutes: a dynamic route gets Next's { params }, and its preflight is answered", async () => {
  const item = await fetch(`${base}/api/items/42`, { headers: { Origin: APP } });
  assert.deepEqual(await item.json(), { id: '42' });
  assert.equal(item.headers.get('access-control-allow-origin'), APP);
  const allowed = await fetch(`${base}/api/items/42`, preflight(APP, 'DELETE'));
  assert.equal(allowed.status, 204);
  assert.equal(allowed.headers.get('access-control-allow-origin'), APP);
  const deleted = await fetch(`${base}/api/items/42`, { method: 'DELETE', headers: { Origin: APP } });
  assert.deepEqual(await deleted.json(), { deleted: '42' });
  assert.equal(deleted.headers.get('access-control-allow-origin'), APP);
});

test('Next.js: a route module without an OPTIONS export has its preflights answered by Next, without CORS headers', async () => {
  // Why corsRoutes exports OPTIONS: withCors on GET alone never sees the preflight.
  const response = await fetch(`${base}/api/get-only`, preflight(APP));
  assert.equal(response.status, 204);
  assert.equal(response.headers.get('access-control-allow-origin'), null);
  const get = await fetch(`${base}/api/get-only`, { headers: { Origin: APP } });
  assert.equal(get.headers.get('access-control-allow-origin'), APP);
  await get.arrayBuffer();
});

test('Next.js proxy.ts with withCors(() => NextResponse.next()): preflights answered, routes and 404s get CORS headers', async () => {
  const allowed = await fetch(`${base}/proxied`, preflight(APP));
  assert.equal(allowed.status, 204);
  assert.equal(allowed.headers.get('access-control-allow-origin'), APP);
  assert.equal(allowed.headers.get('access-control-allow-methods'), 'DELETE, PUT');
  const refused = await fetch(`${base}/proxied`, preflight('https://evil.example'));
  assert.equal(refused.status, 403);
  assert.equal(refused.headers.get('access-control-allow-origin'), null);
  await refused.arrayBuffer();

  const get = await fetch(`${base}/proxied`, { headers: { Origin: APP } });
  assert.deepEqual(await get.json(), { proxied: true });
  assert.equal(get.headers.get('access-control-allow-origin'), APP);
  assert.match(get.headers.get('vary') ?? '', /\bOrigin\b/);
  const denied = await fetch(`${base}/proxied`, { headers: { Origin: 'https://evil.example' } });
  assert.equal(denied.headers.get('access-control-allow-origin'), null);
  await denied.arrayBuffer();

  // Next's own 404 page keeps Allow-Origin but replaces Vary with its own (docs/frameworks.md
  // says so); the page is sent `Cache-Control: private, no-store`, so no shared cache keeps it.
  const missing = await fetch(`${base}/proxied/nothing`, { headers: { Origin: APP } });
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.get('access-control-allow-origin'), APP);
  assert.doesNotMatch(missing.headers.get('vary') ?? '', /\bOrigin\b/, 'Next now keeps Vary: Origin on its 404: update docs/frameworks.md');
  assert.match(missing.headers.get('cache-control') ?? '', /private/);
  assert.match(missing.headers.get('cache-control') ?? '', /no-store/);
  await missing.arrayBuffer();
});
