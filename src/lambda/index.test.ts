// corsguard/lambda is invoked the way Lambda invokes a handler: with the event object of each
// source (shaped like AWS's documented examples, see test-support/events.ts) and a context.
// What each source then sends is worked out from the result by the documented rules (sent()).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withCors, type LambdaHttpResult } from './index.js';
import type { CorsOptions } from '../core/options.js';
import { albEvent, functionUrlEvent, httpApiEvent, restApiEvent, type LambdaRequest } from './test-support/events.js';

type Source = 'rest' | 'http-api' | 'function-url' | 'alb' | 'alb-multi';
const sources: readonly Source[] = ['rest', 'http-api', 'function-url', 'alb', 'alb-multi'];

function eventFor(source: Source, request: LambdaRequest) {
  switch (source) {
    case 'rest':
      return restApiEvent(request);
    case 'http-api':
      return httpApiEvent(request);
    case 'function-url':
      return functionUrlEvent(request);
    case 'alb':
      return albEvent(request, false);
    case 'alb-multi':
      return albEvent(request, true);
  }
}

/**
 * The response headers a source sends for a result: REST APIs merge `headers` into
 * `multiValueHeaders` (a key in both sends the multi-value one), payload 2.0 sends `headers`
 * plus one Set-Cookie per `cookies` entry, an ALB sends `headers`, or only `multiValueHeaders`
 * when multi-value headers are enabled.
 */
function sent(source: Source, result: LambdaHttpResult): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const single = result.headers ?? {};
  const multi = result.multiValueHeaders ?? {};
  if (source !== 'alb-multi') {
    for (const [name, value] of Object.entries(single)) {
      if (source === 'rest' && name in multi) continue;
      out.push([name.toLowerCase(), String(value)]);
    }
  }
  if (source === 'rest' || source === 'alb-multi') {
    for (const [name, values] of Object.entries(multi)) for (const value of values) out.push([name.toLowerCase(), String(value)]);
  }
  if (source === 'http-api' || source === 'function-url') for (const cookie of result.cookies ?? []) out.push(['set-cookie', cookie]);
  return out;
}

/** The one value of a header as sent; fails if the source would send it twice. */
function header(source: Source, result: LambdaHttpResult, name: string): string | undefined {
  const values = sent(source, result).filter(([n]) => n === name);
  assert.ok(values.length <= 1, `${source}: ${name} sent ${values.length} times: ${JSON.stringify(result)}`);
  return values[0]?.[1];
}

const APP = 'https://app.example.com';
const errors: unknown[] = [];
const options: CorsOptions = {
  allowOrigins: [APP],
  allowCredentials: true,
  allowMethods: ['PUT', 'DELETE'],
  allowHeaders: ['Authorization', 'Content-Type'],
  exposeHeaders: ['X-Total-Count'],
  maxAge: 600,
  onError: (error) => errors.push(error),
};

