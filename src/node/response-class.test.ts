/**
 * Responses of a class of the app's own (`http.createServer({ ServerResponse: AppResponse })`,
 * or Express, which gives every response a prototype of its own): corsguard settles their head
 * where node:http writes it, after every layer that hooks `res.writeHead`, including one mounted
 * before corsguard (response-time, compression and other on-headers users do that). Real
 * servers on loopback.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, ServerResponse, type IncomingMessage } from 'node:http';
import { corsMiddleware } from './index.js';
import { listenServer, type RunningServer } from '../../test/support/server.js';
import { send } from '../../test/support/http.js';
import { varyList } from '../../test/support/vary.js';

const running: RunningServer[] = [];
after(() => Promise.all(running.map((s) => s.close())));

const ALLOWED = 'https://app.example';
const DENIED = 'https://evil.example';

class AppResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {}

/** An earlier layer's hook on the head, as on-headers installs it: runs just before the head is written. */
function onHead(res: ServerResponse, hook: () => void): void {
  const previous = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    hook();
    return Reflect.apply(previous, this, args) as ServerResponse;
  } as ServerResponse['writeHead'];
}

test('a response of its own class: what a layer mounted before corsguard sets in its head hook is settled too', async () => {
  const cors = corsMiddleware({ allowOrigins: [ALLOWED], onWarning: () => {} });
  const server = await listenServer(
    createServer({ ServerResponse: AppResponse }, (req, res) => {
      assert.ok(res instanceof AppResponse);
      onHead(res, () => {
        res.setHeader('Vary', 'Accept-Encoding');
        res.setHeader('Access-Control-Allow-Origin', '*');
      });
      cors(req, res, () => res.end('ok'));
    }),
  );
  running.push(server);
  for (const origin of [ALLOWED, DENIED]) {
    const res = await send(server.url, { headers: { origin } });
    assert.equal(res.status, 200, origin);
    assert.equal(res.headers['access-control-allow-origin'], origin === ALLOWED ? ALLOWED : undefined, origin);
    assert.deepEqual(varyList(res.headers.vary), ['accept-encoding', 'origin'], origin);
  }
});

test("a response class whose writeHead adds headers before node's: they are settled too", async () => {
  class StampedResponse extends ServerResponse {
    override writeHead(...args: unknown[]): this {
      this.setHeader('Access-Control-Allow-Origin', '*');
      this.setHeader('Vary', 'Accept-Language');
      return Reflect.apply(ServerResponse.prototype.writeHead, this, args) as this;
    }
  }
  const cors = corsMiddleware({ allowOrigins: [ALLOWED], onWarning: () => {} });
  const server = await listenServer(createServer({ ServerResponse: StampedResponse }, (req, res) => cors(req, res, () => res.end('ok'))));
  running.push(server);
  for (const origin of [ALLOWED, DENIED]) {
    const res = await send(server.url, { headers: { origin } });
    assert.equal(res.status, 200, origin);
    assert.equal(res.headers['access-control-allow-origin'], origin === ALLOWED ? ALLOWED : undefined, origin);
    assert.deepEqual(varyList(res.headers.vary), ['accept-language', 'origin'], origin);
  }
});

test('a response of its own class whose writeHead node refuses (a status of 1000), called again: the second head is settled too', async () => {
  const thrown: string[] = [];
  const cors = corsMiddleware({ allowOrigins: [ALLOWED], onWarning: () => {} });
  const server = await listenServer(
    createServer({ ServerResponse: AppResponse }, (req, res) =>
      cors(req, res, () => {
        try {
          res.writeHead(1000, { 'X-Upstream': 'status 1000' });
        } catch (error) {
          thrown.push((error as NodeJS.ErrnoException).code ?? '');
        }
        res.writeHead(502, { Vary: 'Accept-Encoding', 'Access-Control-Allow-Origin': '*' }).end('bad gateway');
      }),
    ),
  );
  running.push(server);
  for (const origin of [ALLOWED, DENIED]) {
    const res = await send(server.url, { headers: { origin } });
    assert.equal(res.status, 502, origin);
    assert.equal(res.body, 'bad gateway', origin);
    assert.equal(res.headers['access-control-allow-origin'], origin === ALLOWED ? ALLOWED : undefined, origin);
    assert.deepEqual(varyList(res.headers.vary), ['accept-encoding', 'origin'], origin);
  }
  assert.deepEqual(thrown, ['ERR_HTTP_INVALID_STATUS_CODE', 'ERR_HTTP_INVALID_STATUS_CODE']);
});
