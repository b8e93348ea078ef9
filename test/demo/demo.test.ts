import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startDemo } from '../../src/demo/server.js';
import { verifyBlockedCall, verifyDemo } from '../../src/demo/verify.js';
import { BLOCKED_CALL, BLOCKED_PROBLEM, DEMO_CALLS } from '../../src/demo/calls.js';
import { diagnoseDemo } from '../../src/demo/diagnosis.js';
import { chromium } from 'playwright-core';
import { isExecutable } from '../browsers/engines.js';

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
  const { stdout } = await promisify(execFile)(process.execPath, ['dist/demo/main.js', '--once', '--api-port', '0', '--web-port', '0'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
  });
  for (const call of DEMO_CALLS) assert.match(stdout, new RegExp(`ok +${call.method} ${call.path.replace(/\//g, '\\/')} `));
  assert.match(stdout, /all 6 calls behaved as a browser expects, and the blocked one was blocked/);
  assert.match(
    stdout,
    /ok +PATCH \/api\/items\/1 \(PATCH, which the API does not allow\): blocked as expected: preflight does not allow PATCH/,
  );
  assert.match(
    stdout,
    /chromium: Access to fetch at 'http:\/\/localhost:\d+\/api\/items\/1' from origin 'http:\/\/localhost:\d+' has been blocked by CORS policy: Method PATCH is not allowed by Access-Control-Allow-Methods in preflight response\./,
  );
  assert.match(
    stdout,
    /firefox: Cross-Origin Request Blocked: .*\(Reason: Did not find method in CORS header ‘Access-Control-Allow-Methods’\)\./,
  );
  assert.match(stdout, /webkit: Method PATCH is not allowed by Access-Control-Allow-Methods\./);
  assert.match(stdout, /chromium's line: the preflight failed; most likely method-not-allowed \(fix: add the method to allowMethods\)/);
  assert.match(stdout, /page <- API {2}200 Allow-Methods: DELETE, PUT;.*\n.*the browser stops here, the PATCH is never sent/);
});

test("the blocked call: blocked at the preflight, with each engine's console message and explain's answer", async () => {
  const demo = await startDemo({ apiPort: 0, webPort: 0 });
  try {
    const blocked = await verifyBlockedCall(demo.apiUrl, demo.frontendOrigin);
    assert.equal(blocked.ok, true, blocked.detail);
    const diagnosis = await diagnoseDemo(demo.apiUrl, demo.frontendOrigin);
    assert.deepEqual(diagnosis.problems, [BLOCKED_PROBLEM]);
    assert.deepEqual(Object.keys(diagnosis.consoleMessages), ['chromium', 'firefox', 'webkit']);
    for (const engine of ['chromium', 'firefox', 'webkit'] as const) {
      const answer = diagnosis.explanations[engine]!;
      assert.equal(answer.engine, engine);
      assert.equal(answer.step, 'preflight');
      assert.equal(answer.problems[0]!.id, BLOCKED_PROBLEM);
    }
    // The sequences: the PUT that works (preflight, then the PUT), and the PATCH (preflight only).
    const [working, failing] = diagnosis.sequences;
    assert.deepEqual(
      working!.steps.map((s) => `${s.request} ${s.status}`),
      ['OPTIONS /api/items/1 204', 'PUT /api/items/1 200'],
    );
    assert.equal(working!.allowed, true);
    assert.deepEqual(
      failing!.steps.map((s) => `${s.request} ${s.status}`),
      ['OPTIONS /api/items/1 200'],
    );
    assert.equal(failing!.allowed, false);
    assert.match(failing!.stopped ?? '', /does not allow method PATCH/);
    // The page's server hands the same diagnosis to the page.
    const served = await (await fetch(new URL('/diagnosis.json', demo.webUrl))).json();
    assert.deepEqual(served.consoleMessages, diagnosis.consoleMessages);
  } finally {
    await demo.close();
  }
});

const CHROMIUM = process.env.CORSGUARD_CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Opens the demo page in Chromium and checks the six calls, the blocked one, its console message and the sequences. */
async function assertPageInChromium(webUrl: string, apiUrl: string): Promise<void> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    const printed: string[] = [];
    page.on('console', (message) => printed.push(message.text()));
    await page.goto(webUrl);
    await page.waitForFunction(() => document.title === 'corsguard demo: done', undefined, { timeout: 20_000 });
    const results = (await page.evaluate('window.demoResults')) as { name: string; ok: boolean; shown: string }[];
    assert.deepEqual(
      results.filter((r) => !r.ok),
      [],
      'the six calls work in Chromium',
    );
    const blocked = (await page.evaluate('window.demoBlocked')) as { ok: boolean; shown: string };
    assert.equal(blocked.ok, false);
    assert.match(blocked.shown, /blocked by the browser/);
    const shown = await page.locator('#console-messages .console').first().textContent();
    assert.ok(printed.includes(shown ?? ''), `the page shows ${shown}; Chromium printed ${JSON.stringify(printed)}`);
    assert.match(shown ?? '', new RegExp(`^Access to fetch at '${apiUrl}${BLOCKED_CALL.path}'`));
    assert.equal(await page.locator('#sequences svg').count(), 2);
    assert.match((await page.locator('#explain').textContent()) ?? '', /method-not-allowed/);
  } finally {
    await browser.close();
  }
}

function chromiumMissing(t: { skip(message: string): void }): boolean {
  if (isExecutable(CHROMIUM)) return false;
  if (process.env.CI === 'true') assert.fail(`Chromium not found at ${CHROMIUM}`);
  t.skip(`Chromium not found at ${CHROMIUM}`);
  return true;
}

test('in Chromium, the page shows the blocked call, the console message Chromium really prints, and the two sequences', async (t) => {
  if (chromiumMissing(t)) return;
  const demo = await startDemo({ apiPort: 0, webPort: 0 });
  try {
    await assertPageInChromium(demo.webUrl, demo.apiUrl);
  } finally {
    await demo.close();
  }
});

test('in Chromium, the page `corsguard demo` serves is the same page, with the blocked call and its diagnosis', async (t) => {
  if (chromiumMissing(t)) return;
  const child = spawn(process.execPath, ['dist/cli/main.js', 'demo', '--api-port', '0', '--web-port', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    let stdout = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('Press Ctrl-C to stop')) resolve();
      });
      child.on('exit', () => reject(new Error(`corsguard demo exited early: ${stdout}`)));
    });
    const webUrl = stdout.match(/page: +(http:\/\/localhost:\d+\/)/)?.[1];
    const apiUrl = stdout.match(/API \(corsguard on node:http\): (http:\/\/localhost:\d+)/)?.[1];
    assert.ok(webUrl !== undefined && apiUrl !== undefined, stdout);
    await assertPageInChromium(webUrl, apiUrl);
  } finally {
    child.kill('SIGINT');
    assert.equal(await exited, 0);
  }
});
