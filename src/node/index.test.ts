import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { corsMiddleware, withCors, type NextFunction } from './index.js';
import type { CorsOptions } from '../core/options.js';
import { listen, withServer, type RunningServer } from '../../test/support/server.js';
import { VARY_ALLOWED_ORIGIN, assertVaryKeepsOrigin, varyList } from '../../test/support/vary.js';
import { send } from '../../test/support/http.js';
import { NOT_OPTIONS } from '../../test/support/not-options.js';
import { CorsConfigError } from '../core/errors.js';

const running: RunningServer[] = [];
after(() => Promise.all(running.map((s) => s.close())));

async function serve(listener: RequestListener): Promise<string> {
  const server = await listen(listener);
  running.push(server);
  return server.url;
}

const production: CorsOptions = {
  allowOrigins: ['http://localhost:3000', 'https://yourdomain.com'],
  allowCredentials: true,
  allowMethods: ['GET', 'POST', 'PUT', 'DELETE'],
  allowHeaders: ['Authorization', 'Content-Type'],
  exposeHeaders: ['X-Total-Count'],
  maxAge: 600,
};

/** Counts handler calls so tests can tell whether a request reached the app. */
function app(calls: string[]) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    calls.push(`${req.method} ${req.url}`);
    switch (req.url) {
      case '/items':
        res.setHeader('X-Total-Count', '3');
        res.setHeader('Content-Type', 'application/json');
        res.end('[1,2,3]');
        return;
      case '/vary':
        res.appendHeader('Vary', 'Accept-Encoding');
        res.end('ok');
        return;
      case '/throw':
        res.setHeader('X-Partial', 'yes');
        throw new Error('sync-looking throw inside an async handler');
      case '/returns-500':
        res.statusCode = 500;
        res.end('{"error":"handled"}');
        return;
      default:
        res.statusCode = 404;
        res.end('{"error":"not found"}');
    }
  };
}

test('withCors: allowed actual request gets CORS headers; denied gets none but still runs', async () => {
  const calls: string[] = [];
  const base = await serve(withCors(app(calls), production));
  const ok = await fetch(`${base}/items`, { headers: { Origin: 'http://localhost:3000' } });
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get('access-control-allow-origin'), 'http://localhost:3000');
  assert.equal(ok.headers.get('access-control-allow-credentials'), 'true');
  assert.equal(ok.headers.get('access-control-expose-headers'), 'X-Total-Count');
  assert.equal(ok.headers.get('vary'), 'Origin');
  const denied = await fetch(`${base}/items`, { headers: { Origin: 'https://evil.com' } });
  assert.equal(denied.status, 200);
  assert.equal(denied.headers.get('access-control-allow-origin'), null);
  assert.equal(denied.headers.get('access-control-allow-credentials'), null);
  assert.equal(denied.headers.get('vary'), 'Origin');
  const none = await fetch(`${base}/items`);
  assert.equal(none.headers.get('vary'), 'Origin');
  assert.deepEqual(calls, ['GET /items', 'GET /items', 'GET /items']);
});

test('withCors: preflights never reach the handler, allowed or not; bare OPTIONS does', async () => {
  const calls: string[] = [];
  const base = await serve(withCors(app(calls), production));
  const ok = await fetch(`${base}/items`, {
    method: 'OPTIONS',
    headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'authorization' },
  });
  assert.equal(ok.status, 204);
  assert.equal(ok.headers.get('access-control-allow-methods'), 'DELETE, PUT');
  assert.equal(ok.headers.get('access-control-max-age'), '600');
  const refused = await fetch(`${base}/items`, {
    method: 'OPTIONS',
    headers: { Origin: 'https://evil.com', 'Access-Control-Request-Method': 'PUT' },
  });
  assert.equal(refused.status, 403);
  assert.equal(refused.headers.get('access-control-allow-origin'), null);
  assert.match(await refused.text(), /origin is not allowed/);
  const badMethod = await fetch(`${base}/items`, {
    method: 'OPTIONS',
    headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'PATCH' },
  });
  assert.match(await badMethod.text(), /method PATCH is not allowed/);
  assert.deepEqual(calls, []);
  const bare = await fetch(`${base}/items`, { method: 'OPTIONS', headers: { Origin: 'http://localhost:3000' } });
  assert.equal(bare.headers.get('access-control-allow-origin'), 'http://localhost:3000');
  assert.deepEqual(calls, ['OPTIONS /items']);
});