const context = { awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678', functionName: 'api' };
const calls: string[] = [];
const shared: LambdaHttpResult = { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: '[1,2,3]' };

/** One handler for every source, answering in the shape that source expects. */
const handler = withCors(async (event: Record<string, unknown>) => {
  const v2 = event.version === '2.0';
  const path = String(v2 ? event.rawPath : event.path);
  calls.push(path);
  const multi = 'multiValueHeaders' in event && !('resource' in event);
  switch (path) {
    case '/throw':
      throw new Error('boom');
    case '/shared':
      return shared;
    case '/other-layer':
      // Another layer's CORS headers in odd spellings, in both maps where the source has them.
      return {
        statusCode: 200,
        ...(multi
          ? { multiValueHeaders: { 'ACCESS-CONTROL-ALLOW-ORIGIN': ['*'], vary: ['Accept-Encoding'], 'X-Total-Count': ['3'] } }
          : {
              headers: { 'access-control-allow-origin': '*', VARY: 'Accept-Encoding', 'X-Total-Count': '3' },
              multiValueHeaders: { 'Access-Control-Allow-Origin': ['*'], 'Access-Control-Allow-Credentials': ['false'] },
            }),
        body: 'x',
      };
    case '/shorthand-string':
      return 'Hello from Lambda!';
    case '/shorthand-object':
      return { message: 'Hello from Lambda!' };
    case '/cookies':
      return { statusCode: 200, cookies: ['session=1; Secure; HttpOnly'], body: '' };
    default:
      return multi
        ? { statusCode: 404, multiValueHeaders: { 'Content-Type': ['text/plain'] }, body: 'not found' }
        : { statusCode: 404, headers: { 'Content-Type': 'text/plain' }, body: 'not found' };
  }
}, options);

for (const source of sources) {
  test(`lambda ${source}: an allowed preflight is answered without calling the handler`, async () => {
    calls.length = 0;
    const result = await handler(
      eventFor(source, {
        method: 'OPTIONS',
        path: '/items',
        headers: [
          ['Origin', APP],
          ['Access-Control-Request-Method', 'PUT'],
          ['Access-Control-Request-Headers', 'content-type,authorization'],
        ],
      }),
      context,
    );
    assert.deepEqual(calls, []);
    assert.equal(result.statusCode, 204);
    assert.equal(header(source, result, 'access-control-allow-origin'), APP);
    assert.equal(header(source, result, 'access-control-allow-credentials'), 'true');
    assert.equal(header(source, result, 'access-control-allow-methods'), 'DELETE, PUT');
    assert.equal(header(source, result, 'access-control-allow-headers'), 'authorization, content-type');
    assert.equal(header(source, result, 'access-control-max-age'), '600');
    assert.match(header(source, result, 'vary') ?? '', /Origin/);
    if (source === 'alb' || source === 'alb-multi') assert.equal(result.statusDescription, '204 No Content');
    // An ALB with multi-value headers on reads only multiValueHeaders; every other source reads headers.
    assert.equal(result.headers === undefined, source === 'alb-multi');
  });

  test(`lambda ${source}: a preflight from another origin is refused with an explanation, no Allow-Origin`, async () => {
    calls.length = 0;
    const result = await handler(
      eventFor(source, {
        method: 'OPTIONS',
        headers: [
          ['Origin', 'https://evil.example'],
          ['Access-Control-Request-Method', 'PUT'],
        ],
      }),
      context,
    );
    assert.deepEqual(calls, []);
    assert.equal(result.statusCode, 403);
    assert.match(result.body ?? '', /origin is not allowed/);
    assert.equal(header(source, result, 'content-type'), 'text/plain; charset=utf-8');
    assert.equal(header(source, result, 'access-control-allow-origin'), undefined);
  });

  test(`lambda ${source}: an actual request gets its CORS headers once, another layer's replaced, Vary merged`, async () => {
    const result = await handler(eventFor(source, { method: 'GET', path: '/other-layer', headers: [['Origin', APP]] }), context);
    assert.equal(result.statusCode, 200);
    assert.equal(header(source, result, 'access-control-allow-origin'), APP);
    assert.equal(header(source, result, 'access-control-allow-credentials'), 'true');
    assert.equal(header(source, result, 'access-control-expose-headers'), 'X-Total-Count');
    assert.equal(header(source, result, 'vary'), 'Accept-Encoding, Origin');
    assert.equal(header(source, result, 'x-total-count'), '3');
  });

  test(`lambda ${source}: a denied origin keeps no CORS header from another layer, and gets Vary: Origin`, async () => {
    const result = await handler(
      eventFor(source, { method: 'GET', path: '/other-layer', headers: [['Origin', 'https://evil.example']] }),
      context,
    );
    assert.equal(header(source, result, 'access-control-allow-origin'), undefined);
    assert.equal(header(source, result, 'access-control-allow-credentials'), undefined);
    assert.equal(header(source, result, 'vary'), 'Accept-Encoding, Origin');
  });

  test(`lambda ${source}: a handler that throws is answered 500 with CORS headers, and reported`, async () => {
    errors.length = 0;
    const result = await handler(eventFor(source, { method: 'POST', path: '/throw', headers: [['Origin', APP]] }), context);
    assert.equal(result.statusCode, 500);
    assert.equal(result.body, 'Internal Server Error');
    assert.equal(header(source, result, 'access-control-allow-origin'), APP);
    assert.equal(header(source, result, 'content-type'), 'text/plain; charset=utf-8');
    assert.equal((errors[0] as Error | undefined)?.message, 'boom');
    if (source === 'alb' || source === 'alb-multi') assert.equal(result.statusDescription, '500 Internal Server Error');
  });

  test(`lambda ${source}: a 404 of the handler keeps its headers and gains CORS ones`, async () => {
    const result = await handler(eventFor(source, { method: 'GET', path: '/nothing', headers: [['Origin', APP]] }), context);
    assert.equal(result.statusCode, 404);
    assert.equal(header(source, result, 'access-control-allow-origin'), APP);
    assert.equal(header(source, result, 'content-type'), 'text/plain');
  });

  test(`lambda ${source}: a result object the handler shares between requests is never changed`, async () => {
    const first = await handler(eventFor(source, { method: 'GET', path: '/shared', headers: [['Origin', APP]] }), context);
    assert.equal(header(source, first, 'access-control-allow-origin'), APP);
    assert.deepEqual(shared.headers, { 'Content-Type': 'application/json' });
    const second = await handler(
      eventFor(source, { method: 'GET', path: '/shared', headers: [['Origin', 'https://evil.example']] }),
      context,
    );
    assert.equal(header(source, second, 'access-control-allow-origin'), undefined);
  });

  // An ALB without multi-value headers passes on only the last value of a repeated header.
  if (source !== 'alb')
    test(`lambda ${source}: two Origin headers are never taken for one allowed origin`, async () => {
      const result = await handler(
        eventFor(source, {
          method: 'GET',
          path: '/shared',
          headers: [
            ['Origin', 'https://evil.example'],
            ['Origin', APP],
          ],
        }),
        context,
      );
      assert.equal(header(source, result, 'access-control-allow-origin'), undefined);
    });
}

test('lambda rest: header names are matched whatever their case (clients send any spelling)', async () => {
  calls.length = 0;
  const result = await handler(
    restApiEvent({
      method: 'OPTIONS',
      headers: [
        ['ORIGIN', APP],
        ['access-control-request-METHOD', 'DELETE'],
      ],
    }),
    context,
  );
  assert.deepEqual(calls, []);
  assert.equal(result.statusCode, 204);
  assert.equal(header('rest', result, 'access-control-allow-origin'), APP);
});

test('lambda rest: the API Gateway console test event (multiValueHeaders null) is read from headers', async () => {
  const event = { ...restApiEvent({ method: 'GET', headers: [['origin', APP]] }), multiValueHeaders: null };
  const result = await handler(event, context);
  assert.equal(header('rest', result, 'access-control-allow-origin'), APP);
});

for (const source of ['http-api', 'function-url'] as const) {
  test(`lambda ${source}: the string and object shorthands are answered as API Gateway would, with CORS headers`, async () => {
    const text = await handler(eventFor(source, { method: 'GET', path: '/shorthand-string', headers: [['Origin', APP]] }), context);
    assert.deepEqual(
      { status: text.statusCode, body: text.body, type: header(source, text, 'content-type') },
      { status: 200, body: 'Hello from Lambda!', type: 'application/json' },
    );
    assert.equal(header(source, text, 'access-control-allow-origin'), APP);
    const object = await handler(eventFor(source, { method: 'GET', path: '/shorthand-object', headers: [['Origin', APP]] }), context);
    assert.equal(object.body, '{"message":"Hello from Lambda!"}');
    assert.equal(header(source, object, 'access-control-allow-origin'), APP);
  });

  test(`lambda ${source}: cookies stay in their own field`, async () => {
    const result = await handler(eventFor(source, { method: 'GET', path: '/cookies', headers: [['Origin', APP]] }), context);
    assert.deepEqual(result.cookies, ['session=1; Secure; HttpOnly']);
    assert.equal(header(source, result, 'access-control-allow-origin'), APP);
  });
}

test('lambda rest and alb: a result without a statusCode is a handler bug: 500 with CORS headers, reported', async () => {
  for (const source of ['rest', 'alb'] as const) {
    errors.length = 0;
    const result = await handler(eventFor(source, { method: 'GET', path: '/shorthand-string', headers: [['Origin', APP]] }), context);
    assert.equal(result.statusCode, 500);
    assert.equal(header(source, result, 'access-control-allow-origin'), APP);
    assert.match(String(errors[0]), /did not return a result with a numeric statusCode/);
  }
});

test('lambda: an event that is not an HTTP event is refused with a clear error', async () => {
  await assert.rejects(handler({ Records: [] } as never, context), /not an HTTP event from API Gateway, a Function URL or an ALB/);
  assert.throws(() => withCors(undefined as never, options), /needs a Lambda handler function/);
});

test('lambda: an asynchronous origin predicate is awaited', async () => {
  const wrapped = withCors(() => ({ statusCode: 200, body: 'ok' }), {
    allowOriginPredicate: async (origin) => origin === 'https://tenant.example',
  });
  const result = await wrapped(httpApiEvent({ method: 'GET', headers: [['origin', 'https://tenant.example']] }), context);
  assert.equal(result.headers?.['access-control-allow-origin'], 'https://tenant.example');
});

// Shaped like @types/aws-lambda's APIGatewayProxyEvent and ALBEvent: interfaces, so without
// index signatures, and request contexts that share no field. This test fails to compile if
// withCors stops accepting handlers typed with them.
interface RestEventInterface {
  httpMethod: string;
  path: string;
  headers: { [name: string]: string | undefined };
  multiValueHeaders: { [name: string]: string[] | undefined };
  requestContext: { accountId: string; stage: string };
  body: string | null;
}
interface AlbEventInterface {
  httpMethod: string;
  path: string;
  headers?: { [name: string]: string | undefined };
  requestContext: { elb: { targetGroupArn: string } };
}

test('lambda: handlers typed with event interfaces like those of @types/aws-lambda are accepted', async () => {
  const rest = withCors(
    async (event: RestEventInterface, _context: { awsRequestId: string }) => ({ statusCode: 200, body: event.path }),
    options,
  );
  const alb = withCors((event: AlbEventInterface) => ({ statusCode: 200, body: event.path }), options);
  const fromRest = await rest(restApiEvent({ method: 'GET', path: '/r', headers: [['Origin', APP]] }), context);
  const fromAlb = await alb(albEvent({ method: 'GET', path: '/a', headers: [['Origin', APP]] }, false), context);
  assert.deepEqual([fromRest.body, fromAlb.body], ['/r', '/a']);
  assert.equal(header('rest', fromRest, 'access-control-allow-origin'), APP);
  assert.equal(header('alb', fromAlb, 'access-control-allow-origin'), APP);
});
