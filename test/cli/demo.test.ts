/** `corsguard demo`: the demo's calls checked by the CLI itself, once or until Ctrl-C. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { CLI_PATH, corsguard } from './support.js';

test('corsguard demo --once checks every call of the page and exits 0', async () => {
  const run = await corsguard(['demo', '--once', '--api-port', '0', '--web-port', '0']);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /API \(corsguard on node:http\): http:\/\/localhost:\d+/);
  assert.match(run.stdout, /ALLOWED PUT \/api\/items\/1 \(preflighted PUT with Authorization\): preflight 204, response 200/);
  assert.match(run.stdout, /ALLOWED GET \/api\/items \(exposed X-Total-Count\): response 200, X-Total-Count readable/);
  assert.match(run.stdout, /BLOCKED GET \/api\/items from https:\/\/not-listed\.example.*\[allow-origin-missing\]/);
  assert.match(run.stdout, /BLOCKED PATCH \/api\/items\/1 \(PATCH, which the API does not allow\): preflight 200 \[method-not-allowed/);
  assert.match(run.stdout, /every verdict is the expected one \(8 checks\)/);
  // The blocked call's requests, each engine's console message and explain's answer to each.
  assert.match(
    run.stdout,
    /BLOCKED PATCH \/api\/items\/1 .*:\n {4}page -> API {2}OPTIONS \/api\/items\/1 \(preflight\)\n {4}page <- API {2}200 Allow-Methods: DELETE, PUT;/,
  );
  assert.match(run.stdout, /the browser stops here, the PATCH is never sent: the preflight response does not allow method PATCH/);
  assert.match(
    run.stdout,
    /chromium: Access to fetch at 'http:\/\/localhost:\d+\/api\/items\/1' from origin 'http:\/\/localhost:\d+' has been blocked by CORS policy: Method PATCH is not allowed by Access-Control-Allow-Methods in preflight response\./,
  );
  assert.match(
    run.stdout,
    /firefox: Cross-Origin Request Blocked: .*\(Reason: Did not find method in CORS header ‘Access-Control-Allow-Methods’\)\./,
  );
  assert.match(run.stdout, /webkit: Method PATCH is not allowed by Access-Control-Allow-Methods\./);
  for (const engine of ['chromium', 'firefox', 'webkit']) {
    assert.match(
      run.stdout,
      new RegExp(`${engine}'s line: the preflight failed; most likely method-not-allowed \\(fix: add the method to allowMethods\\)`),
    );
  }
  assert.match(
    run.stdout,
    /confirm with: corsguard check 'http:\/\/localhost:\d+\/api\/items\/1' --origin 'http:\/\/localhost:\d+' --method 'PATCH'/,
  );
  assert.doesNotMatch(run.stdout, /\u001b\[/, 'plain when piped');
});

test('corsguard demo keeps serving until Ctrl-C, then stops cleanly', async () => {
  const child = spawn(process.execPath, [CLI_PATH, 'demo', '--api-port', '0', '--web-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('Press Ctrl-C to stop')) resolve();
    });
    child.on('exit', () => reject(new Error(`demo exited early: ${stdout}`)));
  });
  const page = stdout.match(/page: +(http:\/\/localhost:\d+\/)/)?.[1];
  assert.ok(page !== undefined);
  const response = await fetch(page);
  assert.equal(response.status, 200);
  // The page makes the blocked call too, and shows the diagnosis its server hands out.
  const html = await response.text();
  assert.match(html, /const BLOCKED = \{"name":"PATCH, which the API does not allow","method":"PATCH"/);
  assert.match(html, /fetch\('\/diagnosis\.json'\)/);
  const diagnosis = await (await fetch(new URL('/diagnosis.json', page))).json();
  assert.deepEqual(diagnosis.problems, ['method-not-allowed']);
  assert.deepEqual(Object.keys(diagnosis.consoleMessages), ['chromium', 'firefox', 'webkit']);
  assert.match(diagnosis.consoleMessages.chromium, /^Access to fetch at 'http:\/\/localhost:\d+\/api\/items\/1' from origin '/);
  assert.deepEqual(
    Object.values(diagnosis.explanations).map((a) => (a as { problems: { id: string }[] }).problems[0]!.id),
    ['method-not-allowed', 'method-not-allowed', 'method-not-allowed'],
  );
  assert.deepEqual(
    diagnosis.sequences.map((s: { steps: { request: string; status: number }[] }) =>
      s.steps.map((step) => `${step.request} ${step.status}`),
    ),
    [['OPTIONS /api/items/1 204', 'PUT /api/items/1 200'], ['OPTIONS /api/items/1 200']],
  );
  child.kill('SIGINT');
  assert.equal(await exited, 0);
});

test('corsguard demo with a port in use: exit 2 and a plain sentence', async () => {
  const { createServer } = await import('node:net');
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as { port: number }).port;
  try {
    const run = await corsguard(['demo', '--once', '--api-port', String(port), '--web-port', '0']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /is in use/);
  } finally {
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
  }
});