test('withCors: 404, a returned 500 and a thrown error all keep their CORS headers', async () => {
  const errors: unknown[] = [];
  const base = await serve(withCors(app([]), { ...production, onError: (e) => errors.push(e) }));
  const init = { headers: { Origin: 'https://yourdomain.com' } };
  for (const [path, status] of [
    ['/missing', 404],
    ['/returns-500', 500],
    ['/throw', 500],
  ] as const) {
    const response = await fetch(base + path, init);
    assert.equal(response.status, status, path);
    assert.equal(response.headers.get('access-control-allow-origin'), 'https://yourdomain.com', path);
    assert.equal(response.headers.get('access-control-allow-credentials'), 'true', path);
    if (path === '/throw') {
      assert.equal(response.headers.get('x-partial'), null, "a failed handler's half-written headers are dropped");
      assert.equal(await response.text(), 'Internal Server Error');
      assert.equal(response.headers.get('content-type'), 'text/plain; charset=utf-8');
    }
  }
  assert.equal(errors.length, 1);
  assert.match(String(errors[0]), /sync-looking throw/);
});

test('withCors: a synchronous throw is caught and reported through the default onError', async (t) => {
  const logged = t.mock.method(console, 'error', () => undefined);
  const base = await serve(
    withCors(() => {
      throw new Error('plain sync throw');
    }, production),
  );
  const response = await fetch(base, { headers: { Origin: 'https://yourdomain.com' } });
  assert.equal(response.status, 500);
  assert.equal(response.headers.get('access-control-allow-origin'), 'https://yourdomain.com');
  assert.equal(logged.mock.callCount(), 1);
  assert.match(String(logged.mock.calls[0]?.arguments[0]), /corsguard: handler error/);
});

test("withCors: the handler's own Vary is kept and Origin appended once", async () => {
  const base = await serve(withCors(app([]), production));
  const response = await fetch(`${base}/vary`, { headers: { Origin: 'https://yourdomain.com' } });
  assert.equal(response.headers.get('vary'), 'Origin, Accept-Encoding');
});

/** Reused for every response, as a module-level constant would be: corsguard must not change it. */
const CONSTANT_HEADERS = Object.freeze({ Vary: 'Accept-Encoding', 'Content-Type': 'text/plain' });

interface OwnVaryRoute {
  /** The tokens the handler's Vary names. */
  readonly tokens: readonly string[];
  handle(res: ServerResponse): void;
}

/** Each path sets `Vary` its own way, replacing the `Vary: Origin` corsguard wrote before it ran. */
const OWN_VARY: Record<string, OwnVaryRoute> = {
  '/setHeader': {
    tokens: ['Accept-Encoding'],
    handle(res) {
      res.setHeader('Vary', 'Accept-Encoding');
      res.end('ok');
    },
  },
  '/setHeader-array': {
    tokens: ['Accept-Encoding', 'Cookie'],
    handle(res) {
      res.setHeader('Vary', ['Accept-Encoding', 'Cookie']);
      res.end('ok');
    },
  },
  '/removeHeader': {
    tokens: [],
    handle(res) {
      res.removeHeader('Vary');
      res.end('ok');
    },
  },
  '/writeHead-object': {
    tokens: ['Accept-Encoding'],
    handle(res) {
      res.writeHead(200, CONSTANT_HEADERS).end('ok');
    },
  },
  '/writeHead-lower-case': {
    tokens: ['Accept-Language'],
    handle(res) {
      res.writeHead(200, { vary: 'Accept-Language' }).end('ok');
    },
  },
  '/writeHead-array': {
    tokens: ['Accept-Encoding'],
    handle(res) {
      res.writeHead(200, ['Content-Type', 'text/plain', 'Vary', 'Accept-Encoding']).end('ok');
    },
  },
  '/writeHead-array-twice': {
    tokens: ['Accept-Encoding', 'Accept-Language'],
    handle(res) {
      res.writeHead(200, ['Vary', 'Accept-Encoding', 'vary', 'Accept-Language']).end('ok');
    },
  },
  '/writeHead-message': {
    tokens: ['Accept-Encoding'],
    handle(res) {
      res.writeHead(200, 'Fine', { Vary: 'Accept-Encoding' }).end('ok');
    },
  },
  '/writeHead-after-setHeader': {
    tokens: ['Cookie'],
    handle(res) {
      res.setHeader('Vary', 'Cookie');
      res.writeHead(200).end('ok');
    },
  },
  '/write': {
    tokens: ['Accept-Encoding'],
    handle(res) {
      res.setHeader('Vary', 'Accept-Encoding');
      res.write('o');
      res.end('k');
    },
  },
  '/flushHeaders': {
    tokens: ['Accept-Encoding'],
    handle(res) {
      res.setHeader('Vary', 'Accept-Encoding');
      res.flushHeaders();
      res.end('ok');
    },
  },
};

