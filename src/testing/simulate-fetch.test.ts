/**
 * simulateFetch against a real app of every kind it takes (the frameworks themselves, no mocks):
 * the verdict for an allowed request with a preflight, credentials and a header the page reads,
 * for a refused origin and for a header the API does not expose; the verdict is the object
 * `corsguard check --json` prints; the errors for what it cannot run; and every server it opens
 * is closed, whatever happens.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';
import express from 'express';
import express4 from 'express4';
import Koa from 'koa';
import Fastify from 'fastify';
import Fastify4 from 'fastify4';
import { Hono } from 'hono';
import type { CorsOptions } from '../index.js';
import { withCors as nodeCors } from '../node/index.js';
import { withCors as fetchCors } from '../fetch/index.js';
import { cors as expressCors } from '../express/index.js';
import { cors as koaCors } from '../koa/index.js';
import { cors as fastifyCors } from '../fastify/index.js';
import { cors as honoCors } from '../hono/index.js';
import { runCli } from '../cli/cli.js';
import { listen, listenServer } from '../../test/support/server.js';
import { expectAllowed, expectBlocked, simulateFetch, SimulateFetchError, type FetchVerdict, type Target } from './index.js';

const APP = 'https://app.example';
const OPTIONS = {
  allowOrigins: [APP],
  allowCredentials: true,
  allowMethods: ['PUT'],
  allowHeaders: ['Content-Type'],
  exposeHeaders: ['X-Total-Count'],
  onWarning: () => {},
  onError: () => {},
} satisfies CorsOptions;
const ITEMS_HEADERS = { 'Content-Type': 'application/json', 'X-Total-Count': '42', 'X-Secret': 'hidden' };
const ITEMS_BODY = '{"items":[]}';

function nodeHandler(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, ITEMS_HEADERS).end(ITEMS_BODY);
}
const fetchHandler = (): Response => new Response(ITEMS_BODY, { headers: ITEMS_HEADERS });

function expressApp(create: typeof express | typeof express4): unknown {
  const app = (create as typeof express)();
  app.use(expressCors(OPTIONS));
  app.all('/items', (_req, res) => {
    res.set(ITEMS_HEADERS).send(ITEMS_BODY);
  });
  return app;
}

async function fastifyApp(create: typeof Fastify | typeof Fastify4): Promise<unknown> {
  const app = (create as typeof Fastify)();
  await app.register(fastifyCors, OPTIONS);
  app.all('/items', async (_request, reply) => reply.headers(ITEMS_HEADERS).send(ITEMS_BODY));
  return app;
}

/** Each kind of target, made fresh for each test: the app, and what to close after (a running server). */
const KINDS: Record<string, () => Promise<{ target: Target; close?: () => Promise<void> }>> = {
  'node request listener': async () => ({ target: nodeCors(nodeHandler, OPTIONS) }),
  'http.Server, not listening': async () => ({ target: createServer(nodeCors(nodeHandler, OPTIONS)) }),
  'fetch handler': async () => ({ target: fetchCors(fetchHandler, OPTIONS) }),
  '{ fetch } object': async () => ({ target: { fetch: fetchCors(fetchHandler, OPTIONS) } }),
  'Express 5': async () => ({ target: expressApp(express) as Target }),
  'Express 4': async () => ({ target: expressApp(express4) as Target }),
  Koa: async () => {
    const app = new Koa();
    app.use(koaCors(OPTIONS));
    app.use((ctx) => {
      ctx.set(ITEMS_HEADERS);
      ctx.body = ITEMS_BODY;
    });
    return { target: app };
  },
  'Fastify 5': async () => ({ target: (await fastifyApp(Fastify)) as Target }),
  'Fastify 4': async () => ({ target: (await fastifyApp(Fastify4)) as Target }),
  Hono: async () => {
    const app = new Hono();
    app.use('*', honoCors(OPTIONS));
    app.all('/items', (c) => c.body(ITEMS_BODY, 200, ITEMS_HEADERS));
    return { target: app };
  },
  'base URL of a running server': async () => {
    const server = await listen(nodeCors(nodeHandler, OPTIONS));
    return { target: server.url, close: () => server.close() };
  },
};

/** Every server that starts listening in this process, to see that simulateFetch closed its own. */
const started: NetServer[] = [];
const listenAsUsual = NetServer.prototype.listen;
NetServer.prototype.listen = function recordListen(this: NetServer, ...args: unknown[]) {
  started.push(this);
  return (listenAsUsual as (...a: unknown[]) => NetServer).apply(this, args);
} as typeof NetServer.prototype.listen;

