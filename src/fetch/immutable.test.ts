/**
 * Responses whose headers are immutable (`Response.redirect()`, a `fetch()` result), with the
 * platform's own Response class: @hono/node-server is told not to replace it
 * (`overrideGlobalObjects: false`), as on Bun, Deno and workerd, where nothing replaces it.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { cors } from '../hono/index.js';
import { send } from '../../test/support/http.js';
import { listen, listenServer, type RunningServer } from '../../test/support/server.js';
import { withCors } from './index.js';

const APP = 'https://app.example';
const options = { allowOrigins: [APP], exposeHeaders: ['X-Upstream'], onError: () => undefined };

/** An upstream that streams its body in two chunks, for a real `fetch()` Response. */
let upstream: RunningServer;
before(async () => {
  upstream = await listenServer(
    createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'X-Upstream': 'yes', 'Set-Cookie': ['a=1', 'b=2'] });
      res.write('streamed ');
      setImmediate(() => res.end('body'));
    }),
  );
});
after(() => upstream.close());

it('the platform Response has immutable headers here (so the copying path below runs)', () => {
  assert.throws(() => Response.redirect('https://app.example/next', 302).headers.set('x', 'y'), TypeError);
});

const routes = {
  redirect: () => Response.redirect('https://app.example/next', 302),
  proxied: () => fetch(upstream.url),
};

async function checkImmutableResponses(base: string, reported: unknown[]): Promise<void> {
  const redirect = await send(`${base}/redirect`, { headers: { origin: APP } });
  assert.equal(redirect.status, 302);
  assert.equal(redirect.headers.location, 'https://app.example/next');
  assert.equal(redirect.headers['access-control-allow-origin'], APP);
  assert.equal(redirect.headers.vary, 'Origin');
  const proxied = await send(`${base}/proxied`, { headers: { origin: APP } });
  assert.equal(proxied.status, 200);
  assert.equal(proxied.body, 'streamed body');
  assert.equal(proxied.headers['x-upstream'], 'yes');
  assert.equal(proxied.headers['access-control-allow-origin'], APP);
  assert.equal(proxied.headers['access-control-expose-headers'], 'X-Upstream');
  assert.equal(proxied.lineCounts['set-cookie'], 2);
  const denied = await send(`${base}/redirect`, { headers: { origin: 'https://evil.example' } });
  assert.equal(denied.status, 302);
  assert.equal(denied.headers['access-control-allow-origin'], undefined);
  assert.equal(denied.headers.vary, 'Origin');
  assert.deepEqual(reported, []);
}

describe('immutable responses with the platform Response (overrideGlobalObjects: false)', () => {
  it('fetch withCors copies them and writes its headers on the copy', async () => {
    const reported: unknown[] = [];
    const handler = withCors((request: Request) => (new URL(request.url).pathname === '/redirect' ? routes.redirect() : routes.proxied()), {
      ...options,
      onError: (error) => reported.push(error),
    });
    const server = await listen(getRequestListener(handler, { overrideGlobalObjects: false }));
    try {
      await checkImmutableResponses(server.url, reported);
    } finally {
      await server.close();
    }
  });

  it('hono cors copies them and writes its headers on the copy', async () => {
    const reported: unknown[] = [];
    const app = new Hono();
    app.use(cors({ ...options, onError: (error) => reported.push(error) }));
    app.get('/redirect', () => routes.redirect());
    app.get('/proxied', () => routes.proxied());
    const server = await listen(getRequestListener(app.fetch, { overrideGlobalObjects: false }));
    try {
      await checkImmutableResponses(server.url, reported);
    } finally {
      await server.close();
    }
  });
});
