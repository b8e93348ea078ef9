// Two CORS layers (issue 12, item 5): a handler, Nest's `cors: true` or the `cors` package setting
// CORS headers beside corsguard. On every adapter, over loopback HTTP: corsguard's answer is what is
// sent, and each foreign header is reported once through onWarning, naming header and value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { corsMiddleware, withCors } from '../../src/node/index.js';
import { cors as expressCors } from '../../src/express/index.js';
import { listen, type RunningServer } from '../support/server.js';
import type { CorsErrorContext, CorsOptions, CorsWarning } from '../../src/core/options.js';
import { EVERY_ADAPTER, serveAdapter } from './every-adapter.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example';
type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** What the other layer sets, after corsguard wrote its own headers. */
const FOREIGN = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Credentials': 'true' };

async function serve(adapter: string, options: CorsOptions): Promise<RunningServer> {
  return serveAdapter(adapter, options, FOREIGN);
}

async function get(server: RunningServer, origin?: string): Promise<Response> {
  const response = await fetch(`${server.url}/`, { headers: origin === undefined ? {} : { Origin: origin } });
  assert.equal(await response.text(), 'ok');
  return response;
}

for (const adapter of Object.keys(EVERY_ADAPTER)) {
  test(`${adapter}: CORS headers a handler sets are replaced by corsguard's answer and reported once each, with their values`, async () => {
    const warnings: CorsWarning[] = [];
    const server = await serve(adapter, {
      allowOrigins: [APP],
      exposeHeaders: ['X-Total-Count'],
      onWarning: (warning) => warnings.push(warning),
    });
    try {
      for (let round = 0; round < 3; round++) {
        const denied = await get(server, EVIL);
        assert.equal(denied.headers.get('access-control-allow-origin'), null, 'denied origin');
        assert.equal(denied.headers.get('access-control-allow-credentials'), null, 'denied origin');
        const allowed = await get(server, APP);
        assert.equal(allowed.headers.get('access-control-allow-origin'), APP, 'allowed origin');
        assert.equal(allowed.headers.get('access-control-allow-credentials'), null, 'allowed origin, no credentials configured');
        assert.equal(allowed.headers.get('access-control-expose-headers'), 'X-Total-Count', 'allowed origin');
        const none = await get(server);
        assert.equal(none.headers.get('access-control-allow-origin'), null, 'no Origin');
      }
    } finally {
      await server.close();
    }
    assert.deepEqual(
      warnings.map((w) => [w.code, w.header, w.value]),
      [
        ['foreign-cors-header', 'access-control-allow-origin', '*'],
        ['foreign-cors-header', 'access-control-allow-credentials', 'true'],
      ],
    );
    assert.match(
      warnings[0]!.message,
      /access-control-allow-origin: \* on a response to origin https:\/\/evil\.example; corsguard removed it/,
    );
    assert.equal(warnings[0]!.option, 'allowOrigins');
    assert.equal(warnings[1]!.option, 'allowCredentials');
  });

  test(`${adapter}: an allowed origin whose handler sets another Allow-Origin gets the policy's, and the warning says so`, async () => {
    const warnings: CorsWarning[] = [];
    const server = await serve(adapter, { allowOrigins: [APP], allowCredentials: true, onWarning: (warning) => warnings.push(warning) });
    try {
      const allowed = await get(server, APP);
      assert.equal(allowed.headers.get('access-control-allow-origin'), APP);
      assert.equal(allowed.headers.get('access-control-allow-credentials'), 'true');
    } finally {
      await server.close();
    }
    assert.deepEqual(
      warnings.map((w) => w.header),
      ['access-control-allow-origin'],
    );
    assert.match(
      warnings[0]!.message,
      new RegExp(
        `access-control-allow-origin: \\* on a response to origin ${APP.replace(/\./g, '\\.')}; corsguard sent access-control-allow-origin: ${APP.replace(/\./g, '\\.')} instead`,
      ),
    );
  });

  test(`${adapter}: an onWarning that throws breaks no request; the error goes to onError as a hook's`, async () => {
    const errors: CorsErrorContext['source'][] = [];
    const server = await serve(adapter, {
      allowOrigins: [APP],
      onWarning: () => {
        throw new Error('logger down');
      },
      onError: (_error, context) => errors.push(context.source),
    });
    try {
      const denied = await get(server, EVIL);
      assert.equal(denied.status, 200);
      assert.equal(denied.headers.get('access-control-allow-origin'), null);
      const again = await get(server, EVIL);
      assert.equal(again.headers.get('access-control-allow-origin'), null);
    } finally {
      await server.close();
    }
    assert.deepEqual(errors, ['hook', 'hook']);
  });
}

