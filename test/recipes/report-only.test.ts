// The README's report-only example: the enforced policy answers, the candidate's differences are
// reported.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

process.env['PORT'] = '0';
const { server, reported } = await import('./report-only.js');
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('README report-only example: the legacy frontend is still served, and what the candidate would refuse is reported', async () => {
  if (!server.listening) await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const legacy = await fetch(`${base}/orders`, { headers: { Origin: 'https://legacy.example.com' } });
  assert.equal(legacy.headers.get('access-control-allow-origin'), 'https://legacy.example.com');
  const remove = await fetch(`${base}/orders/7`, {
    method: 'OPTIONS',
    headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'DELETE' },
  });
  assert.equal(remove.status, 204);
  assert.deepEqual(
    reported.map((change) => [change.kind, change.method, change.path, change.origin, change.enforced.allowed, change.candidate.reason]),
    [
      ['actual', 'GET', '/orders', 'https://legacy.example.com', true, 'origin not allowed'],
      ['preflight', 'DELETE', '/orders/7', 'https://app.example.com', true, 'method DELETE is not allowed'],
    ],
  );
});
