/**
 * A CORS header another layer put on a node:http response is read the way node:http sends it:
 * a boolean or a number (`setHeader` accepts both and sends their text) as that text, an array as
 * its values joined with `, `. corsguard compares that text with its own answer, and reports it
 * in `foreign-cors-header` warnings. Real servers on loopback.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { corsMiddleware, withCors } from './index.js';
import type { CorsOptions } from '../core/options.js';
import type { CorsWarning } from '../core/options.js';
import { listen, type RunningServer } from '../../test/support/server.js';
import { send } from '../../test/support/http.js';

const running: RunningServer[] = [];
after(() => Promise.all(running.map((s) => s.close())));

const ALLOWED = 'https://app.example';
const DENIED = 'https://evil.example';

const OTHER_LAYER =
  "Remove the other layer (Nest's cors: true or enableCors(), the cors package, CORS headers set in a handler, " +
  "a proxy's add_header) and configure CORS in corsguard's options only.";

/** A withCors server whose handler runs `handle`; the warnings and errors it reports. */
async function serve(options: CorsOptions, handle: (res: ServerResponse) => void) {
  const warnings: CorsWarning[] = [];
  const errors: unknown[] = [];
  const server = await listen(
    withCors((_req, res) => handle(res), {
      ...options,
      onWarning: (warning) => warnings.push(warning),
      onError: (error) => errors.push(error),
    }),
  );
  running.push(server);
  return { url: server.url, warnings, errors };
}

test("a handler's Access-Control-Allow-Credentials set as the boolean true is the policy's own 'true', and kept", async () => {
  const { url, warnings, errors } = await serve({ allowOrigins: [ALLOWED], allowCredentials: true }, (res) => {
    res.setHeader('Access-Control-Allow-Credentials', true as unknown as string);
    res.end('ok');
  });
  const res = await send(url, { headers: { origin: ALLOWED } });
  assert.equal(res.status, 200);
  assert.equal(res.body, 'ok');
  assert.equal(res.headers['access-control-allow-origin'], ALLOWED);
  assert.equal(res.headers['access-control-allow-credentials'], 'true');
  assert.equal(res.lineCounts['access-control-allow-credentials'], 1);
  assert.deepEqual(warnings, []);
  assert.deepEqual(errors, []);
});

test("a handler's boolean Access-Control-Allow-Credentials on a policy without credentials is removed and reported as 'true'", async () => {
  const { url, warnings, errors } = await serve({ allowOrigins: [ALLOWED] }, (res) => {
    res.setHeader('Access-Control-Allow-Credentials', true as unknown as string);
    res.end('ok');
  });
  const res = await send(url, { headers: { origin: ALLOWED } });
  assert.equal(res.status, 200);
  assert.equal(res.body, 'ok');
  assert.equal(res.headers['access-control-allow-credentials'], undefined);
  assert.deepEqual(errors, []);
  assert.deepEqual(
    warnings.map((w) => [w.code, w.header, w.value, w.message]),
    [
      [
        'foreign-cors-header',
        'access-control-allow-credentials',
        'true',
        `another CORS layer set access-control-allow-credentials: true on a response to origin ${ALLOWED}; corsguard removed it. ${OTHER_LAYER}`,
      ],
    ],
  );
});

test('a numeric Access-Control-Max-Age an earlier layer put on a preflight refused for its origin is removed and reported as its text', async () => {
  const warnings: CorsWarning[] = [];
  const middleware = corsMiddleware({ allowOrigins: [ALLOWED], maxAge: 600, onWarning: (warning) => warnings.push(warning) });
  const server = await listen((req: IncomingMessage, res: ServerResponse) => {
    // An earlier layer that stamps every OPTIONS response, before corsguard answers it.
    if (req.method === 'OPTIONS') res.setHeader('Access-Control-Max-Age', 86400);
    middleware(req, res, () => res.end('next'));
  });
  running.push(server);
  const res = await send(server.url, { method: 'OPTIONS', headers: { origin: DENIED, 'access-control-request-method': 'PUT' } });
  assert.equal(res.status, 403);
  assert.equal(res.headers['access-control-max-age'], undefined);
  assert.equal(res.headers['access-control-allow-origin'], undefined);
  assert.deepEqual(
    warnings.map((w) => [w.code, w.header, w.value, w.message]),
    [
      [
        'foreign-cors-header',
        'access-control-max-age',
        '86400',
        `another CORS layer set access-control-max-age: 86400 on a response to origin ${DENIED}; corsguard removed it. ${OTHER_LAYER}`,
      ],
    ],
  );
});