test('a stricter corsguard on an Express router wins over the app-wide one, also when the head is written', async () => {
  const app = express();
  app.use(expressCors({ allowOrigins: [APP, EVIL], onWarning: () => {} }));
  const admin = express.Router();
  admin.use(expressCors({ allowOrigins: [APP], onWarning: () => {} }));
  admin.get('/', (_req, res) => {
    res.send('ok');
  });
  app.use('/admin', admin);
  const server = await listen(app as unknown as Listener);
  try {
    const response = await fetch(`${server.url}/admin/`, { headers: { Origin: EVIL } });
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    const allowed = await fetch(`${server.url}/admin/`, { headers: { Origin: APP } });
    assert.equal(allowed.headers.get('access-control-allow-origin'), APP);
  } finally {
    await server.close();
  }
});

test('two corsMiddleware on one node:http response: the one that ran last decides, also when the head is written', async () => {
  const outer = corsMiddleware({ allowOrigins: [APP, EVIL], onWarning: () => {} });
  const inner = corsMiddleware({ allowOrigins: [APP], onWarning: () => {} });
  const server = await listen((req, res) => outer(req, res, () => inner(req, res, () => res.end('ok'))));
  try {
    const response = await fetch(`${server.url}/`, { headers: { Origin: EVIL } });
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    const allowed = await fetch(`${server.url}/`, { headers: { Origin: APP } });
    assert.equal(allowed.headers.get('access-control-allow-origin'), APP);
  } finally {
    await server.close();
  }
});

test('node: CORS headers given to writeHead, as an object or as a flat list, in any case, are settled too', async () => {
  const warnings: CorsWarning[] = [];
  const forms: Record<string, (res: ServerResponse) => void> = {
    object: (res) => res.writeHead(200, { 'Access-Control-Expose-Headers': 'X-Secret', 'ACCESS-CONTROL-ALLOW-ORIGIN': '*' }).end('ok'),
    list: (res) => res.writeHead(200, ['access-control-expose-headers', 'X-Secret', 'Access-Control-Allow-Origin', '*']).end('ok'),
    'list without CORS headers': (res) => res.writeHead(200, ['X-Request-Id', '7']).end('ok'),
  };
  const server = await listen(
    withCors((req, res) => forms[decodeURIComponent(req.url?.slice(1) ?? '')]?.(res) ?? res.writeHead(404).end(), {
      allowOrigins: [APP],
      onWarning: (warning) => warnings.push(warning),
    }) as unknown as Listener,
  );
  try {
    for (const form of Object.keys(forms)) {
      for (const origin of [EVIL, APP]) {
        const response = await fetch(`${server.url}/${encodeURIComponent(form)}`, { headers: { Origin: origin } });
        assert.equal(await response.text(), 'ok');
        assert.equal(response.headers.get('access-control-allow-origin'), origin === APP ? APP : null, `${form}, ${origin}`);
        assert.equal(response.headers.get('access-control-expose-headers'), null, `${form}, ${origin}`);
      }
    }
    assert.deepEqual(warnings.map((warning) => warning.header).sort(), ['access-control-allow-origin', 'access-control-expose-headers']);
  } finally {
    await server.close();
  }
});
