/**
 * The CORS headers corsguard writes on node:http go out with lower-case names: node's
 * `setHeader` lower-cases every name it is given, which costs nothing for a name that is
 * lower-case already (BENCHMARKS.md, "Header-name case"). Names are case-insensitive on the
 * wire, and lower-case in HTTP/2. Read from the raw header lines a real server sends.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { withCors } from './index.js';
import { listen, type RunningServer } from '../../test/support/server.js';

const running: RunningServer[] = [];
after(() => Promise.all(running.map((s) => s.close())));

/** The header names of one response, exactly as they came over the socket. */
function rawNames(url: string, method: string, headers: Record<string, string>): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.rawHeaders.filter((_, i) => i % 2 === 0)));
    });
    req.on('error', reject);
    req.end();
  });
}

test('node:http: the CORS response headers and Vary are sent with lower-case names', async () => {
  const server = await listen(
    withCors((_req, res) => res.end('ok'), {
      allowOrigins: ['https://app.example.com'],
      allowCredentials: true,
      allowMethods: ['PUT'],
      allowHeaders: ['Content-Type'],
      exposeHeaders: ['X-Total-Count'],
      maxAge: 600,
    }),
  );
  running.push(server);
  const origin = 'https://app.example.com';
  const actual = await rawNames(server.url, 'GET', { origin });
  const preflight = await rawNames(server.url, 'OPTIONS', {
    origin,
    'access-control-request-method': 'PUT',
    'access-control-request-headers': 'content-type',
  });
  const cors = (names: string[]) => names.filter((n) => /^(access-control-|vary$)/i.test(n));
  assert.deepEqual(cors(actual), [
    'vary',
    'access-control-allow-origin',
    'access-control-allow-credentials',
    'access-control-expose-headers',
  ]);
  assert.deepEqual(cors(preflight).sort(), [
    'access-control-allow-credentials',
    'access-control-allow-headers',
    'access-control-allow-methods',
    'access-control-allow-origin',
    'access-control-max-age',
    'vary',
  ]);
});
