// The README quick start must let the commonest first request through: a JSON POST from the
// allowed origin, which the browser preflights because of `Content-Type: application/json`.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

process.env['PORT'] = '0';
const { server } = await import('./quick-start.js');
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('README quick start: a JSON POST from the allowed origin passes its preflight and is readable', async () => {
  if (!server.listening) await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const preflight = await fetch(base, {
    method: 'OPTIONS',
    headers: {
      Origin: 'https://app.example.com',
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'content-type',
    },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://app.example.com');
  assert.equal(preflight.headers.get('access-control-allow-credentials'), 'true');
  assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /content-type/i);
  const post = await fetch(base, {
    method: 'POST',
    headers: { Origin: 'https://app.example.com', 'Content-Type': 'application/json' },
    body: '{}',
  });
  assert.equal(await post.text(), '{"message":"Hello World"}');
  assert.equal(post.headers.get('access-control-allow-origin'), 'https://app.example.com');
});
