import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corsCheck, evaluatePreflight, planRequest, preflightMaxAge, readableHeaders, type ResponseHead } from './browser-model.js';

const ORIGIN = 'https://app.example.com';

function head(status: number, lines: [string, string][]): ResponseHead {
  const headers: Record<string, string> = {};
  const lineCounts: Record<string, number> = {};
  for (const [name, value] of lines) {
    const lower = name.toLowerCase();
    headers[lower] = lower in headers ? `${headers[lower]}, ${value}` : value;
    lineCounts[lower] = (lineCounts[lower] ?? 0) + 1;
  }
  return { status, headers, lineCounts };
}

const ids = (problems: readonly { id: string }[]): string[] => problems.map((p) => p.id);

test('planRequest: method normalization, default Content-Type for a body, forbidden headers dropped', () => {
  const put = planRequest({ origin: ORIGIN, method: 'put', headers: [], credentials: false, body: 'x' });
  assert.equal(put.method, 'PUT');
  assert.deepEqual(put.headers, [['Content-Type', 'text/plain;charset=UTF-8']]);
  assert.deepEqual(put.preflightHeaders, [['Accept', '*/*'], ['Access-Control-Request-Method', 'PUT'], ['Origin', ORIGIN]]);
  const patch = planRequest({ origin: ORIGIN, method: 'patch', headers: [], credentials: false });
  assert.equal(patch.method, 'patch');
  const post = planRequest({ origin: ORIGIN, method: 'post', headers: [['Cookie', 'a=b'], ['Content-Type', 'text/plain']], credentials: false });
  assert.equal(post.preflight, false);
  assert.deepEqual(ids(post.problems), ['request-header-forbidden']);
  assert.deepEqual(post.headers, [['Content-Type', 'text/plain']]);
});

test('corsCheck: byte-exact origin, one value, * only without credentials, ACAC exactly true', () => {
  assert.deepEqual(corsCheck(head(200, [['Access-Control-Allow-Origin', ORIGIN]]), ORIGIN, false, 'r'), []);
  assert.deepEqual(corsCheck(head(200, [['Access-Control-Allow-Origin', '*']]), ORIGIN, false, 'r'), []);
  assert.deepEqual(corsCheck(head(200, [['Access-Control-Allow-Origin', 'null']]), 'null', false, 'r'), []);
  assert.deepEqual(ids(corsCheck(head(200, [['Access-Control-Allow-Origin', `${ORIGIN}, https://b.example`]]), ORIGIN, false, 'r')), ['allow-origin-multiple']);
  assert.deepEqual(ids(corsCheck(head(200, [['Access-Control-Allow-Origin', 'http://app.example.com:8080']]), ORIGIN, false, 'r')), ['allow-origin-mismatch']);
  assert.deepEqual(ids(corsCheck(head(200, [['Access-Control-Allow-Origin', 'https://app.example.com:8443']]), ORIGIN, false, 'r')), ['allow-origin-port']);
  assert.deepEqual(ids(corsCheck(head(200, [['Access-Control-Allow-Origin', 'null']]), ORIGIN, false, 'r')), ['allow-origin-mismatch']);
  const credentialed = (acac: [string, string][]): string[] =>
    ids(corsCheck(head(200, [['Access-Control-Allow-Origin', ORIGIN], ...acac]), ORIGIN, true, 'r'));
  assert.deepEqual(credentialed([['Access-Control-Allow-Credentials', 'true']]), []);
  assert.deepEqual(credentialed([['Access-Control-Allow-Credentials', 'true'], ['Access-Control-Allow-Credentials', 'true']]), ['allow-credentials-not-true']);
  assert.deepEqual(credentialed([]), ['allow-credentials-missing']);
});

test('evaluatePreflight: ok status, lists, wildcards and Authorization', () => {
  const page = { origin: ORIGIN, method: 'DELETE', headers: [['Authorization', 'x'], ['X-A', '1']] as [string, string][], credentials: false };
  const plan = planRequest(page);
  const base: [string, string][] = [['Access-Control-Allow-Origin', ORIGIN]];
  const run = (status: number, lines: [string, string][], credentials = false): string[] =>
    ids(evaluatePreflight(plan, { ...page, credentials }, head(status, [...base, ...lines]), ['chromium']).problems);
  assert.deepEqual(run(204, [['Access-Control-Allow-Methods', 'DELETE'], ['Access-Control-Allow-Headers', 'authorization, X-A']]), []);
  assert.deepEqual(run(204, [['Access-Control-Allow-Methods', '*'], ['Access-Control-Allow-Headers', '*, Authorization']]), []);
  assert.deepEqual(run(204, [['Access-Control-Allow-Methods', '*'], ['Access-Control-Allow-Headers', '*']]), ['authorization-wildcard']);
  assert.deepEqual(run(204, [['Access-Control-Allow-Methods', 'delete'], ['Access-Control-Allow-Headers', 'authorization,x-a']]), ['method-case-mismatch']);
  assert.deepEqual(run(204, [['Access-Control-Allow-Methods', 'DELETE'], ['Access-Control-Allow-Headers', 'authorization,x-a,']]), []);
  assert.deepEqual(run(204, [['Access-Control-Allow-Methods', 'DELETE'], ['Access-Control-Allow-Headers', 'authorization x-a']]), ['allow-headers-malformed']);
  assert.deepEqual(run(302, [['Access-Control-Allow-Methods', 'DELETE']]), ['preflight-redirect']);
  assert.deepEqual(run(204, [['Access-Control-Allow-Origin', ORIGIN]]), ['allow-origin-multiple']);
});

test('max-age: one line of digits, else 5 seconds; each engine caps it', () => {
  assert.equal(preflightMaxAge(head(204, [['Access-Control-Max-Age', '600']])), 600);
  assert.equal(preflightMaxAge(head(204, [['Access-Control-Max-Age', '-1']])), undefined);
  assert.equal(preflightMaxAge(head(204, [['Access-Control-Max-Age', '6'], ['Access-Control-Max-Age', '6']])), undefined);
  const plan = planRequest({ origin: ORIGIN, method: 'PUT', headers: [], credentials: false });
  const verdict = evaluatePreflight(plan, { origin: ORIGIN, method: 'PUT', headers: [], credentials: false },
    head(204, [['Access-Control-Allow-Origin', '*'], ['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Max-Age', '86400']]),
    ['firefox']);
  assert.deepEqual(verdict.cacheSeconds, { chromium: 7200, firefox: 86400, webkit: 600 });
  assert.deepEqual(ids(verdict.problems), []);
});

test('readable headers: safelisted, exposed, * only without credentials, never Set-Cookie', () => {
  const response = head(200, [['Access-Control-Expose-Headers', '*'], ['X-A', '1'], ['Set-Cookie', 's=1']]);
  const anonymous = readableHeaders(response, false, ['X-A', 'content-type', 'Set-Cookie']);
  assert.deepEqual(anonymous.access.map((a) => a.readable), [true, true, false]);
  assert.deepEqual(ids(anonymous.problems), ['header-never-exposed']);
  const credentialed = readableHeaders(response, true, ['X-A']);
  assert.deepEqual(ids(credentialed.problems), ['expose-wildcard-credentials']);
});
