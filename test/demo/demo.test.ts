import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startDemo } from '../../src/demo/server.js';
import { verifyDemo } from '../../src/demo/verify.js';
import { DEMO_CALLS } from '../../src/demo/calls.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

test('every call of the demo page behaves as a browser expects', async () => {
  const demo = await startDemo({ apiPort: 0, webPort: 0 });
  try {
    const outcomes = await verifyDemo(demo.apiUrl, demo.frontendOrigin);
    assert.deepEqual(
      outcomes.filter((o) => !o.ok).map((o) => `${o.call.name}: ${o.detail}`),
      [],
    );
    assert.equal(outcomes.length, DEMO_CALLS.length);
    // The page itself is served, pointing at the API.
    const page = await (await fetch(demo.webUrl)).text();
    assert.match(page, new RegExp(`const API = "${demo.apiUrl}"`));
  } finally {
    await demo.close();
  }
});

test('the demo refuses an origin it does not list, so --once can fail', async () => {
  const demo = await startDemo({ apiPort: 0, webPort: 0 });
  try {
    const outcomes = await verifyDemo(demo.apiUrl, 'http://localhost:1');
    assert.ok(outcomes.every((o) => !o.ok));
  } finally {
    await demo.close();
  }
});

test('`npm run demo -- --once` exits 0 and prints every call', async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['dist/demo/main.js', '--once', '--api-port', '0', '--web-port', '0'],
    { cwd: root, encoding: 'utf8', timeout: 30_000 },
  );
  for (const call of DEMO_CALLS) assert.match(stdout, new RegExp(`ok +${call.method} ${call.path.replace(/\//g, '\\/')} `));
  assert.match(stdout, /all 6 calls behaved as a browser expects/);
});
