// corsOptionsFromEnv over real HTTP: the README's example, configured only by variables.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

process.env['PORT'] = '0';
process.env['CORS_ALLOW_ORIGINS'] = 'https://app.example.com, https://admin.example.com';
process.env['CORS_ALLOW_HEADERS'] = 'Content-Type';
const { server } = await import('./env-server.js');
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('origins, headers and methods from the environment decide a real preflight', async () => {
  if (!server.listening) await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const preflight = (origin: string) =>
    fetch(base, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'content-type' },
    });
  const allowed = await preflight('https://admin.example.com');
  assert.equal(allowed.status, 204);
  assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://admin.example.com');
  assert.match(allowed.headers.get('access-control-allow-methods') ?? '', /PUT/);
  assert.match(allowed.headers.get('access-control-allow-headers') ?? '', /content-type/i);
  const denied = await preflight('https://evil.example');
  assert.equal(denied.headers.get('access-control-allow-origin'), null);
});
