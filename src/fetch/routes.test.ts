import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corsRoutes } from './index.js';

const options = { allowOrigins: ['https://app.example.com'], allowMethods: ['PUT'] };
const APP = 'https://app.example.com';

test('corsRoutes: every handler export answers with CORS headers and gets the extra arguments', async () => {
  const seen: unknown[] = [];
  const { GET, PUT } = corsRoutes(
    {
      GET: (_request: Request, context: { params: Promise<{ id: string }> }) => {
        seen.push(context);
        return Response.json([1]);
      },
      PUT: (_request: Request) => {
        throw new Error('boom');
      },
    },
    { ...options, onError: () => undefined },
  );
  const context = { params: Promise.resolve({ id: '1' }) };
  const get = await GET(new Request('https://api.example/items', { headers: { Origin: APP } }), context);
  assert.equal(get.headers.get('access-control-allow-origin'), APP);
  assert.deepEqual(seen, [context]);
  const put = await PUT(new Request('https://api.example/items', { method: 'PUT', headers: { Origin: APP } }));
  assert.equal(put.status, 500);
  assert.equal(put.headers.get('access-control-allow-origin'), APP);
});

test('corsRoutes: OPTIONS answers preflights, and a plain OPTIONS with 204 and Allow', async () => {
  const calls: string[] = [];
  const { OPTIONS } = corsRoutes({ GET: () => (calls.push('GET'), Response.json([])), PUT: () => new Response(null) }, options);
  const preflight = await OPTIONS(
    new Request('https://api.example/items', { method: 'OPTIONS', headers: { Origin: APP, 'Access-Control-Request-Method': 'PUT' } }),
  );
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-methods'), 'PUT');
  const plain = await OPTIONS(new Request('https://api.example/items', { method: 'OPTIONS' }));
  assert.equal(plain.status, 204);
  assert.equal(plain.headers.get('allow'), 'GET, PUT, OPTIONS');
  assert.deepEqual(calls, []);
});

test('corsRoutes: options are validated once for all exports, and bad handlers are refused', () => {
  const warnings: unknown[] = [];
  corsRoutes(
    { GET: () => new Response(), POST: () => new Response() },
    { allowOrigins: ['https://app.example'], allowMethods: ['patch'], onWarning: (w) => warnings.push(w) },
  );
  assert.equal(warnings.length, 1);
  assert.throws(() => corsRoutes({ GET: 'nope' } as never, options), /handler for GET is not a function/);
  assert.throws(() => corsRoutes(null as never, options), /needs an object of method handlers/);
});

test('corsRoutes: anything but an object of handlers is refused with the same message, even when it has no entries', () => {
  for (const handlers of [42, 'GET', () => new Response(), undefined]) {
    assert.throws(
      () => corsRoutes(handlers as never, options),
      (error: unknown) =>
        error instanceof TypeError &&
        error.message === 'corsguard: corsRoutes(handlers, options) needs an object of method handlers, e.g. { GET, POST }.',
      String(handlers),
    );
  }
});

test("corsRoutes: the module's own OPTIONS export answers a plain OPTIONS request; preflights stay corsguard's", async () => {
  const { OPTIONS } = corsRoutes(
    { GET: () => Response.json([]), OPTIONS: (_request: Request) => new Response('the module answered', { status: 200 }) },
    options,
  );
  const plain = await OPTIONS(new Request('https://api.example/items', { method: 'OPTIONS', headers: { Origin: APP } }));
  assert.equal(plain.status, 200);
  assert.equal(await plain.text(), 'the module answered');
  assert.equal(plain.headers.get('access-control-allow-origin'), APP);
  const preflight = await OPTIONS(
    new Request('https://api.example/items', { method: 'OPTIONS', headers: { Origin: APP, 'Access-Control-Request-Method': 'PUT' } }),
  );
  assert.equal(preflight.status, 204);
  assert.equal(await preflight.text(), '');
});
