/**
 * Two corsguard middlewares on one response (an app-wide policy, and a stricter one mounted for a
 * part of the app): the innermost one's answer is what the response is sent with, on node:http
 * and on node:http2's compatibility API (whose responses get a `writeHead` of their own per
 * middleware). Real servers on loopback.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { http2Get } from '../../test/support/http2.js';
import { corsMiddleware } from './index.js';
import { listen, type RunningServer } from '../../test/support/server.js';
import { send } from '../../test/support/http.js';
import { varyList } from '../../test/support/vary.js';

const running: RunningServer[] = [];
after(() => Promise.all(running.map((s) => s.close())));

const PARTNER = 'https://partner.example';
const APP = 'https://app.example';

/** The app-wide policy lets the partner in with credentials; the admin part only the app itself. */
const appWide = corsMiddleware({ allowOrigins: [APP, PARTNER], allowCredentials: true, exposeHeaders: ['X-Total-Count'] });
const adminOnly = corsMiddleware({ allowOrigins: [APP] });

/** Both middlewares, then a handler that writes its head with writeHead. */
function stacked(req: IncomingMessage, res: ServerResponse): void {
  appWide(req, res, () => {
    adminOnly(req, res, () => {
      res.writeHead(200, { 'Content-Type': 'text/plain', Vary: 'Accept-Encoding' }).end('admin');
    });
  });
}

/** The headers of an HTTP/2 response to GET / with the given Origin. */
function http2GetStacked(origin: string): Promise<Record<string, unknown>> {
  return http2Get(stacked as unknown as (req: Http2ServerRequest, res: Http2ServerResponse) => void, '/', origin);
}

test('two stacked corsguard middlewares on node:http: the inner policy answers, whatever the outer one allowed', async () => {
  const server = await listen(stacked);
  running.push(server);
  const partner = await send(server.url, { headers: { origin: PARTNER } });
  assert.equal(partner.status, 200);
  assert.equal(partner.body, 'admin');
  assert.equal(partner.headers['access-control-allow-origin'], undefined);
  assert.equal(partner.headers['access-control-allow-credentials'], undefined);
  assert.equal(partner.headers['access-control-expose-headers'], undefined);
  assert.deepEqual(varyList(partner.headers.vary), ['accept-encoding', 'origin']);
  const app = await send(server.url, { headers: { origin: APP } });
  assert.equal(app.headers['access-control-allow-origin'], APP);
  assert.equal(app.headers['access-control-allow-credentials'], undefined);
  assert.equal(app.headers['access-control-expose-headers'], undefined);
});

test('two stacked corsguard middlewares on node:http2: the inner policy answers, whatever the outer one allowed', async () => {
  const partner = await http2GetStacked(PARTNER);
  assert.equal(partner[':status'], 200);
  assert.equal(partner['access-control-allow-origin'], undefined);
  assert.equal(partner['access-control-allow-credentials'], undefined);
  assert.equal(partner['access-control-expose-headers'], undefined);
  assert.deepEqual(varyList(partner.vary as string), ['accept-encoding', 'origin']);
  const app = await http2GetStacked(APP);
  assert.equal(app['access-control-allow-origin'], APP);
  assert.equal(app['access-control-allow-credentials'], undefined);
  assert.equal(app['access-control-expose-headers'], undefined);
});
