import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { withCors } from './index.js';
import type { CorsOptions } from '../core/options.js';

const options: CorsOptions = {
  allowOrigins: ['https://app.example.com'],
  allowCredentials: true,
  allowMethods: ['PUT'],
  allowHeaders: ['Authorization', 'Content-Type'],
  exposeHeaders: ['X-Total-Count'],
  onError: () => undefined,
};

const calls: string[] = [];
const handler = withCors(async (request: Request): Promise<Response> => {
  const path = new URL(request.url).pathname;
  calls.push(`${request.method} ${path}`);
  switch (path) {
    case '/items':
      return Response.json([1, 2, 3], { headers: { 'X-Total-Count': '3', Vary: 'Accept-Encoding' } });
    case '/throw':
      throw new Error('boom');
    case '/redirect':
      return Response.redirect('https://app.example.com/elsewhere', 302);
    case '/not-a-response':
      return 'oops' as unknown as Response;
    case '/cors-from-elsewhere':
      return new Response('x', { headers: { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Credentials': 'true' } });
    default:
      return Response.json({ error: 'not found' }, { status: 404 });
  }
}, options);

// A real HTTP server on loopback, as Node users deploy fetch handlers.
const server = createAdaptorServer({ fetch: handler });
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
after(() => server.close());

const fromApp = { Origin: 'https://app.example.com' };

test('fetch withCors: actual responses, errors and 404s carry CORS headers over HTTP', async () => {
  const items = await fetch(`${base}/items`, { headers: fromApp });
  assert.equal(items.headers.get('access-control-allow-origin'), 'https://app.example.com');
  assert.equal(items.headers.get('access-control-allow-credentials'), 'true');
  assert.equal(items.headers.get('access-control-expose-headers'), 'X-Total-Count');
  assert.equal(items.headers.get('vary'), 'Accept-Encoding, Origin');
  for (const [path, status] of [
    ['/throw', 500],
    ['/missing', 404],
    ['/not-a-response', 500],
  ] as const) {
    const response = await fetch(base + path, { headers: fromApp });
    assert.equal(response.status, status);
    assert.equal(response.headers.get('access-control-allow-origin'), 'https://app.example.com', path);
  }
});

test('fetch withCors: immutable responses (Response.redirect) are copied, not broken', async () => {
  const response = await fetch(`${base}/redirect`, { headers: fromApp, redirect: 'manual' });
  assert.equal(response.status, 302);
  assert.equal(response.headers.get('location'), 'https://app.example.com/elsewhere');
  assert.equal(response.headers.get('access-control-allow-origin'), 'https://app.example.com');
});

test('fetch withCors: CORS headers from the handler are replaced, never doubled, and removed for denied origins', async () => {
  const allowed = await fetch(`${base}/cors-from-elsewhere`, { headers: fromApp });
  assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://app.example.com');
  const denied = await fetch(`${base}/cors-from-elsewhere`, { headers: { Origin: 'https://evil.com' } });
  assert.equal(denied.headers.get('access-control-allow-origin'), null);
  assert.equal(denied.headers.get('access-control-allow-credentials'), null);
});

test('fetch withCors: preflights are answered without calling the handler', async () => {
  calls.length = 0;
  const ok = await fetch(`${base}/items`, {
    method: 'OPTIONS',
    headers: { ...fromApp, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'authorization,content-type' },
  });
  assert.equal(ok.status, 204);
  assert.equal(ok.headers.get('access-control-allow-methods'), 'PUT');
  assert.equal(ok.headers.get('access-control-allow-headers'), 'authorization, content-type');
  const refused = await fetch(`${base}/items`, {
    method: 'OPTIONS',
    headers: { Origin: 'https://evil.com', 'Access-Control-Request-Method': 'PUT' },
  });
  assert.equal(refused.status, 403);
  assert.equal(refused.headers.get('access-control-allow-origin'), null);
  const header = await fetch(`${base}/items`, {
    method: 'OPTIONS',
    headers: { ...fromApp, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'x-secret' },
  });
  assert.match(await header.text(), /header x-secret is not allowed/);
  assert.deepEqual(calls, []);
});

test('fetch withCors: the wrapped handler keeps the extra arguments (env, ctx)', async () => {
  const wrapped = withCors((request: Request, env: { greeting: string }) => new Response(env.greeting), {
    allowOrigins: ['https://app.example.com'],
  });
  const response = await wrapped(new Request('http://x/', { headers: fromApp }), { greeting: 'hello' });
  assert.equal(await response.text(), 'hello');
  assert.equal(response.headers.get('access-control-allow-origin'), 'https://app.example.com');
});
