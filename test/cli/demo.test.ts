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
  assert.match(run.stdout, /every verdict is the expected one \(7 checks\)/);
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
  await response.text();
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
