// The README's multi-tenant example: each Host gets its own compiled policy.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { send } from '../support/http.js';
import { startedServers } from '../support/server.js';
import { app } from './tenants.js';

const servers = startedServers();
after(() => servers.closeAll());

test('README multi-tenant: the policy of the request Host decides, and the handler reads its answer', async () => {
  const url = await servers.serve(app as unknown as (req: IncomingMessage, res: ServerResponse) => void);
  const get = (host: string, origin: string) => send(`${url}/items`, { headers: { Host: host, Origin: origin } });
  const a = await get('a.api.example.com', 'https://a.example.com');
  assert.equal(a.headers['access-control-allow-origin'], 'https://a.example.com');
  assert.deepEqual(JSON.parse(a.body), { cors: { kind: 'actual', allowed: true, reason: 'origin allowed' } });
  assert.equal((await get('b.api.example.com', 'https://a.example.com')).headers['access-control-allow-origin'], undefined);
  assert.equal(
    (await get('b.api.example.com', 'https://admin.example.com')).headers['access-control-allow-origin'],
    'https://admin.example.com',
  );
  const unknown = await get('c.api.example.com', 'https://a.example.com');
  assert.equal(unknown.headers['access-control-allow-origin'], undefined);
  assert.equal(JSON.parse(unknown.body).cors.allowed, false);
});