function ownVary(req: IncomingMessage, res: ServerResponse): void {
  OWN_VARY[req.url ?? '']!.handle(res);
}

const ownVaryPolicies: Record<string, CorsOptions> = {
  'a list': { allowOrigins: [VARY_ALLOWED_ORIGIN] },
  'an async predicate': { allowOriginPredicate: async (origin) => origin === VARY_ALLOWED_ORIGIN },
};

for (const [policyName, options] of Object.entries(ownVaryPolicies)) {
  test(`withCors and corsMiddleware (${policyName}): Vary keeps Origin however the handler sets its own`, async () => {
    const middleware = corsMiddleware(options);
    const bases = [await serve(withCors(ownVary, options)), await serve((req, res) => middleware(req, res, () => ownVary(req, res)))];
    for (const base of bases) {
      for (const [path, { tokens }] of Object.entries(OWN_VARY)) await assertVaryKeepsOrigin(`${base}${path}`, tokens);
    }
    assert.deepEqual(CONSTANT_HEADERS, { Vary: 'Accept-Encoding', 'Content-Type': 'text/plain' });
  });
}

test('Vary: Origin is merged through a layer that wraps res.writeHead after corsguard, and left off other servers', async () => {
  const middleware = corsMiddleware({ allowOrigins: [VARY_ALLOWED_ORIGIN] });
  const base = await serve((req, res) => {
    middleware(req, res, () => {
      // What on-headers (compression, response-time) does: its own writeHead, calling the previous one.
      const previous = res.writeHead;
      res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
        this.setHeader('Vary', 'Accept-Encoding');
        return Reflect.apply(previous, this, args) as ServerResponse;
      } as ServerResponse['writeHead'];
      res.end('ok');
    });
  });
  await assertVaryKeepsOrigin(base, ['Accept-Encoding']);
  // The same process, a server without corsguard: its Vary is its own.
  const plain = await serve((_req, res) => res.writeHead(200, { Vary: 'Accept-Encoding' }).end('ok'));
  assert.equal((await send(plain, { headers: { origin: VARY_ALLOWED_ORIGIN } })).headers.vary, 'Accept-Encoding');
});

test("withCors: a handler's Vary: * stays alone, and '*' origins add no Vary to the handler's", async () => {
  const strict = await serve(withCors((_req, res) => res.writeHead(200, { Vary: '*' }).end('ok'), { allowOrigins: [VARY_ALLOWED_ORIGIN] }));
  assert.equal((await send(strict, { headers: { origin: VARY_ALLOWED_ORIGIN } })).headers.vary, '*');
  const open = await serve(withCors(ownVary, { allowOrigins: '*' }));
  const res = await send(`${open}/setHeader`, { headers: { origin: VARY_ALLOWED_ORIGIN } });
  assert.deepEqual(varyList(res.headers.vary), ['accept-encoding']);
});

test('withCors: an async origin predicate decides per request', async () => {
  const tenants = new Set(['https://acme.example']);
  const base = await serve(
    withCors(app([]), {
      allowOriginPredicate: async (origin) => {
        await new Promise((r) => setTimeout(r, 5));
        return tenants.has(origin);
      },
      allowCredentials: true,
    }),
  );
  const yes = await fetch(`${base}/items`, { headers: { Origin: 'https://acme.example' } });
  assert.equal(yes.headers.get('access-control-allow-origin'), 'https://acme.example');
  const no = await fetch(`${base}/items`, { headers: { Origin: 'https://other.example' } });
  assert.equal(no.headers.get('access-control-allow-origin'), null);
  const preflight = await fetch(`${base}/items`, {
    method: 'OPTIONS',
    headers: { Origin: 'https://acme.example', 'Access-Control-Request-Method': 'GET' },
  });
  assert.equal(preflight.status, 204);
});

/** Sends raw bytes, for what fetch() refuses to send (two Origin lines). */
function rawRequest(base: string, text: string): Promise<string> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.end(text));
    let out = '';
    socket.on('data', (d) => (out += d));
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
  });
}

test('withCors: two Origin lines (joined "a, b") never match', async () => {
  const base = await serve(withCors(app([]), production));
  const answer = await rawRequest(
    base,
    'GET /items HTTP/1.1\r\nHost: x\r\nOrigin: https://yourdomain.com\r\nOrigin: https://yourdomain.com\r\nConnection: close\r\n\r\n',
  );
  assert.match(answer, /^HTTP\/1\.1 200/);
  assert.doesNotMatch(answer, /access-control-allow-origin/i);
});

