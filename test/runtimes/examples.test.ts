/**
 * Runs every example in examples/ on its runtime, as a user would after copying it, and checks
 * what a browser would see from the page https://app.example.com.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { send } from '../support/http.js';
import type { RunningServer } from '../support/server.js';
import { BUN, DENO, ROOT, bundle, denoArgs, startProcess, startWorker } from './launch.js';

const PAGE = 'https://app.example.com';

const example = (file: string): string => join(ROOT, 'examples', file);

const EXAMPLES: ReadonlyArray<{ file: string; start: () => Promise<RunningServer> }> = [
  { file: 'bun.ts', start: () => startProcess(BUN, [example('bun.ts')]) },
  { file: 'bun-hono.ts', start: () => startProcess(BUN, [example('bun-hono.ts')]) },
  { file: 'deno.ts', start: () => startProcess(DENO, denoArgs(example('deno.ts'))) },
  { file: 'deno-hono.ts', start: () => startProcess(DENO, denoArgs(example('deno-hono.ts'))) },
  { file: 'worker.js', start: () => startWorker(bundle(example('worker.js'), 'example-worker.js')) },
  { file: 'worker-hono.js', start: () => startWorker(bundle(example('worker-hono.js'), 'example-worker-hono.js')) },
];

for (const { file, start } of EXAMPLES) {
  describe(`examples/${file}`, () => {
    let server: RunningServer;
    before(async () => {
      server = await start();
    });
    after(async () => {
      await server?.close();
    });

    it('answers the preflight of a credentialed PUT with Authorization', async () => {
      const res = await send(`${server.url}/api/items`, {
        method: 'OPTIONS',
        headers: { origin: PAGE, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization, content-type' },
      });
      assert.equal(res.status, 204);
      assert.equal(res.headers['access-control-allow-origin'], PAGE);
      assert.equal(res.headers['access-control-allow-credentials'], 'true');
      assert.equal(res.headers['access-control-allow-methods'], 'DELETE, PUT');
      assert.equal(res.headers['access-control-allow-headers'], 'authorization, content-type');
      assert.equal(res.headers['access-control-max-age'], '600');
    });

    it('lets a dev server on any localhost port read the response and X-Total-Count', async () => {
      const res = await send(`${server.url}/api/items`, { headers: { origin: 'http://localhost:5173' } });
      assert.equal(res.status, 200);
      assert.deepEqual(JSON.parse(res.body), [{ id: 1, name: 'first' }]);
      assert.equal(res.headers['access-control-allow-origin'], 'http://localhost:5173');
      assert.equal(res.headers['access-control-expose-headers'], 'X-Total-Count');
      assert.equal(res.headers['x-total-count'], '1');
    });

    it('refuses other origins, and says so on preflights', async () => {
      const actual = await send(`${server.url}/api/items`, { headers: { origin: 'https://evil.example' } });
      assert.equal(actual.headers['access-control-allow-origin'], undefined);
      assert.equal(actual.headers.vary, 'Origin');
      const pre = await send(`${server.url}/api/items`, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'PUT' },
      });
      assert.equal(pre.status, 403);
      assert.match(pre.body, /origin is not allowed/);
    });

    it('keeps CORS headers on a 404', async () => {
      const res = await send(`${server.url}/api/missing`, { headers: { origin: PAGE } });
      assert.equal(res.status, 404);
      assert.equal(res.headers['access-control-allow-origin'], PAGE);
    });
  });
}
