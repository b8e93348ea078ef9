/**
 * Every preflight answer is a complete response: a listener or middleware that forgot to end
 * it would leave the browser waiting until it gives up. The raw client fails the request after
 * a few seconds, so such a bug fails these tests by name instead of hanging the run.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestListener } from 'node:http';
import { corsMiddleware, withCors } from './index.js';
import type { CorsOptions } from '../core/options.js';
import { startedServers } from '../../test/support/server.js';
import { send, type RawResponse } from '../../test/support/http.js';

const servers = startedServers();
after(servers.closeAll);
const serve = servers.serve;

const ORIGIN = 'https://app.example.com';
const options: CorsOptions = { allowOrigins: [ORIGIN], allowMethods: ['PUT'], allowHeaders: ['X-Api-Key'] };
const FAST = { timeoutMs: 5_000 };

function preflight(url: string, origin: string, method: string): Promise<RawResponse> {
  return send(url, { ...FAST, method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': method } });
}

/** The server's fallback when a preflight wrongly gets past the CORS layer. */
const reachedApp: RequestListener = (_req, res) => {
  res.statusCode = 418;
  res.end('the preflight reached the application');
};

for (const preflightStatus of [204, 200]) {
  test(`withCors: an allowed preflight gets a complete, empty ${preflightStatus} answer`, async () => {
    const url = await serve(withCors(reachedApp, { ...options, preflightStatus }));
    const res = await preflight(url, ORIGIN, 'PUT');
    assert.equal(res.status, preflightStatus);
    assert.equal(res.body, '');
    assert.equal(res.headers['access-control-allow-origin'], ORIGIN);
    assert.equal(res.headers['access-control-allow-methods'], 'PUT');
    // 204 carries no body by definition; any other empty answer says so.
    assert.equal(res.headers['content-length'], preflightStatus === 204 ? undefined : '0');
  });
}

test('withCors: refused preflights (origin, then method) get a complete plain-text answer', async () => {
  const url = await serve(withCors(reachedApp, options));
  const badOrigin = await preflight(url, 'https://evil.example.net', 'PUT');
  assert.equal(badOrigin.status, 403);
  assert.match(badOrigin.body, /origin is not allowed/);
  assert.equal(badOrigin.headers['content-length'], String(Buffer.byteLength(badOrigin.body)));
  const badMethod = await preflight(url, ORIGIN, 'DELETE');
  assert.equal(badMethod.status, 200);
  assert.match(badMethod.body, /method DELETE is not allowed/);
});

test('corsMiddleware: answers the preflight itself, completely, and never calls next()', async () => {
  const middleware = corsMiddleware(options);
  let nextCalls = 0;
  const url = await serve((req, res) =>
    middleware(req, res, () => {
      nextCalls++;
      reachedApp(req, res);
    }),
  );
  const allowed = await preflight(url, ORIGIN, 'PUT');
  assert.equal(allowed.status, 204);
  assert.equal(allowed.body, '');
  assert.equal(allowed.headers['access-control-allow-origin'], ORIGIN);
  const refused = await preflight(url, 'https://evil.example.net', 'PUT');
  assert.equal(refused.status, 403);
  assert.equal(nextCalls, 0);
});
