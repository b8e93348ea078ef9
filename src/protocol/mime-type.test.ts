/**
 * "Parse a MIME type" (WHATWG MIME Sniffing) as far as a Content-Type's essence: each step the
 * standard names, with the input that shows it. A Content-Type whose essence is one of the three
 * safelisted ones keeps a request simple, so a wrong answer here skips or adds a preflight.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mimeTypeEssence } from './mime-type.js';

test('leading and trailing HTTP whitespace (TAB, LF, CR, SP) is stripped, and only that', () => {
  for (const ws of ['\t', '\n', '\r', ' ']) {
    assert.equal(mimeTypeEssence(`${ws}text/plain`), 'text/plain', `leading ${JSON.stringify(ws)}`);
    assert.equal(mimeTypeEssence(`${ws}${ws}text/plain${ws}`), 'text/plain', `around ${JSON.stringify(ws)}`);
    assert.equal(mimeTypeEssence(`text/plain${ws};charset=utf-8`), 'text/plain', `before ';' ${JSON.stringify(ws)}`);
  }
  // Form feed and vertical tab are not HTTP whitespace: not a token byte either.
  assert.equal(mimeTypeEssence('\ftext/plain'), undefined);
  assert.equal(mimeTypeEssence('\vtext/plain'), undefined);
  assert.equal(mimeTypeEssence('text/plain\f'), undefined);
});

test('the type: one or more token bytes up to the first "/"', () => {
  assert.equal(mimeTypeEssence('/plain'), undefined);
  assert.equal(mimeTypeEssence(' /plain'), undefined);
  assert.equal(mimeTypeEssence('text'), undefined);
  assert.equal(mimeTypeEssence('text '), undefined);
  assert.equal(mimeTypeEssence('te xt/plain'), undefined);
  assert.equal(mimeTypeEssence('text(/plain'), undefined);
  assert.equal(mimeTypeEssence("x!#$%&'*+-.^_`|~1/plain"), "x!#$%&'*+-.^_`|~1/plain");
});

test('the subtype: token bytes up to ";" with trailing whitespace removed, never empty', () => {
  assert.equal(mimeTypeEssence('text/'), undefined);
  assert.equal(mimeTypeEssence('text/;charset=utf-8'), undefined);
  assert.equal(mimeTypeEssence('text/ \t;charset=utf-8'), undefined);
  assert.equal(mimeTypeEssence('text/ '), undefined);
  assert.equal(mimeTypeEssence('text/pl ain'), undefined);
  assert.equal(mimeTypeEssence('text/pl(ain'), undefined);
  assert.equal(mimeTypeEssence('text/plain)'), undefined);
  assert.equal(mimeTypeEssence('text/ plain'), undefined);
  assert.equal(mimeTypeEssence('text/p'), 'text/p');
  assert.equal(mimeTypeEssence('t/p'), 't/p');
  // A second "/" is a byte of the subtype, and not a token byte.
  assert.equal(mimeTypeEssence('text/plain/x'), undefined);
});

test('parameters never make parsing fail; the essence is lower-cased', () => {
  assert.equal(mimeTypeEssence('text/plain;'), 'text/plain');
  assert.equal(mimeTypeEssence('text/plain;charset="a;b"'), 'text/plain');
  assert.equal(mimeTypeEssence('text/plain;;;(){}'), 'text/plain');
  assert.equal(mimeTypeEssence('Multipart/Form-Data; boundary=x'), 'multipart/form-data');
  assert.equal(mimeTypeEssence('APPLICATION/X-WWW-FORM-URLENCODED'), 'application/x-www-form-urlencoded');
});
