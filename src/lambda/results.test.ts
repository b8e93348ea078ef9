// The exact result objects corsguard/lambda returns (its own preflight answers and 500s, and the
// handler's copied result), field by field, and the events it refuses or accepts, for events shaped
// like AWS's documented examples.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CorsOptions } from '../core/options.js';
import { type LambdaHttpResult, withCors } from './index.js';
import { albEvent, httpApiEvent, restApiEvent } from './test-support/events.js';

const APP = 'https://app.example.com';
const options: CorsOptions = { allowOrigins: [APP], allowHeaders: ['X-A', 'X-B'], onError: () => {} };
const ok = async (): Promise<LambdaHttpResult> => ({ statusCode: 200, body: 'ok' });
const preflight = (origin: string) => ({
  method: 'OPTIONS',
  headers: [
    ['Origin', origin],
    ['Access-Control-Request-Method', 'PUT'],
  ] as const,
});

test('an ALB preflight answer is exactly its status, status description, empty body and CORS headers', async () => {
  const cors = withCors(ok, { ...options, allowMethods: ['PUT'] });
  assert.deepEqual(await cors(albEvent(preflight(APP), false) as never, {}), {
    statusCode: 204,
    statusDescription: '204 No Content',
    body: '',
    isBase64Encoded: false,
    headers: {
      'access-control-allow-origin': APP,
      'access-control-allow-methods': 'PUT',
      Vary: 'Origin',
    },
  });
  const refused = await cors(albEvent(preflight('https://evil.example'), false) as never, {});
  assert.equal(refused.statusCode, 403);
  assert.equal(refused.statusDescription, '403 Forbidden');
  assert.equal(refused.isBase64Encoded, false);
  assert.equal(refused.headers?.['Content-Type'], 'text/plain; charset=utf-8');
  assert.equal(refused.multiValueHeaders, undefined);
  const ok200 = await withCors(ok, { ...options, allowMethods: ['PUT'], preflightStatus: 200 })(
    albEvent(preflight(APP), false) as never,
    {},
  );
  assert.equal(ok200.statusDescription, '200 OK');
});

test('a REST API preflight answer has no status description and no headers map it does not read', async () => {
  const result = await withCors(ok, { ...options, allowMethods: ['PUT'] })(restApiEvent(preflight(APP)) as never, {});
  assert.equal(result.statusDescription, undefined);
  assert.equal(result.isBase64Encoded, false);
  assert.equal(result.body, '');
  assert.equal(result.headers?.['Content-Type'], undefined);
});

test('request headers repeated in multiValueHeaders are read as one list', async () => {
  const event = restApiEvent({
    method: 'OPTIONS',
    headers: [
      ['Origin', APP],
      ['Access-Control-Request-Method', 'GET'],
      ['Access-Control-Request-Headers', 'x-a'],
      ['Access-Control-Request-Headers', 'x-b'],
    ],
  });
  const result = await withCors(ok, options)(event as never, {});
  assert.equal(result.statusCode, 204);
  assert.equal(result.headers?.['access-control-allow-headers'], 'x-a, x-b');
});

test("the handler's Vary is merged whatever map holds it, skipping null and undefined values, and a Vary: * stays", async () => {
  const cases: Array<[Partial<LambdaHttpResult>, Record<string, unknown>]> = [
    [
      { headers: { Vary: 'Accept' }, multiValueHeaders: { vary: ['Cookie', 'Accept-Language'] } },
      { headers: { Vary: 'Accept, Cookie, Accept-Language, Origin' }, multiValueHeaders: {} },
    ],
    [{ headers: { vary: null, 'x-none': undefined } as never }, { headers: { Vary: 'Origin', 'x-none': undefined } }],
    [{ headers: { vary: undefined } as never }, { headers: { Vary: 'Origin' } }],
    [{ headers: { Vary: '*' } }, { headers: { Vary: '*' } }],
  ];
  for (const [returned, expected] of cases) {
    const cors = withCors(async () => ({ statusCode: 200, body: 'ok', ...returned }), { allowOrigins: [APP] });
    const result = await cors(restApiEvent({ method: 'GET', headers: [['Origin', 'https://evil.example']] }) as never, {});
    const { statusCode: _s, body: _b, ...rest } = result;
    assert.deepEqual(rest, expected, JSON.stringify(returned));
  }
});

