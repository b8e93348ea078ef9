// The README's own-adapter example, served over node:http: the same answers as corsguard's adapters.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { send } from '../support/http.js';
import { startedServers } from '../support/server.js';
import { withCors, type PlainRequest } from './own-adapter.js';

const servers = startedServers();
after(() => servers.closeAll());

const handler = withCors(
  (request) => ({
    status: 200,
    headers: { 'access-control-allow-origin': '*', 'content-type': 'text/plain' },
    body: `hello ${request.url}`,
  }),
  { allowOrigins: ['https://app.example.com'], allowMethods: ['PUT'], onWarning: () => undefined },
);

async function listener(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers: PlainRequest['headers'] = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  const answer = await handler({ method: req.method ?? 'GET', url: req.url ?? '/', headers });
  res.writeHead(answer.status, answer.headers).end(answer.body);
}

test('README own adapter: preflights answered without the handler, actual responses carry the policy headers only', async () => {
  const url = await servers.serve((req, res) => void listener(req, res));
  const preflight = await send(`${url}/items`, {
    method: 'OPTIONS',
    headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'PUT' },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers['access-control-allow-origin'], 'https://app.example.com');
  assert.equal(preflight.headers['access-control-allow-methods'], 'PUT');
  const refused = await send(`${url}/items`, {
    method: 'OPTIONS',
    headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'PUT' },
  });
  assert.equal(refused.status, 403);
  assert.equal(refused.headers['access-control-allow-origin'], undefined);
  const allowed = await send(`${url}/items`, { headers: { Origin: 'https://app.example.com' } });
  assert.equal(allowed.body, 'hello /items');
  assert.equal(allowed.headers['access-control-allow-origin'], 'https://app.example.com');
  assert.equal(allowed.headers.vary, 'Origin');
  // The handler's own `*` never reaches an origin the policy denies.
  const denied = await send(`${url}/items`, { headers: { Origin: 'https://evil.example' } });
  assert.equal(denied.headers['access-control-allow-origin'], undefined);
});
