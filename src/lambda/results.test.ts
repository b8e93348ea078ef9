// The exact result objects corsguard/lambda returns (its own answers and the handler's copied
// result), and the events it refuses, for events shaped like AWS's documented examples.
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

test('an ALB preflight answered with a status corsguard has no text for gets the bare number as status description', async () => {
  const cors = withCors(ok, { ...options, allowMethods: ['PUT'], preflightStatus: 202 });
  assert.equal((await cors(albEvent(preflight(APP), false) as never, {})).statusDescription, '202');
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
