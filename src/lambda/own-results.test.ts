// The results corsguard/lambda builds itself (preflights, 500s), field by field, and the events
// it refuses or accepts, as each source would receive them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withCors, type LambdaHttpResult } from './index.js';
import type { CorsOptions } from '../core/options.js';
import { albEvent, httpApiEvent, restApiEvent } from './test-support/events.js';

const APP = 'https://app.example.com';
const context = {};
const options: CorsOptions = { allowOrigins: [APP], allowMethods: ['PUT'], maxAge: 600 };
const preflight = {
  method: 'OPTIONS',
  headers: [
    ['Origin', APP],
    ['Access-Control-Request-Method', 'PUT'],
  ] as const,
};
const okHandler = () => ({ statusCode: 200, body: 'handler' });

test('lambda rest: an allowed preflight is exactly a 204 with the CORS headers, no body, no Content-Type, not base64', async () => {
  const result = await withCors(okHandler, options)(restApiEvent({ ...preflight, headers: [...preflight.headers] }), context);
  assert.deepEqual(result, {
    statusCode: 204,
    body: '',
    isBase64Encoded: false,
    headers: {
      Vary: 'Origin',
      'access-control-allow-origin': APP,
      'access-control-allow-methods': 'PUT',
      'access-control-max-age': '600',
    },
  });
});

test('lambda alb: a preflight answer carries the status line an ALB sends (with or without a reason phrase)', async () => {
  for (const [status, description] of [
    [204, '204 No Content'],
    [200, '200 OK'],
    [202, '202'],
  ] as const) {
    const wrapped: ReturnType<typeof withCors> = withCors(okHandler, { ...options, preflightStatus: status });
    const single: LambdaHttpResult = await wrapped(albEvent({ ...preflight, headers: [...preflight.headers] }, false), context);
    assert.equal(single.statusCode, status);
    assert.equal(single.statusDescription, description);
    const multi: LambdaHttpResult = await wrapped(albEvent({ ...preflight, headers: [...preflight.headers] }, true), context);
    assert.equal(multi.statusDescription, description);
    assert.equal(multi.headers, undefined);
    assert.deepEqual(multi.multiValueHeaders?.['access-control-allow-origin'], [APP]);
  }
});

test('lambda alb: a refused preflight is a 403 Forbidden with a plain-text explanation', async () => {
  const result = await withCors(okHandler, options)(
    albEvent(
      {
        method: 'OPTIONS',
        headers: [
          ['Origin', 'https://evil.example'],
          ['Access-Control-Request-Method', 'PUT'],
        ],
      },
      false,
    ),
    context,
  );
  assert.equal(result.statusCode, 403);
  assert.equal(result.statusDescription, '403 Forbidden');
  assert.equal(result.isBase64Encoded, false);
  assert.equal(result.headers?.['Content-Type'], 'text/plain; charset=utf-8');
  assert.equal(result.multiValueHeaders, undefined);
});

test('lambda rest: a preflight listing its headers in two Access-Control-Request-Headers lines is allowed both headers', async () => {
  const result = await withCors(okHandler, { allowOrigins: [APP], allowHeaders: ['X-A', 'X-B'] })(
    restApiEvent({
      method: 'OPTIONS',
      headers: [
        ['Origin', APP],
        ['Access-Control-Request-Method', 'POST'],
        ['Access-Control-Request-Headers', 'x-a'],
        ['Access-Control-Request-Headers', 'x-b'],
      ],
    }),
    context,
  );
  assert.equal(result.statusCode, 204);
  assert.equal(result.headers?.['access-control-allow-headers'], 'x-a, x-b');
});

test('lambda rest: a plain OPTIONS request (no Access-Control-Request-Method) reaches the handler', async () => {
  const result = await withCors(okHandler, options)(restApiEvent({ method: 'OPTIONS', headers: [['Origin', APP]] }), context);
  assert.equal(result.statusCode, 200);
  assert.equal(result.body, 'handler');
  assert.equal(result.headers?.['access-control-allow-origin'], APP);
});

test('lambda rest: a handler that throws is answered exactly: 500, plain text, CORS headers, no statusDescription', async () => {
  const result = await withCors(
    () => {
      throw new Error('boom');
    },
    { ...options, onError: () => {} },
  )(restApiEvent({ method: 'GET', headers: [['Origin', APP]] }), context);
  assert.deepEqual(result, {
    statusCode: 500,
    body: 'Internal Server Error',
    isBase64Encoded: false,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', Vary: 'Origin', 'access-control-allow-origin': APP },
  });
});

test('lambda http-api: the shorthand result is exactly a 200 application/json, not base64', async () => {
  const result = await withCors(() => ({ id: 1 }), options)(httpApiEvent({ method: 'GET', headers: [['Origin', APP]] }), context);
  assert.deepEqual(result, {
    statusCode: 200,
    headers: { 'content-type': 'application/json', Vary: 'Origin', 'access-control-allow-origin': APP },
    body: '{"id":1}',
    isBase64Encoded: false,
  });
});

const NOT_HTTP = new TypeError('corsguard/lambda: the event is not an HTTP event from API Gateway, a Function URL or an ALB.');

test('lambda: null, a payload 2.0 event without requestContext or without requestContext.http are refused with the same message', async () => {
  const wrapped = withCors(okHandler, options);
  await assert.rejects(wrapped(null as never, context), NOT_HTTP);
  await assert.rejects(wrapped({ version: '2.0', rawPath: '/', headers: {} }, context), NOT_HTTP);
  await assert.rejects(wrapped({ version: '2.0', rawPath: '/', headers: {}, requestContext: {} }, context), NOT_HTTP);
});

test('lambda rest: a minimal payload 1.0 event without requestContext is answered, and the predicate sees its path', async () => {
  const paths: Array<string | undefined> = [];
  const wrapped = withCors(okHandler, {
    allowOriginPredicate: (origin, request) => {
      paths.push(request.path);
      return origin === APP;
    },
  });
  const result = await wrapped({ httpMethod: 'GET', path: '/items', headers: { origin: APP } }, context);
  assert.equal(result.headers?.['access-control-allow-origin'], APP);
  assert.deepEqual(paths, ['/items']);
});