/** Servers that started listening since `since` (an index into `started`) and still listen. */
function stillListening(since: number): number {
  return started.slice(since).filter((server) => server.listening).length;
}

async function simulateWith(kind: string, run: (target: Target) => Promise<void>): Promise<void> {
  const { target, close } = await KINDS[kind]!();
  const since = started.length;
  try {
    await run(target);
    assert.equal(stillListening(since), 0, 'every server simulateFetch opened is closed');
  } finally {
    await close?.();
  }
}

const PUT = {
  url: '/items',
  origin: APP,
  method: 'PUT',
  headers: { 'Content-Type': 'application/json' },
  body: '{"name":"a"}',
  credentials: 'include',
  readHeaders: ['X-Total-Count'],
} as const;

for (const kind of Object.keys(KINDS)) {
  describe(`simulateFetch: ${kind}`, () => {
    test('a credentialed PUT with JSON is preflighted and allowed in every engine, X-Total-Count readable', () =>
      simulateWith(kind, async (target) => {
        const verdict = await simulateFetch(target, PUT);
        expectAllowed(verdict);
        assert.equal(verdict.preflight, true);
        assert.equal(verdict.status, 200);
        assert.deepEqual(verdict.readHeaders, [{ name: 'X-Total-Count', readable: true, present: true }]);
        assert.deepEqual(Object.keys(verdict.verdicts), ['chromium', 'firefox', 'webkit']);
        for (const engine of Object.values(verdict.verdicts)) {
          assert.equal(engine.allowed, true);
          assert.deepEqual(
            engine.exchanges.map((i) => verdict.exchanges[i]!.step),
            ['preflight', 'actual'],
          );
        }
        const preflight = verdict.exchanges.find((e) => e.step === 'preflight')!;
        assert.equal(preflight.response.status, 204);
        assert.deepEqual(
          verdict.problems.filter((p) => p.severity === 'error'),
          [],
        );
      }));

    test('a page on another origin is blocked, with the problem id', () =>
      simulateWith(kind, async (target) => {
        const verdict = await simulateFetch(target, { url: '/items', origin: 'https://evil.example', credentials: 'include' });
        expectBlocked(verdict, 'allow-origin-missing');
        assert.equal(verdict.responseReadable, false);
        assert.equal(verdict.status, null);
        assert.equal(verdict.preflight, false);
      }));

    test('a header the API does not expose: the response is read, the header is not, so not allowed', () =>
      simulateWith(kind, async (target) => {
        const verdict = await simulateFetch(
          target,
          { url: '/items', origin: APP, readHeaders: ['X-Secret'] },
          { probes: false, timeoutMs: 10_000 },
        );
        expectBlocked(verdict, 'header-not-exposed');
        assert.equal(verdict.responseReadable, true);
        assert.equal(verdict.status, 200);
        assert.deepEqual(verdict.readHeaders, [{ name: 'X-Secret', readable: false, present: true }]);
        assert.deepEqual(
          verdict.exchanges.map((e) => e.step),
          ['actual'],
        );
      }));
  });
}

function captured(): { out: string[]; io: Parameters<typeof runCli>[1] } {
  const out: string[] = [];
  const write = (text: string) => out.push(text);
  return { out, io: { stdout: { write }, stderr: { write: () => {} }, env: {} } };
}

test('the verdict is the object `corsguard check --json` prints, in-process and over the network', async () => {
  const cors = nodeCors(nodeHandler, OPTIONS);
  // No Date header: the runs may straddle a second, and the verdict lists the response headers.
  const app = (req: IncomingMessage, res: ServerResponse): void => {
    res.sendDate = false;
    cors(req, res);
  };
  const server = await listen(app);
  try {
    const url = `${server.url}/items`;
    const { out, io } = captured();
    const status = await runCli(
      [
        'check',
        url,
        '--origin',
        APP,
        '--method',
        'PUT',
        '-H',
        'Content-Type: application/json',
        '--body',
        '{"name":"a"}',
        '--credentials',
        '--read-header',
        'X-Total-Count',
        '--skip-probes',
        '--json',
      ],
      io,
    );
    assert.equal(status, 0);
    const printed = JSON.parse(out.join('')) as FetchVerdict;
    const request = { ...PUT, url };
    assert.deepEqual(await simulateFetch(server.url, request, { probes: false }), printed);
    // The same app in-process, tested as the origin the running server has: the same requests, the same verdict.
    assert.deepEqual(await simulateFetch(app, request, { probes: false }), printed);
  } finally {
    await server.close();
  }
});

