/**
 * What `withCors` does with whatever the handler gives back, called the way Bun, Deno and Workers call
 * a fetch handler (with Node's own `Request` and `Response`, not @hono/node-server's): a Response gets
 * its CORS headers; anything else becomes a plain-text 500 with them, and `onError` hears exactly why;
 * a network error or a protocol switch passes untouched. Also the misuse of `withCors` itself.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { withCors } from './index.js';
import type { CorsErrorContext } from '../core/options.js';

const APP = 'https://app.example.com';

function wrap(result: () => unknown): { handler: (request: Request) => Promise<Response>; errors: Array<[unknown, CorsErrorContext]> } {
  const errors: Array<[unknown, CorsErrorContext]> = [];
  const handler = withCors(() => result() as Response, {
    allowOrigins: [APP],
    onError: (error, context) => errors.push([error, context]),
  });
  return { handler, errors };
}

const fromApp = (): Request => new Request('https://api.example/items', { headers: { Origin: APP } });

test('withCors needs a function: anything else is refused when it is called, not on the first request', () => {
  for (const handler of [undefined, null, {}, 'handler']) {
    assert.throws(
      () => withCors(handler as never, { allowOrigins: [APP] }),
      (error: unknown) =>
        error instanceof TypeError &&
        error.message === 'corsguard: withCors(handler, options) needs a fetch handler function as its first argument.',
      String(handler),
    );
  }
});

test('a handler result that is not a Response becomes a plain-text 500 with CORS headers, and onError says so', async () => {
  const notResponses: Array<[string, unknown]> = [
    ['a string', 'oops'],
    ['null', null],
    ['undefined', undefined],
    ['an object without status', { headers: new Headers() }],
    ['an object without headers', { status: 200 }],
    ['an object whose headers cannot be set', { status: 200, headers: {} }],
    ['a function shaped like a Response', Object.assign(() => undefined, { status: 200, headers: new Headers() })],
  ];
  for (const [what, value] of notResponses) {
    const { handler, errors } = wrap(() => value);
    const response = await handler(fromApp());
    assert.equal(response.status, 500, what);
    assert.equal(await response.text(), 'Internal Server Error', what);
    assert.equal(response.headers.get('content-type'), 'text/plain; charset=utf-8', what);
    assert.equal(response.headers.get('access-control-allow-origin'), APP, what);
    assert.equal(errors.length, 1, what);
    const [error, context] = errors[0]!;
    assert.ok(error instanceof TypeError, what);
    assert.equal(error.message, 'the fetch handler did not return a Response', what);
    assert.deepEqual(context, { source: 'handler', method: 'GET', url: 'https://api.example/items', origin: APP }, what);
  }
});

test('a network error (Response.error()) is returned as it is: no CORS headers, no 500, nothing reported', async () => {
  const { handler, errors } = wrap(() => Response.error());
  const response = await handler(fromApp());
  assert.equal(response.type, 'error');
  assert.equal(response.status, 0);
  assert.equal(response.headers.get('access-control-allow-origin'), null);
  assert.deepEqual(errors, []);
});

test('a protocol switch (status 101, as Deno.upgradeWebSocket answers) is returned untouched', async () => {
  // Node cannot construct a 101 Response; Deno and Bun hand the handler one for a WebSocket upgrade.
  const upgrade = { status: 101, type: 'default', headers: new Headers({ Upgrade: 'websocket' }) };
  const { handler, errors } = wrap(() => upgrade);
  const response = await handler(fromApp());
  assert.equal(response, upgrade);
  assert.deepEqual([...response.headers], [['upgrade', 'websocket']]);
  assert.deepEqual(errors, []);
});

// A real upstream, for fetch() results: their headers are immutable, and their body can be used up.
const upstream = createServer((_req, res) => res.end('from upstream'));
await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
after(() => upstream.close());
const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/`;

test('a fetch() result passed through gets CORS headers on a copy, body included', async () => {
  const { handler, errors } = wrap(() => fetch(upstreamUrl));
  const response = await handler(fromApp());
  assert.equal(response.status, 200);
  assert.equal(await response.text(), 'from upstream');
  assert.equal(response.headers.get('access-control-allow-origin'), APP);
  assert.deepEqual(errors, []);
});

test('an immutable response that cannot be copied (its body already read) becomes a 500 with CORS headers', async () => {
  const { handler, errors } = wrap(async () => {
    const used = await fetch(upstreamUrl);
    await used.text();
    return used;
  });
  const response = await handler(fromApp());
  assert.equal(response.status, 500);
  assert.equal(await response.text(), 'Internal Server Error');
  assert.equal(response.headers.get('access-control-allow-origin'), APP);
  assert.equal(errors.length, 1);
  assert.ok(errors[0]![0] instanceof TypeError);
});
