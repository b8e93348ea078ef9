// h3 (1 and 2) on Node and Elysia on Bun, each wrapped by corsguard/fetch in one line and run
// as the program a user would start (h3-server.ts, h3-v1-server.ts, elysia/server.ts), asked
// over loopback HTTP. docs/frameworks.md shows these files.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { BUN, startProcess } from '../runtimes/launch.js';
import type { RunningServer } from '../support/server.js';

const compiled = (name: string): string => fileURLToPath(new URL(name, import.meta.url));
const source = (name: string): string => fileURLToPath(new URL(`../../../test/recipes/${name}`, import.meta.url));

const programs: ReadonlyArray<{ name: string; start: () => Promise<RunningServer> }> = [
  { name: 'h3 2 on Node (srvx)', start: () => startProcess(process.execPath, [compiled('h3-server.js')]) },
  { name: 'h3 1 on Node (toWebHandler)', start: () => startProcess(process.execPath, [compiled('h3-v1-server.js')]) },
  { name: 'Elysia on Bun', start: () => startProcess(BUN, [source('elysia/server.ts')]) },
];

const running: RunningServer[] = [];
after(() => Promise.all(running.map((server) => server.close())));

const APP = 'https://app.example.com';

for (const { name, start } of programs) {
  test(`${name}: preflights answered by corsguard, the framework's answers carry CORS headers`, async () => {
    const server = await start();
    running.push(server);
    const base = server.url;
    const preflight = await fetch(`${base}/items`, {
      method: 'OPTIONS',
      headers: { Origin: APP, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'content-type' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), APP);
    assert.equal(preflight.headers.get('access-control-allow-methods'), 'DELETE, PUT');
    assert.equal(preflight.headers.get('access-control-allow-headers'), 'content-type');
    const refused = await fetch(`${base}/items`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'PUT' },
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.get('access-control-allow-origin'), null);

    const get = await fetch(`${base}/items`, { headers: { Origin: APP } });
    assert.deepEqual(await get.json(), [1, 2, 3]);
    assert.equal(get.headers.get('access-control-allow-origin'), APP);
    assert.equal(get.headers.get('vary'), 'Origin');
    const put = await fetch(`${base}/items`, { method: 'PUT', headers: { Origin: APP } });
    assert.deepEqual(await put.json(), { saved: true });
    assert.equal(put.headers.get('access-control-allow-origin'), APP);
    const denied = await fetch(`${base}/items`, { headers: { Origin: 'https://evil.example' } });
    assert.equal(denied.headers.get('access-control-allow-origin'), null);
    // Errors and 404s are answered by the framework itself; the browser must still read them.
    for (const [path, status] of [
      ['/forbidden', 403],
      ['/nothing', 404],
    ] as const) {
      const response = await fetch(base + path, { headers: { Origin: APP } });
      assert.equal(response.status, status, path);
      assert.equal(response.headers.get('access-control-allow-origin'), APP, path);
      assert.equal(response.headers.get('vary'), 'Origin', path);
      await response.arrayBuffer();
    }
  });
}