test('the probes run as check runs them: an app without Vary: Origin is told so', async () => {
  const reflecting = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { 'Access-Control-Allow-Origin': req.headers.origin ?? '*' }).end('ok');
  };
  const verdict = await simulateFetch(reflecting, { url: '/', origin: APP });
  assert.equal(verdict.allowed, true);
  assert.deepEqual(
    verdict.problems.map((p) => [p.id, p.severity]),
    [['vary-origin-missing', 'warning']],
  );
  assert.deepEqual(
    verdict.exchanges.map((e) => e.step),
    ['actual', 'probe', 'probe', 'probe'],
  );
});

test('credentials: a cookie-carrying request to an API that does not allow credentials is blocked; without cookies it is allowed', async () => {
  const target = honoWithoutCredentials();
  const withCookies = await simulateFetch(target, { url: '/items', origin: APP, credentials: 'include' }, { probes: false });
  expectBlocked(withCookies, 'allow-credentials-missing');
  expectAllowed(await simulateFetch(target, { url: '/items', origin: APP }, { probes: false }));
});

test('a preflight for a method the API does not allow fails, and the actual request is never sent', async () => {
  let handlerRuns = 0;
  const target = nodeCors((req, res) => {
    handlerRuns++;
    nodeHandler(req, res);
  }, OPTIONS);
  const verdict = await simulateFetch(target, { url: '/items/1', origin: APP, method: 'DELETE' }, { probes: false });
  expectBlocked(verdict, 'method-not-allowed');
  assert.deepEqual(
    verdict.exchanges.map((e) => e.step),
    ['preflight'],
  );
  assert.equal(handlerRuns, 0);
});

function honoWithoutCredentials(): Hono {
  const app = new Hono();
  app.use('*', honoCors({ ...OPTIONS, allowCredentials: false }));
  app.get('/items', (c) => c.body(ITEMS_BODY, 200, ITEMS_HEADERS));
  return app;
}

test('engine: one engine, or a list; the verdict has an entry for each', async () => {
  const target = nodeCors(nodeHandler, OPTIONS);
  const firefox = await simulateFetch(target, { ...PUT, engine: 'firefox' }, { probes: false });
  assert.deepEqual(firefox.browsers, ['firefox']);
  assert.deepEqual(Object.keys(firefox.verdicts), ['firefox']);
  const two = await simulateFetch(target, { ...PUT, engine: ['webkit', 'chromium'] }, { probes: false });
  assert.deepEqual(Object.keys(two.verdicts), ['webkit', 'chromium']);
});

test('engines differ: each caches the preflight for as long as its own cap allows', async () => {
  const target = nodeCors(nodeHandler, { ...OPTIONS, maxAge: 86_400 });
  const verdict = await simulateFetch(target, PUT, { probes: false });
  expectAllowed(verdict);
  assert.deepEqual(verdict.preflightCacheSeconds, { chromium: 7200, firefox: 86400, webkit: 600 });
});

test("expectAllowed fails with each engine's problems; expectBlocked with the ids found", async () => {
  const verdict = await simulateFetch(nodeCors(nodeHandler, OPTIONS), { url: '/items', origin: 'https://evil.example' }, { probes: false });
  assert.throws(
    () => expectAllowed(verdict),
    (error: Error) => {
      assert.equal(error.name, 'AssertionError');
      assert.match(
        error.message,
        /^expected GET http:\/\/localhost\/items from https:\/\/evil\.example to be allowed, but:\n {2}chromium, firefox, webkit: blocked \(fetch\(\) rejects\)\n {4}error allow-origin-missing: /,
      );
      return true;
    },
  );
  assert.throws(
    () => expectBlocked(verdict, 'allow-origin-mismatch'),
    /to be blocked with allow-origin-mismatch, but the problems are:\n.*allow-origin-missing/s,
  );
  const allowed = await simulateFetch(nodeCors(nodeHandler, OPTIONS), { url: '/items', origin: APP }, { probes: false });
  assert.throws(() => expectBlocked(allowed), /to be blocked, but every engine allows it/);
});

