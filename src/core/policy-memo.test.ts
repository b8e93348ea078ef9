/**
 * The policy remembers decisions on origins (patterns and regex) and on
 * Access-Control-Request-Headers values. These tests make sure that remembering never
 * changes an answer: past the memo's bound, on repeated and interleaved values, and never
 * for the origin predicate, whose answers may change from one request to the next.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { CorsPolicy, mergeVary, type HeaderWriter, type PreflightAnswer } from '../index.js';
import { nodeHeaderWriter } from '../node/writer.js';
import { drive } from '../../test/support/drive-policy.js';

const quiet = { onWarning: () => undefined, onError: () => undefined };

const mapWriter: HeaderWriter<Map<string, string>> = {
  set: (h, name, value) => void h.set(name.toLowerCase(), value),
  remove: (h, name) => void h.delete(name.toLowerCase()),
  appendVary: (h, tokens) => {
    const merged = mergeVary(h.get('vary'), tokens);
    if (merged !== undefined) h.set('vary', merged);
  },
};

test('pattern and regex decisions stay right for thousands of distinct origins, asked twice each', () => {
  const policy = new CorsPolicy({
    ...quiet,
    allowOrigins: ['https://*.example.com', 'http://localhost:*'],
    allowOriginRegex: /https:\/\/[a-z]+\.example\.org/,
  });
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < 3000; i++) {
      assert.equal(policy.allowsOrigin(`https://app${i}.example.com`), true);
      assert.equal(policy.allowsOrigin(`https://app${i}.example.com.evil.net`), false);
      assert.equal(policy.allowsOrigin(`http://localhost:${1000 + i}`), true);
      assert.equal(policy.allowsOrigin(`https://app${i}.example.org`), false, 'digits are outside the regex');
      assert.equal(policy.allowsOrigin(`https://App${i}.example.com`), false, 'upper case is never a serialized origin');
    }
    assert.equal(policy.allowsOrigin('https://tenant.example.org'), true);
  }
});

test('the origin predicate is asked on every request, never answered from memory', () => {
  let calls = 0;
  let answer = true;
  const policy = new CorsPolicy({
    ...quiet,
    allowOrigins: ['https://*.example.com'],
    allowOriginPredicate: (origin) => {
      calls++;
      return answer && origin === 'https://tenant.example.net';
    },
  });
  assert.equal(policy.allowsOrigin('https://tenant.example.net'), true);
  answer = false;
  assert.equal(policy.allowsOrigin('https://tenant.example.net'), false);
  assert.equal(calls, 2);
  // A value that is not an origin never reaches the predicate, remembered or not.
  assert.equal(policy.allowsOrigin('https://Tenant.example.net'), false);
  assert.equal(policy.allowsOrigin('https://Tenant.example.net'), false);
  assert.equal(calls, 2);
  // A pattern match does not ask the predicate.
  assert.equal(policy.allowsOrigin('https://a.example.com'), true);
  assert.equal(calls, 2);
});

function preflight(policy: CorsPolicy, acrh: string): { result: PreflightAnswer; headers: Map<string, string> } {
  const headers = new Map<string, string>();
  const result = drive(policy, headers, mapWriter, 'OPTIONS', 'https://app.example.com', 'PUT', acrh) as PreflightAnswer;
  return { result, headers };
}

test('request-header verdicts stay right for hundreds of distinct lists, asked twice each', () => {
  const policy = new CorsPolicy({
    ...quiet,
    allowOrigins: ['https://app.example.com'],
    allowMethods: ['PUT'],
    allowHeaders: ['Content-Type', 'X-Api-Key'],
  });
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < 600; i++) {
      const allowed = preflight(policy, `content-type,x-api-key${' '.repeat(i % 2)}`);
      assert.equal(allowed.result.allowed, true);
      assert.equal(allowed.headers.get('access-control-allow-headers'), 'content-type, x-api-key');
      const refused = preflight(policy, `content-type,x-other-${i}`);
      assert.equal(refused.result.allowed, false);
      assert.equal(refused.result.status, 200);
      assert.equal(refused.result.reason, `header x-other-${i} is not allowed`);
      assert.match(refused.result.body, /Allowed request headers: content-type, x-api-key\./);
    }
  }
  const tooLong = preflight(policy, `content-type${','.repeat(1024 * 1024)}`);
  assert.equal(tooLong.result.allowed, false);
  assert.match(tooLong.result.reason, /not a valid list of header names, or is too long/);
});

test('a denied origin still loses the CORS headers another layer set on a node response', () => {
  const policy = new CorsPolicy({ ...quiet, allowOrigins: ['https://app.example.com'], allowCredentials: true });
  const req = new IncomingMessage(new Socket());
  const res = new ServerResponse(req);
  res.setHeader('Access-Control-Allow-Origin', 'https://evil.example.net');
  res.setHeader('access-control-allow-credentials', 'true');
  drive(policy, res, nodeHeaderWriter, 'GET', 'https://evil.example.net', undefined, undefined);
  assert.equal(res.hasHeader('access-control-allow-origin'), false);
  assert.equal(res.hasHeader('access-control-allow-credentials'), false);
  assert.equal(res.getHeader('vary'), 'Origin');
});