test('corsMiddleware: connect-style, next() for actual requests, preflights answered', async () => {
  const middleware = corsMiddleware(production);
  const calls: string[] = [];
  const base = await serve((req, res) => {
    middleware(req, res, ((error?: unknown) => {
      if (error) {
        res.statusCode = 500;
        res.end();
        return;
      }
      calls.push(req.method ?? '');
      res.end('next ran');
    }) as NextFunction);
  });
  const actual = await fetch(base, { headers: { Origin: 'https://yourdomain.com' } });
  assert.equal(await actual.text(), 'next ran');
  assert.equal(actual.headers.get('access-control-allow-origin'), 'https://yourdomain.com');
  const preflight = await fetch(base, {
    method: 'OPTIONS',
    headers: { Origin: 'https://yourdomain.com', 'Access-Control-Request-Method': 'DELETE' },
  });
  assert.equal(preflight.status, 204);
  assert.deepEqual(calls, ['GET']);
});

test('a factory used without being called is a clear error, not a hanging request', () => {
  const fakeReq = { headers: {}, method: 'GET', socket: {} };
  assert.throws(() => (corsMiddleware as unknown as (r: unknown) => unknown)(fakeReq), /without being called first/);
  assert.throws(() => (withCors as unknown as (r: unknown, s: unknown) => unknown)(fakeReq, {}), /without being called first/);
  assert.throws(() => withCors(undefined as never, production), /needs a request listener/);
});

test('anything but options, even what looks partly like a request, is refused as bad options', () => {
  for (const value of NOT_OPTIONS) {
    assert.throws(() => corsMiddleware(value as never), CorsConfigError, String(value));
    assert.throws(() => withCors(() => {}, value as never), CorsConfigError, String(value));
  }
  // withCors's first argument: a request passed where the listener goes is named as such.
  for (const value of NOT_OPTIONS) {
    assert.throws(() => withCors(value as never, { allowOrigins: ['https://app.example'] }), /needs a request listener function/);
  }
});

test('a factory used as the handler itself (not called first) throws, naming it and the line to write', async () => {
  const thrown: string[] = [];
  // What a server does with `http.createServer(withCors)` or `app.use(corsMiddleware)`: calls it with a request.
  const listener: RequestListener = (req, res) => {
    for (const misused of [() => withCors(req as never, res as never), () => corsMiddleware(req as never)]) {
      try {
        misused();
      } catch (error) {
        thrown.push((error as Error).message);
      }
    }
    res.end();
  };
  await withServer(listener, async (url) => {
    await send(`${url}/`);
  });
  assert.deepEqual(thrown, [
    'corsguard: withCors was used as a request handler without being called first. Write http.createServer(withCors(handler, options)).',
    'corsguard: corsMiddleware was used as a request handler without being called first. Write app.use(corsMiddleware(options)).',
  ]);
});

test('withCors: a handler that returns null or a non-promise object is not mistaken for a promise', async () => {
  for (const returned of [null, {}, { then: 'not a function' }]) {
    const base = await serve(
      withCors((_req, res) => {
        res.end('answered');
        return returned as never;
      }, production),
    );
    const response = await fetch(base, { headers: { Origin: 'https://yourdomain.com' } });
    assert.equal(response.status, 200, String(returned));
    assert.equal(await response.text(), 'answered');
  }
});

test("a refused preflight's explanation is plain text", async () => {
  const base = await serve(withCors(app([]), production));
  const response = await fetch(base, {
    method: 'OPTIONS',
    headers: { Origin: 'https://yourdomain.com', 'Access-Control-Request-Method': 'PROPFIND' },
  });
  assert.equal(response.headers.get('content-type'), 'text/plain; charset=utf-8');
  assert.notEqual(await response.text(), '');
});

test("withCors: a handler's 500 keeps the Vary it had set, with Origin", async () => {
  const base = await serve(
    withCors(
      (_req, res) => {
        res.setHeader('Vary', 'Accept-Language');
        res.setHeader('X-Partial', 'dropped');
        throw new Error('after setting Vary');
      },
      { ...production, onError: () => {} },
    ),
  );
  const response = await fetch(base, { headers: { Origin: 'https://yourdomain.com' } });
  assert.equal(response.status, 500);
  assert.deepEqual(varyList(response.headers.get('vary') ?? ''), ['accept-language', 'origin']);
  assert.equal(response.headers.get('x-partial'), null);
});