test('a redirect to another origin: refused unless options.origins serves it, then followed as each engine follows it', async () => {
  const front = (_req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(307, { Location: 'https://auth.example/items', 'Access-Control-Allow-Origin': '*' }).end();
  };
  const auth = fetchCors(fetchHandler, { allowOrigins: '*' });
  await assert.rejects(
    simulateFetch(front, { url: 'https://api.example/login', origin: APP }),
    (error: Error) =>
      error instanceof SimulateFetchError &&
      error.message ===
        "simulateFetch: the app was asked for https://auth.example/items (a redirect), but it serves only https://api.example; pass options.origins: { 'https://auth.example': app } to serve that origin too",
  );
  const verdict = await simulateFetch(
    front,
    { url: 'https://api.example/login', origin: APP },
    { origins: { 'https://auth.example': auth }, probes: false },
  );
  expectAllowed(verdict);
  assert.deepEqual(
    verdict.exchanges.map((e) => e.request.url),
    ['https://api.example/login', 'https://auth.example/items'],
  );
  // The redirect-tainted origin: the second request says Origin: null.
  assert.deepEqual(
    verdict.exchanges[1]!.request.headers.find(([name]) => name === 'Origin'),
    ['Origin', 'null'],
  );
});

test('an app is tested as the origin of its URL: Host names it, a path is served as http://localhost', async () => {
  const hosts: string[] = [];
  const echo = (req: IncomingMessage, res: ServerResponse): void => {
    hosts.push(`${req.headers.host} ${req.headers['content-length'] ?? '-'} ${req.url}`);
    res.writeHead(200, { 'Access-Control-Allow-Origin': '*' }).end();
  };
  const echoFetch = (request: Request): Response => {
    hosts.push(`${request.headers.get('host')} ${request.headers.get('content-length') ?? '-'} ${request.url}`);
    return new Response(null, { headers: { 'Access-Control-Allow-Origin': '*' } });
  };
  for (const target of [echo, echoFetch]) {
    await simulateFetch(target, { url: '/a', origin: APP }, { probes: false });
    await simulateFetch(target, { url: 'https://api.example:8443/b', origin: APP, method: 'POST', body: 'é' }, { probes: false });
  }
  assert.deepEqual(hosts, [
    'localhost - /a',
    'api.example:8443 2 /b',
    'localhost - http://localhost/a',
    'api.example:8443 2 https://api.example:8443/b',
  ]);
});

test('a string body is sent as UTF-8, as fetch() sends it', async () => {
  const bodies: string[] = [];
  const node = (req: IncomingMessage, res: ServerResponse): void => {
    let body = '';
    req
      .setEncoding('utf8')
      .on('data', (chunk: string) => (body += chunk))
      .on('end', () => {
        bodies.push(body);
        res.writeHead(200, { 'Access-Control-Allow-Origin': '*' }).end();
      });
  };
  const handler = async (request: Request): Promise<Response> => {
    bodies.push(await request.text());
    return new Response(null, { headers: { 'Access-Control-Allow-Origin': '*' } });
  };
  for (const target of [node, handler])
    await simulateFetch(target, { url: '/', origin: APP, method: 'POST', body: 'naïve ✓' }, { probes: false });
  assert.deepEqual(bodies, ['naïve ✓', 'naïve ✓']);
});

test('an http.Server is left as it was found: not listening, or listening', async () => {
  const idle = createServer(nodeCors(nodeHandler, OPTIONS));
  expectAllowed(await simulateFetch(idle, PUT, { probes: false }));
  assert.equal(idle.listening, false);
  const running = await listenServer(createServer(nodeCors(nodeHandler, OPTIONS)));
  try {
    const since = started.length;
    expectAllowed(await simulateFetch(createServer(nodeCors(nodeHandler, OPTIONS)), PUT, { probes: false }));
    assert.equal(stillListening(since), 0);
    assert.equal((await fetch(`${running.url}/items`)).status, 200, 'the running server still answers');
  } finally {
    await running.close();
  }
});

