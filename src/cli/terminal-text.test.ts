import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forTerminal, jsonForTerminal } from './terminal-text.js';

/** Code units a terminal must never receive from a server, by their own definition. */
function mustEscape(code: number): boolean {
  return (
    code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0x200e ||
    code === 0x200f ||
    code === 0x061c ||
    code === 0x2028 ||
    code === 0x2029
  );
}

test('forTerminal: every C0 control, DEL, C1 control and bidi control is shown as an escape, and nothing else changes', () => {
  for (let code = 0; code <= 0xffff; code++) {
    const c = String.fromCharCode(code);
    const out = forTerminal(`a${c}b`);
    if (mustEscape(code)) {
      const escaped = code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
      assert.equal(out, `a${escaped}b`, `U+${code.toString(16)}`);
    } else {
      assert.equal(out, `a${c}b`, `U+${code.toString(16)}`);
    }
  }
});

test('forTerminal: the sequences a hostile server sends come out inert and on one line', () => {
  const attacks = [
    '\u001b]0;pwned\u0007', // OSC 0: window title
    '\u001b]52;c;cm0gLXJmIH4=\u001b\\', // OSC 52: clipboard
    '\u001b[2A\u001b[2K', // CSI: cursor up, erase line
    '\u001b[8mhidden\u001b[0m', // SGR 8: hidden text
    '\u009b2J\u009d0;t\u009c', // C1 CSI, OSC, ST
    'ok\r\nVerdict: ALLOWED', // a line of its own
    '\u202eDELLOWA :tcidreV\u202c\u2066x\u2069', // bidi override and isolate
  ];
  for (const attack of attacks) {
    const out = forTerminal(attack);
    for (let i = 0; i < out.length; i++) assert.ok(!mustEscape(out.charCodeAt(i)), `${JSON.stringify(attack)} -> ${out}`);
  }
  assert.equal(forTerminal('ok\r\nVerdict: ALLOWED'), 'ok\\x0d\\x0aVerdict: ALLOWED');
  assert.equal(forTerminal('\u001b[8mhidden'), '\\x1b[8mhidden');
  assert.equal(forTerminal('\u202eabc'), '\\u202eabc');
});

test('forTerminal: ordinary text, Latin-1 letters, other scripts and emoji are left as they are', () => {
  for (const text of ['', 'https://app.example.com', 'Forbidden', 'café ÿ', '日本語', 'שלום', '😀 a\\x1b b']) {
    assert.equal(forTerminal(text), text);
  }
});

test('forTerminal: one pass over a long value; the result is at most six times as long', () => {
  const long = '\u202e'.repeat(100_000);
  assert.equal(forTerminal(long).length, 600_000);
  assert.equal(forTerminal('\u001b'.repeat(100_000)).length, 400_000);
});

test('jsonForTerminal: parses back to the same raw values, and no control, C1 or bidi character is in the text', () => {
  const value = {
    reason: 'Forbidden\u001b]0;pwned\u0007',
    header: 'x\u009b2J\u0085\u007f',
    bidi: '\u202eabc\u2066\u2069\u200f',
    lines: 'a\r\nb\u2028c',
    plain: 'café 日本語 😀',
  };
  const text = jsonForTerminal(value);
  assert.deepEqual(JSON.parse(text), value);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    assert.ok(code === 0x0a || !mustEscape(code), `U+${code.toString(16)} at ${i}`);
  }
  assert.equal(jsonForTerminal({ a: 1 }), JSON.stringify({ a: 1 }, null, 2));
});