test("writeHead's repeated Access-Control-Allow-Origin entries are reported as node would send them, joined with ', ', and replaced by the policy's", async () => {
  const { url, warnings, errors } = await serve({ allowOrigins: [ALLOWED] }, (res) => {
    res.writeHead(200, ['Access-Control-Allow-Origin', '*', 'access-control-allow-origin', 'https://other.example']).end('ok');
  });
  const res = await send(url, { headers: { origin: ALLOWED } });
  assert.equal(res.status, 200);
  assert.equal(res.headers['access-control-allow-origin'], ALLOWED);
  assert.equal(res.lineCounts['access-control-allow-origin'], 1);
  assert.deepEqual(errors, []);
  assert.deepEqual(
    warnings.map((w) => [w.header, w.value, w.message]),
    [
      [
        'access-control-allow-origin',
        '*, https://other.example',
        `another CORS layer set access-control-allow-origin: *, https://other.example on a response to origin ${ALLOWED}; corsguard sent access-control-allow-origin: ${ALLOWED} instead. ${OTHER_LAYER}`,
      ],
    ],
  );
});

test("a Vary set as a list is merged as node sends it: the handler's values joined with ', ', then Origin", async () => {
  const { url } = await serve({ allowOrigins: [ALLOWED] }, (res) => {
    res.setHeader('Vary', ['Accept-Encoding', 'Cookie']);
    res.end('ok');
  });
  const res = await send(url, { headers: { origin: ALLOWED } });
  assert.equal(res.headers.vary, 'Accept-Encoding, Cookie, Origin');
  assert.equal(res.lineCounts.vary, 1);
});

test("a Vary the handler emptied (setHeader('Vary', '')) is sent as Vary: Origin, not empty", async () => {
  const { url } = await serve({ allowOrigins: [ALLOWED] }, (res) => {
    res.setHeader('Vary', '');
    res.end('ok');
  });
  for (const origin of [ALLOWED, DENIED]) {
    const res = await send(url, { headers: { origin } });
    assert.equal(res.headers.vary, 'Origin', origin);
    assert.equal(res.lineCounts.vary, 1, origin);
  }
});

test("on a '*' policy, CORS headers an earlier layer set before corsguard are settled: an extra exposed header and credentials are removed and reported", async () => {
  const warnings: CorsWarning[] = [];
  const middleware = corsMiddleware({ allowOrigins: ['*'], onWarning: (warning) => warnings.push(warning) });
  const server = await listen((req: IncomingMessage, res: ServerResponse) => {
    // An earlier layer that stamps its own CORS headers on every response, before corsguard runs.
    res.setHeader('Access-Control-Expose-Headers', 'X-Secret');
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Access-Control-Allow-Origin', DENIED);
    middleware(req, res, () => res.end('next'));
  });
  running.push(server);
  const res = await send(server.url, { headers: { origin: ALLOWED } });
  assert.equal(res.status, 200);
  assert.equal(res.body, 'next');
  assert.equal(res.headers['access-control-allow-origin'], '*');
  assert.equal(res.lineCounts['access-control-allow-origin'], 1);
  assert.equal(res.headers['access-control-expose-headers'], undefined);
  assert.equal(res.headers['access-control-allow-credentials'], undefined);
  assert.deepEqual(
    warnings.map((w) => [w.code, w.header, w.value]),
    [
      ['foreign-cors-header', 'access-control-allow-origin', DENIED],
      ['foreign-cors-header', 'access-control-allow-credentials', 'true'],
      ['foreign-cors-header', 'access-control-expose-headers', 'X-Secret'],
    ],
  );
});