test("the handler's result is copied, multiValueHeaders included, and a headers map that is no object is dropped", async () => {
  const shared: LambdaHttpResult = { statusCode: 200, body: 'ok', multiValueHeaders: { 'X-Total': ['3'] } };
  const cors = withCors(async () => shared, { allowOrigins: [APP] });
  const result = await cors(albEvent({ method: 'GET', headers: [['Origin', APP]] }, true) as never, {});
  assert.deepEqual(shared, { statusCode: 200, body: 'ok', multiValueHeaders: { 'X-Total': ['3'] } });
  assert.deepEqual(result.multiValueHeaders, { 'X-Total': ['3'], 'access-control-allow-origin': [APP], Vary: ['Origin'] });
  const junk = withCors(async () => ({ statusCode: 200, body: 'ok', headers: 'junk', multiValueHeaders: null }) as never, {
    allowOrigins: [APP],
  });
  assert.deepEqual(await junk(restApiEvent({ method: 'GET', headers: [['Origin', APP]] }) as never, {}), {
    statusCode: 200,
    body: 'ok',
    headers: { 'access-control-allow-origin': APP, Vary: 'Origin' },
  });
});

test("payload 2.0's shorthand result is spelled out, not base64", async () => {
  const cors = withCors(async () => 'hello' as never, { allowOrigins: [APP] });
  assert.deepEqual(await cors(httpApiEvent({ method: 'GET', headers: [['origin', APP]] }) as never, {}), {
    statusCode: 200,
    headers: { 'content-type': 'application/json', 'access-control-allow-origin': APP, Vary: 'Origin' },
    body: 'hello',
    isBase64Encoded: false,
  });
});

test('events that are not HTTP events are refused with the same message, and an event without requestContext is read', async () => {
  const cors = withCors(ok, { allowOrigins: [APP] });
  const message = 'corsguard/lambda: the event is not an HTTP event from API Gateway, a Function URL or an ALB.';
  for (const event of [
    null,
    'GET',
    { version: '2.0' },
    { version: '2.0', requestContext: {} },
    { version: '2.0', requestContext: { http: 1 } },
  ]) {
    await assert.rejects(cors(event as never, {}), { name: 'TypeError', message }, JSON.stringify(event));
  }
  const bare = await cors({ httpMethod: 'GET', path: '/', headers: { origin: APP } } as never, {});
  assert.equal(bare.headers?.['access-control-allow-origin'], APP);
});

test('onDecision gets the REST path, and nothing for a request without Origin', async () => {
  const decisions: unknown[] = [];
  const cors = withCors(ok, { allowOrigins: [APP], onDecision: (d) => decisions.push([d.path, d.origin]) });
  await cors(restApiEvent({ method: 'GET', path: '/items', headers: [['Origin', APP]] }) as never, {});
  const bare = await cors(restApiEvent({ method: 'GET', path: '/items', headers: [['Accept', '*/*']] }) as never, {});
  assert.deepEqual(decisions, [['/items', APP]]);
  assert.equal(bare.headers?.['access-control-allow-origin'], undefined);
});

test("the handler's own Access-Control-Allow-Origin, in either map, is read as one value: kept when it is the policy's, reported once otherwise", async () => {
  for (const [returned, event] of [
    [{ headers: { 'Access-Control-Allow-Origin': APP } }, restApiEvent({ method: 'GET', headers: [['Origin', APP]] })],
    [{ multiValueHeaders: { 'access-control-allow-origin': [APP] } }, albEvent({ method: 'GET', headers: [['Origin', APP]] }, true)],
  ] as const) {
    const warnings: string[] = [];
    const cors = withCors(async () => ({ statusCode: 200, body: 'ok', ...returned }) as LambdaHttpResult, {
      allowOrigins: [APP],
      onWarning: (w) => warnings.push(w.code),
    });
    const result = await cors(event as never, {});
    const sentNow = { ...result.headers, ...result.multiValueHeaders } as Record<string, unknown>;
    const own = ('headers' in returned ? returned.headers : returned.multiValueHeaders) as Record<string, unknown>;
    const key = Object.keys(own)[0] as string;
    assert.deepEqual(sentNow[key], own[key]);
    assert.deepEqual(warnings, []);
  }
  const messages: string[] = [];
  const cors = withCors(
    async () => ({
      statusCode: 200,
      body: 'ok',
      headers: { 'Access-Control-Allow-Origin': '*' },
      multiValueHeaders: { 'access-control-allow-origin': ['https://other.example'] },
    }),
    { allowOrigins: [APP], onWarning: (w) => messages.push(w.message) },
  );
  const result = await cors(restApiEvent({ method: 'GET', headers: [['Origin', APP]] }) as never, {});
  assert.equal(result.headers?.['access-control-allow-origin'], APP);
  assert.deepEqual(messages, [
    `another CORS layer set access-control-allow-origin: *, https://other.example on a response to origin ${APP}; corsguard sent access-control-allow-origin: ${APP} instead. Remove the other layer (Nest's cors: true or enableCors(), the cors package, CORS headers set in a handler, a proxy's add_header) and configure CORS in corsguard's options only.`,
  ]);
});