describe('what simulateFetch cannot run is a clear SimulateFetchError, and no server is left open', () => {
  const cases: [string, () => Promise<unknown>, RegExp][] = [
    [
      'an object of no known kind',
      () => simulateFetch({ handle: 1 } as unknown as Target, { url: '/', origin: APP }),
      /^simulateFetch cannot test an object with handle: give it a base URL \('http:\/\/localhost:3000'\), a node request listener \(\(req, res\) => \.\.\.\), an http\.Server, an Express, Koa, Fastify or Hono app, or a fetch handler/,
    ],
    ['null', () => simulateFetch(null as unknown as Target, { url: '/', origin: APP }), /^simulateFetch cannot test null: /],
    ['a number', () => simulateFetch(3000 as unknown as Target, { url: '/', origin: APP }), /^simulateFetch cannot test number 3000: /],
    [
      'a promise of an app',
      () => simulateFetch(Promise.resolve(fetchHandler) as unknown as Target, { url: '/', origin: APP }),
      /the target is a Promise; await it first/,
    ],
    [
      'a URL that is not http(s)',
      () => simulateFetch('ftp://files.example', { url: '/', origin: APP }),
      /the target 'ftp:\/\/files\.example' is not an http\(s\) base URL/,
    ],
    [
      'an origin with a path',
      () => simulateFetch(fetchHandler, { url: '/', origin: 'https://app.example/' }),
      /origin 'https:\/\/app\.example\/' is not an origin; did you mean 'https:\/\/app\.example'\?/,
    ],
    [
      'an origin without a scheme',
      () => simulateFetch(fetchHandler, { url: '/', origin: 'app.example' }),
      /origin "app\.example" is not an origin such as 'https:\/\/app\.example'/,
    ],
    [
      'a GET with a body',
      () => simulateFetch(fetchHandler, { url: '/', origin: APP, body: 'x' }),
      /a GET request cannot have a body: fetch\(\) throws a TypeError/,
    ],
    ['a forbidden method', () => simulateFetch(fetchHandler, { url: '/', origin: APP, method: 'TRACE' }), /TRACE is a forbidden method/],
    [
      'an engine listed twice',
      () => simulateFetch(fetchHandler, { url: '/', origin: APP, engine: ['webkit', 'webkit'] }),
      /engine lists an engine twice: webkit, webkit/,
    ],
    [
      'a base URL where nothing listens',
      async () => {
        const closed = await listen(nodeHandler);
        await closed.close();
        return simulateFetch(closed.url, { url: '/', origin: APP });
      },
      /^simulateFetch: could not connect to http:\/\/127\.0\.0\.1:\d+: connection refused/,
    ],
    [
      "options.origins naming the target's own origin",
      () => simulateFetch(fetchHandler, { url: '/', origin: APP }, { origins: { 'http://localhost': fetchHandler } }),
      /options\.origins names http:\/\/localhost, the origin the target itself is tested as/,
    ],
    [
      'an unknown engine',
      () => simulateFetch(fetchHandler, { url: '/', origin: APP, engine: 'edge' as 'chromium' }),
      /engine 'edge' is not one of chromium, firefox, webkit/,
    ],
    [
      'a fetch handler that returns no Response',
      () => simulateFetch(() => ({ status: 'ok' }) as unknown as Response, { url: '/', origin: APP }),
      /^simulateFetch: the fetch handler answered GET http:\/\/localhost\/ with an object with status, not a Response/,
    ],
    [
      'a fetch handler that throws',
      () =>
        simulateFetch(
          () => {
            throw new Error('database down');
          },
          { url: '/', origin: APP },
        ),
      /^simulateFetch: the app failed while answering GET http:\/\/localhost\/: database down$/,
    ],
    [
      'a node listener that throws',
      () =>
        simulateFetch(
          (_req: IncomingMessage, _res: ServerResponse) => {
            throw new Error('database down');
          },
          { url: '/', origin: APP },
        ),
      /^simulateFetch: the app failed while answering GET http:\/\/localhost\/: database down$/,
    ],
    [
      'an async node listener that rejects',
      () =>
        simulateFetch(
          async (_req: IncomingMessage, _res: ServerResponse) => {
            throw new Error('database down');
          },
          { url: '/', origin: APP },
        ),
      /^simulateFetch: the app failed while answering GET http:\/\/localhost\/: database down$/,
    ],
    [
      'a node listener that never answers',
      () => simulateFetch((_req: IncomingMessage, _res: ServerResponse) => {}, { url: '/', origin: APP }, { timeoutMs: 300 }),
      /^simulateFetch: http:\/\/localhost did not answer within 0\.3 s \(raise it with the timeoutMs option of simulateFetch\)$/,
    ],
    [
      'a fetch handler that never answers',
      () => simulateFetch(() => new Promise<Response>(() => {}), { url: '/', origin: APP }, { timeoutMs: 300 }),
      /^simulateFetch: the fetch handler did not answer GET http:\/\/localhost\/ within 300 ms \(raise it with the timeoutMs option of simulateFetch\)$/,
    ],
  ];
  for (const [what, run, message] of cases) {
    test(what, async () => {
      const since = started.length;
      await assert.rejects(run(), (error: Error) => {
        assert.ok(error instanceof SimulateFetchError, `${error.name}: ${error.message}`);
        assert.match(error.message, message);
        return true;
      });
      assert.equal(stillListening(since), 0);
    });
  }
});
