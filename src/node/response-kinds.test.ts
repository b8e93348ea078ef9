/**
 * Responses that are not a plain `ServerResponse`, and a handler that fails after its head is sent:
 * node:http2's compatibility API (its `Http2ServerResponse` inherits from no `ServerResponse`, so the
 * policy's answer is settled through a `writeHead` of the response's own), and the close that is
 * all a handler's late failure leaves. Real servers on loopback.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { http2Get } from '../../test/support/http2.js';
import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { withCors } from './index.js';

const options = { allowOrigins: ['https://app.example.com'], exposeHeaders: ['X-Total-Count'] };

/** One request over HTTP/2 with the given Origin; the response's status and headers. */
function http2GetWithCors(origin: string, handler: (req: Http2ServerRequest, res: Http2ServerResponse) => void) {
  const listener = withCors(handler as unknown as (req: IncomingMessage, res: ServerResponse) => void, options) as unknown as (
    req: Http2ServerRequest,
    res: Http2ServerResponse,
  ) => void;
  return http2Get(listener, '/items', origin);
}

/** A handler that sets another layer's CORS headers, as a stacked `cors()` would. */
function foreignLayer(_req: Http2ServerRequest, res: Http2ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('X-Total-Count', '3');
  res.end('[1,2,3]');
}

test("node:http2 compatibility API: an allowed origin gets the policy's headers, whatever the handler set", async () => {
  const headers = await http2GetWithCors('https://app.example.com', foreignLayer);
  assert.equal(headers[':status'], 200);
  assert.equal(headers['access-control-allow-origin'], 'https://app.example.com');
  assert.equal(headers['access-control-expose-headers'], 'X-Total-Count');
  assert.equal(headers.vary, 'Origin');
});

test('node:http2 compatibility API: a denied origin does not keep the CORS header another layer set', async () => {
  const headers = await http2GetWithCors('https://evil.example', foreignLayer);
  assert.equal(headers[':status'], 200);
  assert.equal(headers['access-control-allow-origin'], undefined);
  assert.equal(headers.vary, 'Origin');
});

test('a handler that fails after sending its head: the connection is closed, and onError is told', async () => {
  const errors: unknown[] = [];
  const server = createHttpServer(
    withCors(
      async (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.write('partial');
        await new Promise((resolve) => setImmediate(resolve));
        throw new Error('failed mid-body');
      },
      { ...options, onError: (error) => errors.push(error) },
    ),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const outcome = await new Promise<{ status: number | undefined; aborted: boolean }>((resolve) => {
      const req = httpRequest(
        { host: '127.0.0.1', port: (server.address() as AddressInfo).port, path: '/', headers: { Origin: 'https://app.example.com' } },
        (res) => {
          res.on('data', () => {});
          res.on('aborted', () => resolve({ status: res.statusCode, aborted: true }));
          res.on('error', () => resolve({ status: res.statusCode, aborted: true }));
          res.on('end', () => resolve({ status: res.statusCode, aborted: false }));
        },
      );
      req.on('error', () => resolve({ status: undefined, aborted: true }));
      req.end();
    });
    // The 200 head was already sent: no 500 can follow it, so the body is cut short.
    assert.deepEqual(outcome, { status: 200, aborted: true });
    assert.equal(errors.length, 1);
    assert.equal((errors[0] as Error).message, 'failed mid-body');
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