// Preflight answers and 500s of a policy with a method and a max age, field by field.
const OWN_OPTIONS: CorsOptions = { allowOrigins: [APP], allowMethods: ['PUT'], maxAge: 600 };
const PREFLIGHT = {
  method: 'OPTIONS',
  headers: [
    ['Origin', APP],
    ['Access-Control-Request-Method', 'PUT'],
  ] as const,
};
const handlerOk = () => ({ statusCode: 200, body: 'handler' });

test('lambda rest: an allowed preflight is exactly a 204 with the CORS headers, no body, no Content-Type, not base64', async () => {
  const result = await withCors(handlerOk, OWN_OPTIONS)(restApiEvent({ ...PREFLIGHT, headers: [...PREFLIGHT.headers] }), {});
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
    const wrapped: ReturnType<typeof withCors> = withCors(handlerOk, { ...OWN_OPTIONS, preflightStatus: status });
    const single: LambdaHttpResult = await wrapped(albEvent({ ...PREFLIGHT, headers: [...PREFLIGHT.headers] }, false), {});
    assert.equal(single.statusCode, status);
    assert.equal(single.statusDescription, description);
    const multi: LambdaHttpResult = await wrapped(albEvent({ ...PREFLIGHT, headers: [...PREFLIGHT.headers] }, true), {});
    assert.equal(multi.statusDescription, description);
    assert.equal(multi.headers, undefined);
    assert.deepEqual(multi.multiValueHeaders?.['access-control-allow-origin'], [APP]);
  }
});

test('lambda rest: a plain OPTIONS request (no Access-Control-Request-Method) reaches the handler', async () => {
  const result = await withCors(handlerOk, OWN_OPTIONS)(restApiEvent({ method: 'OPTIONS', headers: [['Origin', APP]] }), {});
  assert.equal(result.statusCode, 200);
  assert.equal(result.body, 'handler');
  assert.equal(result.headers?.['access-control-allow-origin'], APP);
});

test('lambda rest: a handler that throws is answered exactly: 500, plain text, CORS headers, no statusDescription', async () => {
  const result = await withCors(
    () => {
      throw new Error('boom');
    },
    { ...OWN_OPTIONS, onError: () => {} },
  )(restApiEvent({ method: 'GET', headers: [['Origin', APP]] }), {});
  assert.deepEqual(result, {
    statusCode: 500,
    body: 'Internal Server Error',
    isBase64Encoded: false,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', Vary: 'Origin', 'access-control-allow-origin': APP },
  });
});

test('lambda http-api: the shorthand result is exactly a 200 application/json, not base64', async () => {
  const result = await withCors(() => ({ id: 1 }), OWN_OPTIONS)(httpApiEvent({ method: 'GET', headers: [['Origin', APP]] }), {});
  assert.deepEqual(result, {
    statusCode: 200,
    headers: { 'content-type': 'application/json', Vary: 'Origin', 'access-control-allow-origin': APP },
    body: '{"id":1}',
    isBase64Encoded: false,
  });
});

test('lambda rest: a minimal payload 1.0 event without requestContext is answered, and the predicate sees its path', async () => {
  const paths: Array<string | undefined> = [];
  const wrapped = withCors(handlerOk, {
    allowOriginPredicate: (origin, request) => {
      paths.push(request.path);
      return origin === APP;
    },
  });
  const result = await wrapped({ httpMethod: 'GET', path: '/items', headers: { origin: APP } }, {});
  assert.equal(result.headers?.['access-control-allow-origin'], APP);
  assert.deepEqual(paths, ['/items']);
});
