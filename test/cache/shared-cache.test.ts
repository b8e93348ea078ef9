/**
 * A shared HTTP cache in front of the API: nginx with `proxy_cache`, on loopback. Requests from
 * many origins and from none, interleaved on the same URLs: no response may reach a client with
 * another origin's Access-Control-Allow-Origin. The same run against an upstream that omits
 * `Vary: Origin` must find the poisoning, which shows the check can fail. And the attack of
 * issue 11: a handler that sets its own `Vary` (node, Express, Koa), one request from a denied
 * origin first, then the real frontend, which must not get the cached denial.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import express from 'express';
import Koa from 'koa';
import { withCors } from '../../src/node/index.js';
import { cors as expressCors } from '../../src/express/index.js';
import { cors as koaCors } from '../../src/koa/index.js';
import type { CorsOptions } from '../../src/core/options.js';
import { seededRandom } from '../security/support.js';
import { listen } from '../support/server.js';
import { INSTALL_HINT, NGINX_BINARY, startCachingProxy } from './nginx.js';

const ALLOWED = [
  'https://app.example.com',
  'https://admin.example.com',
  'https://example.com',
  'http://localhost:3000',
  'http://localhost:5173',
  'https://partner.example.org',
];
const TENANTS = ['https://a.tenant.test', 'https://b.tenant.test'];
const DENIED = ['https://evil.com', 'null', 'https://example.com.evil.com', 'https://app.example.com:8443'];
/** undefined = a request without Origin (a navigation, curl, a same-origin GET). */
const POOL: Array<string | undefined> = [...ALLOWED, ...TENANTS, ...DENIED, undefined, undefined, undefined];

function api(res: ServerResponse, req: IncomingMessage): void {
  res.setHeader('Cache-Control', 'public, max-age=300');
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('X-Total-Count', '3');
  res.end(JSON.stringify({ path: req.url }));
}

const corsguardUpstream: RequestListener = withCors((req, res) => api(res, req), {
  allowOrigins: [...ALLOWED, 'https://*.tenant.test'],
  allowCredentials: true,
  allowMethods: ['PUT'],
  exposeHeaders: ['X-Total-Count'],
  onWarning: () => undefined,
});

/** What many hand-written CORS layers do: echo an allowed origin, and forget `Vary: Origin`. */
const allowedSet = new Set([...ALLOWED, ...TENANTS]);
const upstreamWithoutVary: RequestListener = (req, res) => {
  const origin = req.headers.origin;
  if (origin !== undefined && allowedSet.has(origin)) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
  }
  api(res, req);
};

interface Observation {
  readonly origin: string | undefined;
  readonly allowOrigin: string | undefined;
  readonly cache: string | undefined;
  readonly status: number;
}

