import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { craftProbes, guessDomain, preflightGrant, type ProbeResult } from './scan.js';

test("the probes for https://www.example.com include CORScanner's origins", () => {
  const origins = craftProbes('https://www.example.com', guessDomain('www.example.com')).map((p) => p.origin);
  for (const expected of [
    'null',
    'https://www.example.com.attacker.example',
    'https://attackerexample.com',
    'https://xample.com',
    'https://wwwxexample.com',
    'https://www.examplexcom',
    'https://www.example.com_.attacker.example',
    'https://www.example.com%60.attacker.example',
    'https://corsguard-probe.github.io',
    'https://codepen.io',
    'http://www.example.com',
    'https://corsguard-probe.www.example.com',
  ]) {
    assert.ok(origins.includes(expected), expected);
  }
  assert.ok(!origins.includes('https://www.example.com'), 'never the trusted origin itself');
});

test('guessDomain: the last two labels, or the host itself for addresses', () => {
  assert.equal(guessDomain('api.app.example.com'), 'example.com');
  assert.equal(guessDomain('localhost'), 'localhost');
  assert.equal(guessDomain('127.0.0.1'), '127.0.0.1');
});

describe('preflightGrant: what a preflight answer lets a crafted origin send, as a browser decides', () => {
  const answer = (headers: Partial<ProbeResult>): ProbeResult => ({
    class: 'origin-reflected',
    request: 'preflight',
    origin: 'https://attacker.example',
    status: 204,
    allowOrigin: 'https://attacker.example',
    allowCredentials: true,
    allowMethods: undefined,
    allowHeaders: undefined,
    vary: true,
    ...headers,
  });
  const grant = (headers: Partial<ProbeResult>): [string[], string[]] | undefined => {
    const g = preflightGrant(answer(headers), 'PUT');
    return g && [[...g.methods], [...g.headers]];
  };

  test('listed non-simple methods and requested headers (names compared case-insensitively)', () => {
    assert.deepEqual(grant({ allowMethods: 'GET, DELETE, PUT', allowHeaders: 'Content-Type, X-Other' }), [
      ['DELETE', 'PUT'],
      ['content-type'],
    ]);
  });
  test("'*' grants only without credentials, and never Authorization", () => {
    assert.equal(grant({ allowMethods: '*', allowHeaders: '*' }), undefined);
    assert.deepEqual(grant({ allowCredentials: false, allowMethods: '*', allowHeaders: '*' }), [
      ['PUT'],
      ['content-type', 'x-corsguard-probe'],
    ]);
  });
  test('nothing beyond a simple request, a refused origin, a non-2xx status or a malformed list grants nothing', () => {
    assert.equal(grant({ allowMethods: 'GET, POST' }), undefined);
    assert.equal(grant({ allowMethods: 'put, delete' }), undefined, 'fetch() sends PUT and DELETE upper-cased');
    assert.equal(grant({ allowOrigin: 'https://app.example.com', allowMethods: 'PUT' }), undefined);
    assert.equal(grant({ allowOrigin: '*', allowMethods: 'PUT' }), undefined);
    assert.equal(grant({ status: 403, allowMethods: 'PUT' }), undefined);
    assert.equal(grant({ allowMethods: 'PUT; DELETE' }), undefined);
    assert.equal(grant({ request: 'actual', allowMethods: 'PUT' }), undefined);
  });
});
