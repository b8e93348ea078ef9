// What corsguard/lambda does with the header maps a handler returns: Vary values it merges
// into, empty entries, CORS headers already right, and maps shared between requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withCors, type LambdaHttpResult } from './index.js';
import type { CorsOptions } from '../core/options.js';
import { albEvent, restApiEvent } from './test-support/events.js';

const APP = 'https://app.example.com';
const context = {};
const get = { method: 'GET', headers: [['Origin', APP]] as Array<[string, string]> };

function wrap(result: () => unknown, extra: Partial<CorsOptions> = {}) {
  const warnings: string[] = [];
  const handler = withCors(result, { allowOrigins: [APP], onWarning: (w) => warnings.push(`${w.code}: ${w.message}`), ...extra });
  return { handler, warnings };
}

test('lambda alb multi-value: a Vary with two values is merged as one list', async () => {
  const { handler } = wrap(() => ({ statusCode: 200, multiValueHeaders: { Vary: ['Accept-Encoding', 'Cookie'] }, body: '' }));
  const result = await handler(albEvent(get, true), context);
  assert.deepEqual(result.multiValueHeaders, { Vary: ['Accept-Encoding, Cookie, Origin'], 'access-control-allow-origin': [APP] });
});

test('lambda rest: Vary in both maps is merged into one', async () => {
  const { handler } = wrap(() => ({
    statusCode: 200,
    headers: { Vary: 'Accept-Encoding' },
    multiValueHeaders: { vary: ['Cookie'] },
    body: '',
  }));
  const result = await handler(restApiEvent(get), context);
  assert.deepEqual(result.headers, { Vary: 'Accept-Encoding, Cookie, Origin', 'access-control-allow-origin': APP });
  assert.deepEqual(result.multiValueHeaders, {});
});

test('lambda rest: a Vary entry left undefined or null counts as no Vary', async () => {
  for (const empty of [undefined, null]) {
    const { handler } = wrap(() => ({ statusCode: 200, headers: { Vary: empty }, multiValueHeaders: { vary: empty }, body: '' }));
    const result = await handler(restApiEvent(get), context);
    assert.equal(result.headers?.Vary, 'Origin', String(empty));
  }
});

test('lambda rest: a Vary that already names Origin is left as the handler spelled it', async () => {
  const { handler } = wrap(() => ({ statusCode: 200, headers: { vary: 'origin, Accept-Encoding' }, body: '' }));
  const result = await handler(restApiEvent(get), context);
  assert.deepEqual(result.headers, { vary: 'origin, Accept-Encoding', 'access-control-allow-origin': APP });
});

test('lambda: CORS headers the handler already set to the policy answer stay, without a warning', async () => {
  const { handler, warnings } = wrap(
    () => ({
      statusCode: 200,
      headers: { 'access-control-allow-origin': APP },
      multiValueHeaders: { 'Access-Control-Allow-Credentials': ['true'] },
      body: '',
    }),
    { allowCredentials: true },
  );
  const result = await handler(restApiEvent(get), context);
  assert.deepEqual(warnings, []);
  assert.equal(result.headers?.['access-control-allow-origin'], APP);
  assert.deepEqual(result.multiValueHeaders?.['Access-Control-Allow-Credentials'], ['true']);
  const multi = wrap(() => ({ statusCode: 200, multiValueHeaders: { 'access-control-allow-origin': [APP] }, body: '' }));
  const albResult = await multi.handler(albEvent(get, true), context);
  assert.deepEqual(multi.warnings, []);
  assert.deepEqual(albResult.multiValueHeaders?.['access-control-allow-origin'], [APP]);
});

test('lambda: no warning for a response without CORS headers', async () => {
  const { handler, warnings } = wrap(() => ({ statusCode: 200, headers: {}, body: '' }), { exposeHeaders: ['X-Id'] });
  const result = await handler(restApiEvent(get), context);
  assert.deepEqual(warnings, []);
  assert.equal(result.headers?.['access-control-expose-headers'], 'X-Id');
});

test('lambda rest: an Allow-Origin another layer set in both maps is replaced and reported with both values', async () => {
  const { handler, warnings } = wrap(() => ({
    statusCode: 200,
    headers: { 'access-control-allow-origin': '*' },
    multiValueHeaders: { 'access-control-allow-origin': ['https://other.example'] },
    body: '',
  }));
  const result = await handler(restApiEvent(get), context);
  assert.equal(result.headers?.['access-control-allow-origin'], APP);
  assert.deepEqual(result.multiValueHeaders, {});
  assert.equal(warnings.length, 1);
  assert.match(
    warnings[0]!,
    /^foreign-cors-header: another CORS layer set access-control-allow-origin: \*, https:\/\/other\.example on a response/,
  );
});

test('lambda alb multi-value: a result whose maps the handler shares is copied, headers: null dropped', async () => {
  const shared: LambdaHttpResult = {
    statusCode: 200,
    headers: null as never,
    multiValueHeaders: { 'Content-Type': ['text/plain'] },
    body: 'x',
  };
  const { handler } = wrap(() => shared);
  const result = await handler(albEvent(get, true), context);
  assert.deepEqual(result, {
    statusCode: 200,
    multiValueHeaders: { 'Content-Type': ['text/plain'], Vary: ['Origin'], 'access-control-allow-origin': [APP] },
    body: 'x',
  });
  assert.deepEqual(shared.multiValueHeaders, { 'Content-Type': ['text/plain'] });
});

test('lambda rest: multiValueHeaders: null in a result is dropped', async () => {
  const { handler } = wrap(() => ({ statusCode: 200, headers: { 'X-A': '1' }, multiValueHeaders: null, body: '' }));
  const result = await handler(restApiEvent(get), context);
  assert.deepEqual(result, { statusCode: 200, headers: { 'X-A': '1', Vary: 'Origin', 'access-control-allow-origin': APP }, body: '' });
});