/** Sends one request through the proxy and notes what came back. */
function observe(agent: Agent, port: number, path: string, origin: string | undefined, preflight = false): Promise<Observation> {
  const headers: Record<string, string> = {};
  if (origin !== undefined) headers.Origin = origin;
  if (preflight) headers['Access-Control-Request-Method'] = 'PUT';
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: '127.0.0.1', port, path, method: preflight ? 'OPTIONS' : 'GET', headers }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({
          origin,
          allowOrigin: res.headers['access-control-allow-origin'] as string | undefined,
          cache: res.headers['x-cache-status'] as string | undefined,
          status: res.statusCode ?? 0,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** Runs `use` against nginx caching in front of `upstream`, and stops both afterwards. */
async function throughCache<T>(upstream: RequestListener, use: (agent: Agent, port: number) => Promise<T>): Promise<T> {
  const server = await listen(upstream);
  let proxy;
  try {
    proxy = await startCachingProxy(Number(new URL(server.url).port));
  } catch (error) {
    await server.close();
    throw error;
  }
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  try {
    const result = await use(agent, proxy.port);
    assert.equal(proxy.errorLog().match(/\[(emerg|alert|crit)\]/), null, proxy.errorLog());
    return result;
  } finally {
    agent.destroy();
    await proxy.stop();
    await server.close();
  }
}

function run(upstream: RequestListener, requests: number, seed: number): Promise<Observation[]> {
  const random = seededRandom(seed);
  return throughCache(upstream, async (agent, port) => {
    const one = (): Promise<Observation> => {
      const origin = POOL[Math.floor(random() * POOL.length)];
      const path = `/items/${Math.floor(random() * 5)}`;
      return observe(agent, port, path, origin, origin !== undefined && random() < 0.1);
    };
    const observations: Observation[] = [];
    // Eight clients at a time, so requests interleave on the same cache entries.
    let started = 0;
    const clients = Array.from({ length: 8 }, async () => {
      while (started++ < requests) observations.push(await one());
    });
    await Promise.all(clients);
    return observations;
  });
}

/** Responses that carry an Access-Control-Allow-Origin meant for someone else. */
function foreignAllowOrigins(observations: readonly Observation[]): Observation[] {
  return observations.filter((o) => o.allowOrigin !== undefined && o.allowOrigin !== o.origin);
}

// Without nginx the tests are skipped with the install command, except in CI (CI=true), where
// they run and fail on the missing binary.
const skip = NGINX_BINARY === undefined && process.env.CI !== 'true' ? INSTALL_HINT : false;
if (skip !== false) console.log(`# SKIP shared-cache tests: ${INSTALL_HINT}`);

test("through nginx proxy_cache, no client ever gets another origin's Access-Control-Allow-Origin", { skip }, async () => {
  const observations = await run(corsguardUpstream, 1500, 7);
  assert.equal(observations.filter((o) => o.status >= 500).length, 0);
  assert.deepEqual(foreignAllowOrigins(observations), []);
  for (const o of observations) {
    const allowed = o.origin !== undefined && allowedSet.has(o.origin);
    assert.equal(o.allowOrigin, allowed ? o.origin : undefined, JSON.stringify(o));
  }
  const hits = observations.filter((o) => o.cache === 'HIT').length;
  // The cache really served shared entries (one per URL and Origin), so the check meant something.
  assert.ok(hits > 500, `cache hits: ${hits} of ${observations.length}`);
});

test('the same run against an upstream without Vary: Origin detects the poisoning', { skip }, async () => {
  const observations = await run(upstreamWithoutVary, 1500, 7);
  const poisoned = foreignAllowOrigins(observations);
  assert.ok(poisoned.length > 0, "a cache in front of a server without Vary: Origin hands one origin's answer to another");
  const hits = observations.filter((o) => o.cache === 'HIT').length;
  assert.ok(hits > 1000, `cache hits: ${hits}`);
});

/** Handlers that set their own `Vary`, replacing the `Vary: Origin` corsguard wrote before they ran. */
const FRONTEND = ALLOWED[0]!;
const ownVaryOptions: CorsOptions = { allowOrigins: [FRONTEND], allowCredentials: true };
function cacheable(res: ServerResponse): void {
  res.setHeader('Cache-Control', 'public, max-age=300');
  res.setHeader('Content-Type', 'text/plain');
}
const expressOwnVary = express();
expressOwnVary.use(expressCors(ownVaryOptions));
expressOwnVary.use((_req, res) => {
  cacheable(res);
  res.set('Vary', 'Accept-Encoding').send('data');
});
const koaOwnVary = new Koa();
koaOwnVary.use(koaCors(ownVaryOptions));
koaOwnVary.use((ctx) => {
  cacheable(ctx.res);
  ctx.set('Vary', 'Accept-Encoding');
  ctx.body = 'data';
});
const OWN_VARY_UPSTREAMS: Record<string, RequestListener> = {
  "corsguard/node, res.setHeader('Vary', ...)": withCors((_req, res) => {
    cacheable(res);
    res.setHeader('Vary', 'Accept-Encoding');
    res.end('data');
  }, ownVaryOptions),
  'corsguard/node, res.writeHead(200, { Vary })': withCors((_req, res) => {
    res.writeHead(200, { 'Cache-Control': 'public, max-age=300', 'Content-Type': 'text/plain', Vary: 'Accept-Encoding' }).end('data');
  }, ownVaryOptions),
  "corsguard/express, res.set('Vary', ...)": expressOwnVary,
  "corsguard/koa, ctx.set('Vary', ...)": koaOwnVary.callback(),
};

for (const [name, upstream] of Object.entries(OWN_VARY_UPSTREAMS)) {
  test(`through nginx proxy_cache, a denied origin's request does not deny the frontend (${name})`, { skip }, async () => {
    const [denied, frontend, none, again] = await throughCache(upstream, async (agent, port) => [
      // The attacker goes first, so a cache that ignores Origin stores the answer without ACAO.
      await observe(agent, port, '/items/1', 'https://evil.com'),
      await observe(agent, port, '/items/1', FRONTEND),
      await observe(agent, port, '/items/1', undefined),
      await observe(agent, port, '/items/1', FRONTEND),
    ]);
    assert.equal(denied!.allowOrigin, undefined);
    assert.equal(frontend!.allowOrigin, FRONTEND, `the frontend got the cached denial: ${JSON.stringify(frontend)}`);
    assert.equal(none!.allowOrigin, undefined);
    // The frontend's own answer was cached and served again: the cache did work.
    assert.deepEqual([again!.allowOrigin, again!.cache], [FRONTEND, 'HIT']);
  });
}
