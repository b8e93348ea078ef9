import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withCors } from '../node/index.js';
import { listen } from '../../test/support/server.js';
import { runCli, type CliIo } from './cli.js';
import { colourWanted } from './style.js';

function capture(tty: boolean, env: NodeJS.ProcessEnv = {}): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    env,
    stdout: { isTTY: tty, write: (text: string) => out.push(text) },
    stderr: { isTTY: tty, write: (text: string) => err.push(text) },
  };
}

test('scan shows a progress line on a terminal only, and colours its output there', async () => {
  const server = await listen(withCors((_req, res) => res.end('ok'), { allowOrigins: ['https://app.example.com'] }));
  try {
    const tty = capture(true);
    assert.equal(await runCli(['scan', server.url, '--origin', 'https://app.example.com'], tty), 0);
    assert.match(tty.err.join(''), /\r\u001b\[Kscanning \[1\/\d+\] https:\/\/app\.example\.com/);
    assert.match(tty.err.at(-1)!, /^\r\u001b\[K$/, 'the progress line is cleared at the end');
    assert.match(tty.out.join(''), /\u001b\[32mNo findings/);
    const piped = capture(false);
    assert.equal(await runCli(['scan', server.url, '--origin', 'https://app.example.com'], piped), 0);
    assert.deepEqual(piped.err, []);
    assert.doesNotMatch(piped.out.join(''), /\u001b/);
  } finally {
    await server.close();
  }
});

test('colour: a terminal unless NO_COLOR; FORCE_COLOR wins over the terminal check; TERM=dumb is plain', () => {
  assert.equal(colourWanted({ isTTY: true }, {}), true);
  assert.equal(colourWanted({ isTTY: false }, {}), false);
  assert.equal(colourWanted({ isTTY: true }, { NO_COLOR: '1' }), false);
  assert.equal(colourWanted({ isTTY: true }, { NO_COLOR: '' }), true);
  assert.equal(colourWanted({ isTTY: false }, { FORCE_COLOR: '1' }), true);
  assert.equal(colourWanted({ isTTY: true }, { FORCE_COLOR: '0' }), false);
  assert.equal(colourWanted({ isTTY: true }, { TERM: 'dumb' }), false);
});

test('help and usage: exit 0 for --help, 2 with no command', async () => {
  const help = capture(false);
  assert.equal(await runCli(['--help'], help), 0);
  assert.match(help.out.join(''), /check <url> --origin <origin>/);
  for (const command of ['check', 'scan', 'demo']) {
    const io = capture(false);
    assert.equal(await runCli([command, '--help'], io), 0);
    assert.match(io.out.join(''), new RegExp(`Usage: corsguard ${command}`));
  }
  const none = capture(false);
  assert.equal(await runCli([], none), 2);
  assert.match(none.err.join(''), /Usage: corsguard <command>/);
});
