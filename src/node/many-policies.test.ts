/**
 * An app that builds many policies in one process (one per route or tenant, or one per request by
 * mistake): node:http's `writeHead` is hooked once, not once per policy, so a response's head
 * costs the same and nothing piles up. A real server on loopback.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corsMiddleware, withCors } from './index.js';
import { withServer } from '../../test/support/server.js';
import { send } from '../../test/support/http.js';

const ALLOWED = 'https://app.example';

test('after 5000 policies were built, a response still gets its head written and settled', async () => {
  for (let i = 0; i < 2500; i++) {
    corsMiddleware({ allowOrigins: [`https://tenant${i}.example`] });
    withCors(() => {}, { allowOrigins: [`https://tenant${i}.example`] });
  }
  const cors = corsMiddleware({ allowOrigins: [ALLOWED], onWarning: () => {} });
  await withServer(
    (req, res) =>
      cors(req, res, () => {
        res.setHeader('Access-Control-Allow-Origin', '*');
        res.writeHead(200, { Vary: 'Accept-Encoding' }).end('ok');
      }),
    async (url) => {
      const res = await send(url, { headers: { origin: ALLOWED } });
      assert.equal(res.status, 200);
      assert.equal(res.body, 'ok');
      assert.equal(res.headers['access-control-allow-origin'], ALLOWED);
      assert.equal(res.headers.vary, 'Accept-Encoding, Origin');
    },
  );
});
