/**
 * `corsguard check` end to end: the built executable against real servers on loopback,
 * corsguard's own and deliberately broken ones (the `cors` package misused, Express with
 * authentication before CORS, hand-written servers). Every problem id is proven here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestListener } from 'node:http';
import express from 'express';
import cors from 'cors';
import { withCors } from '../../src/node/index.js';
import type { CorsOptions } from '../../src/core/options.js';
import { ERROR_IDS, WARNING_IDS } from '../../src/cli/problems.js';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { listen, closeServer } from '../support/server.js';
import { drip, rawServer } from '../support/raw-server.js';
import { APP, checkJson, corsguard, scripted, selfSignedLocalhost } from './support.js';

const seen = new Set<string>();

const ok = (_req: unknown, res: { setHeader(n: string, v: string): void; end(b: string): void }): void => {
  res.setHeader('X-Total-Count', '3');
  res.setHeader('Content-Type', 'application/json');
  res.end('{"ok":true}');
};

const STRICT: CorsOptions = {
  allowOrigins: [APP],
  allowCredentials: true,
  allowMethods: ['PUT', 'PATCH'],
  allowHeaders: ['Authorization', 'Content-Type'],
  exposeHeaders: ['X-Total-Count'],
  maxAge: 600,
  onWarning: () => {},
};

function corsguardServer(options: CorsOptions = STRICT): RequestListener {
  return withCors(ok as RequestListener, options);
}

/** Reflects the origin with credentials on every response, answering preflights with `preflight`. */
function reflecting(preflight: (origin: string) => Reply['headers'], status = 204): RequestListener {
  return scripted((req) => {
    const origin = req.headers.origin ?? '';
    if (req.method === 'OPTIONS') return { status, headers: preflight(origin) };
    return {
      headers: [
        ['Access-Control-Allow-Origin', origin],
        ['Access-Control-Allow-Credentials', 'true'],
        ['Vary', 'Origin'],
      ],
      body: 'ok',
    };
  });
}
type Reply = import('./support.js').Reply;

interface Case {
  readonly name: string;
  readonly server: () => RequestListener;
  readonly path?: string;
  readonly args: readonly string[];
  readonly allowed: boolean;
  /** Problem ids that must be reported. */
  readonly ids: readonly string[];
  /** When set, exactly these ids are reported. */
  readonly exactly?: boolean;
  readonly preflight?: boolean;
}

const CASES: readonly Case[] = [
  {
    name: 'corsguard, simple GET from the allowed origin: allowed, nothing to report',
    server: corsguardServer,
    args: ['--origin', APP, '--read-header', 'X-Total-Count'],
    allowed: true,
    ids: [],
    exactly: true,
    preflight: false,
  },
  {
    name: 'corsguard, credentialed PUT with Authorization and JSON: preflight passes, allowed',
    server: corsguardServer,
    args: [
      '--origin',
      APP,
      '--method',
      'put',
      '--credentials',
      '-H',
      'Authorization: Bearer t',
      '-H',
      'Content-Type: application/json',
      '--body',
      '{}',
    ],
    allowed: true,
    ids: [],
    exactly: true,
    preflight: true,
  },
  {
    name: 'corsguard, an origin it does not allow: preflight refused with 403',
    server: corsguardServer,
    args: ['--origin', 'https://evil.example', '--method', 'PUT'],
    allowed: false,
    ids: ['preflight-forbidden', 'allow-origin-missing'],
    exactly: true,
  },
  {
    name: 'corsguard, simple GET from an origin it does not allow: no Access-Control-Allow-Origin',
    server: corsguardServer,
    args: ['--origin', 'https://evil.example'],
    allowed: false,
    ids: ['allow-origin-missing'],
    exactly: true,
  },
  {
    name: 'corsguard, a method it does not allow',
    server: corsguardServer,
    args: ['--origin', APP, '--method', 'DELETE'],
    allowed: false,
    ids: ['method-not-allowed'],
    exactly: true,
  },
  {
    name: "corsguard, 'patch' in the page while the server allows PATCH",
    server: corsguardServer,
    args: ['--origin', APP, '--method', 'patch'],
    allowed: false,
    ids: ['method-case-mismatch'],
    exactly: true,
  },
  {
    name: 'corsguard, a request header it does not allow',
    server: corsguardServer,
    args: ['--origin', APP, '-H', 'X-Api-Key: k'],
    allowed: false,
    ids: ['header-not-allowed'],
    exactly: true,
  },
  {
    name: 'corsguard without exposeHeaders: the page cannot read X-Total-Count',
    server: () => corsguardServer({ ...STRICT, exposeHeaders: [] }),
    args: ['--origin', APP, '--read-header', 'X-Total-Count'],
    allowed: false,
    ids: ['header-not-exposed'],
    exactly: true,
  },
  {
    name: 'Set-Cookie is never readable',
    server: corsguardServer,
    args: ['--origin', APP, '--read-header', 'Set-Cookie'],
    allowed: false,
    ids: ['header-never-exposed'],
    exactly: true,
  },
  {
    name: 'corsguard with maxAge 86400: works, but WebKit and Chromium clamp it',
    server: () => corsguardServer({ ...STRICT, maxAge: 86400 }),
    args: ['--origin', APP, '--method', 'PUT'],
    allowed: true,
    ids: ['max-age-above-cap'],
    exactly: true,
  },
  {
    name: 'a forbidden request header is dropped, as fetch() does',
    server: corsguardServer,
    args: ['--origin', APP, '-H', 'Cookie: a=b'],
    allowed: true,
    ids: ['request-header-forbidden'],
    exactly: true,
    preflight: false,
  },
  {
    name: 'two Access-Control-Allow-Origin lines (stacked CORS layers)',
    server: () =>
      scripted(() => ({
        headers: [
          ['Access-Control-Allow-Origin', APP],
          ['Access-Control-Allow-Origin', APP],
        ],
      })),
    args: ['--origin', APP, '--skip-probes'],
    allowed: false,
    ids: ['allow-origin-multiple'],
    exactly: true,
  },
  ...(
    [
      ['allow-origin-trailing-slash', `${APP}/`],
      ['allow-origin-case', 'https://App.Example.com'],
      ['allow-origin-scheme', 'http://app.example.com'],
      ['allow-origin-port', 'https://app.example.com:443'],
      ['allow-origin-mismatch', 'https://other.example.com'],
    ] as const
  ).map(
    ([id, value]): Case => ({
      name: `Access-Control-Allow-Origin '${value}' for ${APP}`,
      server: () => scripted(() => ({ headers: [['Access-Control-Allow-Origin', value]] })),
      args: ['--origin', APP, '--skip-probes'],
      allowed: false,
      ids: [id],
      exactly: true,
    }),
  ),
  {
    name: "cors({ origin: '*', credentials: true }) and a credentialed request",
    server: () =>
      express()
        .use(cors({ origin: '*', credentials: true }))
        .get('/', ok),
    args: ['--origin', APP, '--credentials'],
    allowed: false,
    ids: ['allow-origin-wildcard-credentials'],
    exactly: true,
  },
  {
    name: 'cors({ origin: true }) without credentials, and a credentialed request',
    server: () =>
      express()
        .use(cors({ origin: true }))
        .get('/', ok),
    args: ['--origin', APP, '--credentials'],
    allowed: false,
    ids: ['allow-credentials-missing'],
    exactly: true,
  },
  {
    name: "Access-Control-Allow-Credentials: 'True'",
    server: () =>
      scripted(() => ({
        headers: [
          ['Access-Control-Allow-Origin', APP],
          ['Access-Control-Allow-Credentials', 'True'],
        ],
      })),
    args: ['--origin', APP, '--credentials', '--skip-probes'],
    allowed: false,
    ids: ['allow-credentials-not-true'],
    exactly: true,
  },
  {
    name: 'a preflight answered with a redirect',
    server: () =>
      scripted((req) =>
        req.method === 'OPTIONS'
          ? {
              status: 308,
              headers: [
                ['Location', '/items/'],
                ['Access-Control-Allow-Origin', APP],
              ],
            }
          : { headers: [['Access-Control-Allow-Origin', APP]] },
      ),
    path: '/items',
    args: ['--origin', APP, '--method', 'PUT'],
    allowed: false,
    ids: ['preflight-redirect'],
    exactly: true,
  },
  {
    name: 'Express with authentication before cors(): the preflight gets 401',
    server: () =>
      express()
        .use((req, res, next) => (req.headers.authorization === undefined ? res.status(401).send('login first') : next()))
        .use(cors({ origin: APP, allowedHeaders: ['Authorization'] }))
        .put('/', ok),
    args: ['--origin', APP, '--method', 'PUT', '-H', 'Authorization: Bearer t'],
    allowed: false,
    ids: ['preflight-unauthorized', 'allow-origin-missing'],
    exactly: true,
  },
  {
    name: 'no OPTIONS route: 404 on the preflight',
    server: () =>
      scripted((req) =>
        req.method === 'OPTIONS' ? { status: 404, body: 'Not Found' } : { headers: [['Access-Control-Allow-Origin', APP]] },
      ),
    args: ['--origin', APP, '--method', 'PUT'],
    allowed: false,
    ids: ['preflight-no-options-route', 'allow-origin-missing'],
    exactly: true,
  },
  {
    name: 'a preflight that crashes the server: 500',
    server: () => reflecting(() => [['Access-Control-Allow-Origin', APP]], 500),
    args: ['--origin', APP, '--method', 'PUT'],
    allowed: false,
    ids: ['preflight-server-error'],
    exactly: true,
  },
  {
    name: 'a preflight answered 400',
    server: () =>
      reflecting(
        (origin) => [
          ['Access-Control-Allow-Origin', origin],
          ['Access-Control-Allow-Methods', 'PUT'],
        ],
        400,
      ),
    args: ['--origin', APP, '--method', 'PUT'],
    allowed: false,
    ids: ['preflight-status'],
    exactly: true,
  },
  {
    name: 'Access-Control-Allow-Methods that is not a list',
    server: () =>
      reflecting((origin) => [
        ['Access-Control-Allow-Origin', origin],
        ['Access-Control-Allow-Methods', 'PUT; DELETE'],
      ]),
    args: ['--origin', APP, '--method', 'PUT'],
    allowed: false,
    ids: ['allow-methods-malformed'],
    exactly: true,
  },
  {
    name: 'Access-Control-Allow-Headers that is not a list',
    server: () =>
      reflecting((origin) => [
        ['Access-Control-Allow-Origin', origin],
        ['Access-Control-Allow-Headers', 'x-a x-b'],
      ]),
    args: ['--origin', APP, '-H', 'X-A: 1'],
    allowed: false,
    ids: ['allow-headers-malformed'],
    exactly: true,
  },
  {
    name: "cors({ methods: '*' }) and a credentialed PUT",
    server: () =>
      express()
        .use(cors({ origin: true, credentials: true, methods: '*' }))
        .put('/', ok),
    args: ['--origin', APP, '--method', 'PUT', '--credentials'],
    allowed: false,
    ids: ['method-wildcard-credentials'],
    exactly: true,
  },
  {
    name: "cors({ methods: '*' }) and a PUT without credentials: allowed",
    server: () =>
      express()
        .use(cors({ origin: APP, methods: '*' }))
        .put('/', ok),
    args: ['--origin', APP, '--method', 'PUT'],
    allowed: true,
    ids: [],
    exactly: true,
  },
  {
    name: "cors({ allowedHeaders: '*' }) and a credentialed request with X-Api-Key",
    server: () =>
      express()
        .use(cors({ origin: true, credentials: true, allowedHeaders: '*' }))
        .get('/', ok),
    args: ['--origin', APP, '--credentials', '-H', 'X-Api-Key: k'],
    allowed: false,
    ids: ['header-wildcard-credentials'],
    exactly: true,
  },
  {
    name: "cors({ allowedHeaders: '*' }) and Authorization: '*' never covers it",
    server: () =>
      express()
        .use(cors({ origin: APP, allowedHeaders: '*' }))
        .get('/', ok),
    args: ['--origin', APP, '-H', 'Authorization: Bearer t', '-H', 'X-Api-Key: k'],
    allowed: false,
    ids: ['authorization-wildcard'],
    exactly: true,
  },
  {
    name: "cors({ exposedHeaders: '*' }) and a credentialed request reading X-Total-Count",
    server: () =>
      express()
        .use(cors({ origin: true, credentials: true, exposedHeaders: '*' }))
        .get('/', ok),
    args: ['--origin', APP, '--credentials', '--read-header', 'X-Total-Count'],
    allowed: false,
    ids: ['expose-wildcard-credentials'],
    exactly: true,
  },
  {
    name: 'a redirect loop',
    server: () =>
      scripted(() => ({
        status: 302,
        headers: [
          ['Location', '/again'],
          ['Access-Control-Allow-Origin', '*'],
        ],
      })),
    args: ['--origin', APP],
    allowed: false,
    ids: ['redirect-limit'],
    exactly: true,
  },
  {
    name: 'a hand-written allow list without Vary: Origin',
    server: () =>
      scripted((req) => ({
        headers: req.headers.origin === APP ? [['Access-Control-Allow-Origin', APP]] : [],
      })),
    args: ['--origin', APP],
    allowed: true,
    ids: ['vary-origin-missing'],
    exactly: true,
  },
  {
    name: 'cors() on one route only: a 404 has no CORS headers',
    server: () => express().get('/', cors({ origin: APP }), ok),
    args: ['--origin', APP],
    allowed: true,
    ids: ['error-response-without-cors'],
    exactly: true,
  },
  {
    name: 'Access-Control-Max-Age: -1',
    server: () =>
      reflecting((origin) => [
        ['Access-Control-Allow-Origin', origin],
        ['Access-Control-Allow-Methods', 'PUT'],
        ['Access-Control-Max-Age', '-1'],
      ]),
    args: ['--origin', APP, '--method', 'PUT'],
    allowed: true,
    ids: ['max-age-invalid'],
    exactly: true,
  },
];

for (const c of CASES) {
  test(`check: ${c.name}`, async () => {
    const server = await listen(c.server());
    try {
      const { code, report, stderr } = await checkJson([`${server.url}${c.path ?? '/'}`, ...c.args]);
      const ids = report.problems.map((p) => p.id);
      for (const id of ids) seen.add(id);
      assert.equal(stderr, '');
      assert.equal(report.allowed, c.allowed, `allowed; problems: ${JSON.stringify(report.problems, null, 1)}`);
      assert.equal(code, c.allowed ? 0 : 1);
      if (c.exactly) assert.deepEqual([...new Set(ids)].sort(), [...c.ids].sort());
      else for (const id of c.ids) assert.ok(ids.includes(id), `${id} in ${ids.join(', ')}`);
      if (c.preflight !== undefined) assert.equal(report.preflight, c.preflight);
      for (const p of report.problems) {
        assert.ok(p.message.length > 0 && p.fix.length > 0, `${p.id} has a message and a fix`);
      }
    } finally {
      await server.close();
    }
  });
}

test('check: the preflight is sent as a browser sends it', async () => {
  const seenPreflights: Record<string, string | undefined>[] = [];
  const server = await listen(
    scripted((req) => {
      if (req.method === 'OPTIONS') {
        seenPreflights.push({
          accept: req.headers.accept,
          acrm: req.headers['access-control-request-method'],
          acrh: req.headers['access-control-request-headers'],
          origin: req.headers.origin,
          authorization: req.headers.authorization,
        });
      }
      return { status: 204, headers: [['Access-Control-Allow-Origin', '*']] };
    }),
  );
  try {
    await checkJson([
      server.url,
      '--origin',
      APP,
      '--method',
      'delete',
      '-H',
      'X-B: 1',
      '-H',
      'authorization: x',
      '-H',
      'X-A: 2',
      '-H',
      'x-b: 3',
      '-H',
      'Accept-Language: en',
      '--skip-probes',
    ]);
    assert.deepEqual(seenPreflights, [
      { accept: '*/*', acrm: 'DELETE', acrh: 'authorization,x-a,x-b', origin: APP, authorization: undefined },
    ]);
  } finally {
    await server.close();
  }
});

test('check: a cross-origin redirect makes the next hop send Origin: null, as fetch() does', async () => {
  const origins: (string | undefined)[] = [];
  const target = await listen(
    scripted((req) => {
      origins.push(req.headers.origin);
      return { headers: req.headers.origin === APP ? [['Access-Control-Allow-Origin', APP]] : [], body: 'moved here' };
    }),
  );
  const wildcardTarget = await listen(scripted(() => ({ headers: [['Access-Control-Allow-Origin', '*']] })));
  const redirecting = (to: string): RequestListener =>
    scripted(() => ({
      status: 302,
      headers: [
        ['Location', `${to}/new`],
        ['Access-Control-Allow-Origin', APP],
      ],
    }));
  const first = await listen(redirecting(target.url));
  const second = await listen(redirecting(wildcardTarget.url));
  try {
    const blocked = await checkJson([first.url, '--origin', APP, '--skip-probes']);
    assert.deepEqual(origins, ['null']);
    assert.equal(blocked.report.allowed, false);
    assert.deepEqual(
      blocked.report.problems.map((p) => p.id),
      ['allow-origin-missing'],
    );
    assert.match(blocked.report.problems[0]!.message, /after redirect 1/);
    const allowed = await checkJson([second.url, '--origin', APP, '--skip-probes']);
    assert.equal(allowed.report.allowed, true);
    assert.deepEqual(
      allowed.report.exchanges.map((e) => e.response.status),
      [302, 200],
    );
  } finally {
    await Promise.all([target.close(), wildcardTarget.close(), first.close(), second.close()]);
  }
});

test('check: an endless response body does not hold the check up', async () => {
  const server = await listen((_req, res) => {
    res.setHeader('Access-Control-Allow-Origin', APP);
    const timer = setInterval(() => res.write('x'.repeat(1024)), 5);
    res.on('close', () => clearInterval(timer));
  });
  try {
    const { code, report } = await checkJson([server.url, '--origin', APP, '--skip-probes']);
    assert.equal(code, 0);
    assert.equal(report.allowed, true);
  } finally {
    await server.close();
  }
});

test('check: a 204 preflight with a body, and a space before a colon, get a verdict, not "could not run"', async () => {
  const server = await rawServer((socket, head) => {
    const preflight = head.startsWith('OPTIONS ');
    socket.end(
      preflight
        ? `HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: ${APP}\r\nAccess-Control-Allow-Methods: PUT\r\nContent-Length: 9\r\n\r\nNo body!\n`
        : `HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin${head.includes('/spaced') ? ' ' : ''}: ${APP}\r\nContent-Length: 2\r\n\r\nok`,
      'latin1',
    );
  });
  try {
    const put = await checkJson([server.url, '--origin', APP, '--method', 'PUT', '--skip-probes']);
    assert.equal(put.code, 0, put.stderr);
    assert.deepEqual(
      put.report.exchanges.map((e) => e.response.status),
      [204, 200],
    );
    // Firefox and WebKit drop a header line whose name has a space before the colon.
    const spaced = await checkJson([`${server.url}/spaced`, '--origin', APP, '--browser', 'firefox', '--skip-probes']);
    assert.equal(spaced.code, 1, spaced.stderr);
    assert.deepEqual(
      spaced.report.problems.map((p) => p.id),
      ['allow-origin-missing'],
    );
  } finally {
    await server.close();
  }
});

test('check --timeout 1: a server dripping its response head is given up at the deadline', async () => {
  const head = `HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: ${APP}\r\nX-Slow: ${'s'.repeat(300)}\r\n\r\n`;
  let dripped: Promise<number> = Promise.resolve(0);
  const server = await rawServer((socket) => {
    dripped = drip(socket, head, 100);
  });
  try {
    const run = await corsguard(['check', server.url, '--origin', APP, '--timeout', '1', '--skip-probes']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /did not finish its response head within 1 s \(raise it with --timeout\)/);
  } finally {
    await server.close();
  }
  // Whole, the head takes over 350 drips; the deadline allows about ten.
  const sent = await dripped;
  assert.ok(sent < 100, `the check closed after ${sent} of ${head.length} drips`);
});

test('check over https: the certificate is verified (SNI, trusted CA), and an untrusted one is refused in one sentence', async () => {
  const tls = selfSignedLocalhost();
  const serverNames: unknown[] = [];
  const answer = scripted(() => ({ headers: [['Access-Control-Allow-Origin', APP]], body: 'ok' }));
  const server = createHttpsServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    serverNames.push((req.socket as TLSSocket).servername);
    answer(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const url = `https://localhost:${(server.address() as AddressInfo).port}/`;
  try {
    const trusted = await corsguard(['check', url, '--origin', APP, '--skip-probes'], { NODE_EXTRA_CA_CERTS: tls.certFile });
    assert.deepEqual(serverNames, ['localhost']);
    assert.equal(trusted.code, 0, trusted.stderr);
    assert.match(trusted.stdout, /Verdict: ALLOWED/);
    const untrusted = await corsguard(['check', url, '--origin', APP, '--skip-probes']);
    assert.equal(untrusted.code, 2);
    assert.match(untrusted.stderr, /^corsguard check: TLS failed for https:\/\/localhost:\d+: self-signed certificate\n$/);
  } finally {
    await closeServer(server);
    tls.remove();
  }
});

test('check: an over-long or unusual safelisted value makes the request preflighted', async () => {
  const server = await listen(corsguardServer());
  try {
    const long = await checkJson([server.url, '--origin', APP, '-H', `Accept: ${'a'.repeat(129)}`, '--skip-probes']);
    assert.equal(long.report.preflight, true);
    assert.ok(long.report.problems.some((p) => p.id === 'header-not-allowed' && p.message.includes('accept')));
    const form = await checkJson([server.url, '--origin', APP, '-H', 'Content-Type: text/plain; charset=utf-8', '--skip-probes']);
    assert.equal(form.report.preflight, false);
    assert.equal(form.report.allowed, true);
  } finally {
    await server.close();
  }
});

test('check --browser firefox: a max-age of 86400 is within its cap', async () => {
  const server = await listen(corsguardServer({ ...STRICT, maxAge: 86400 }));
  try {
    const { report } = await checkJson([server.url, '--origin', APP, '--method', 'PUT', '--browser', 'firefox']);
    assert.deepEqual(report.problems, []);
    assert.equal(report.preflightCacheSeconds?.['firefox'], 86400);
    const webkit = await checkJson([server.url, '--origin', APP, '--method', 'PUT', '--browser', 'webkit']);
    assert.deepEqual(
      webkit.report.problems.map((p) => p.id),
      ['max-age-above-cap'],
    );
  } finally {
    await server.close();
  }
});

test('check: human output shows the steps and the verdict, plain when piped', async () => {
  const server = await listen(corsguardServer());
  try {
    const allowed = await corsguard(['check', server.url, '--origin', APP, '--method', 'PUT']);
    assert.equal(allowed.code, 0);
    assert.match(allowed.stdout, /1\. Preflight: needed/);
    assert.match(allowed.stdout, /Access-Control-Request-Method: PUT/);
    assert.match(allowed.stdout, /Verdict: ALLOWED/);
    assert.doesNotMatch(allowed.stdout, /\u001b\[/);
    const blocked = await corsguard(['check', server.url, '--origin', 'https://evil.example']);
    assert.equal(blocked.code, 1);
    assert.match(blocked.stdout, /Verdict: BLOCKED/);
    assert.match(blocked.stdout, /\[allow-origin-missing\]/);
    assert.match(blocked.stdout, /fix: /);
    const coloured = await corsguard(['check', server.url, '--origin', APP], { FORCE_COLOR: '1' });
    assert.match(coloured.stdout, /\u001b\[32m/);
    const noColor = await corsguard(['check', server.url, '--origin', APP], { FORCE_COLOR: '1', NO_COLOR: '1' });
    assert.doesNotMatch(noColor.stdout, /\u001b\[/);
  } finally {
    await server.close();
  }
});

test('check: cannot run -> exit 2, one plain sentence, no stack trace', async () => {
  const server = await listen(corsguardServer());
  const url = server.url;
  await server.close();
  const refused = await corsguard(['check', url, '--origin', APP]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /connection refused/);
  for (const args of [
    ['check', url],
    ['check', url, '--origin', `${APP}/`],
    ['check', 'not a url', '--origin', APP],
    ['check', url, '--origin', APP, '--method', 'TRACE'],
    ['check', url, '--origin', APP, '--header', 'no colon'],
    ['check', url, '--origin', APP, '--browser', 'netscape'],
    ['check', url, '--origin', APP, '--bogus'],
    ['frobnicate'],
  ]) {
    const run = await corsguard(args);
    assert.equal(run.code, 2, args.join(' '));
    assert.equal(run.stdout, '');
    assert.ok(run.stderr.length > 0);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  }
  const slash = await corsguard(['check', url, '--origin', `${APP}/`]);
  assert.match(slash.stderr, /did you mean https:\/\/app\.example\.com\?/);
});

/** What a server received: method, Origin and Authorization of each request, with the other headers. */
interface Received {
  readonly method: string;
  readonly origin: string | undefined;
  readonly authorization: string | undefined;
  readonly headers: Record<string, string | string[] | undefined>;
}

/** A second origin that records every request and allows any origin, Authorization included. */
async function recordingOrigin(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = await listen(
    scripted((req) => {
      received.push({
        method: req.method ?? '',
        origin: req.headers.origin,
        authorization: req.headers.authorization,
        headers: { ...req.headers },
      });
      return {
        status: req.method === 'OPTIONS' ? 204 : 200,
        headers: [
          ['Access-Control-Allow-Origin', '*'],
          ['Access-Control-Allow-Methods', 'GET, PUT, POST'],
          ['Access-Control-Allow-Headers', 'Authorization, Content-Type, Content-Encoding, Content-Location, Content-Disposition'],
        ],
        body: 'target',
      };
    }),
  );
  return { url: server.url, received, close: () => server.close() };
}

/** A first origin whose every non-OPTIONS request is redirected with `status` to `location`. */
function redirectingTo(location: string | readonly string[], status = 307): RequestListener {
  return scripted((req) => {
    const cors: [string, string][] = [
      ['Access-Control-Allow-Origin', '*'],
      ['Access-Control-Allow-Methods', 'GET, PUT, POST'],
      ['Access-Control-Allow-Headers', 'Authorization, Content-Type, Content-Encoding, Content-Location, Content-Disposition'],
    ];
    if (req.method === 'OPTIONS') return { status: 204, headers: cors };
    const locations = typeof location === 'string' ? [location] : location;
    return { status, headers: [...cors, ...locations.map((l): [string, string] => ['Location', l])] };
  });
}

type Verdicts = Record<
  string,
  { allowed: boolean; responseReadable: boolean; status: number | null; problems: { id: string }[]; exchanges: number[] }
>;

test('check: a cross-origin redirect never carries Authorization; each engine preflights the new origin its own way', async () => {
  const target = await recordingOrigin();
  // The redirect goes from 127.0.0.1 to localhost: another origin on the same machine.
  const first = await listen(redirectingTo(`${target.url.replace('127.0.0.1', 'localhost')}/moved`));
  try {
    const { code, report } = await checkJson([first.url, '--origin', APP, '-H', 'Authorization: Bearer secret', '--skip-probes']);
    assert.equal(code, 0);
    assert.equal(report.allowed, true);
    for (const r of target.received) assert.equal(r.authorization, undefined, `${r.method} at the new origin carried Authorization`);
    // Chromium sends the GET without a preflight; Firefox preflights with the page's origin, WebKit with null;
    // the three GETs are identical (Origin: null, no Authorization) and were sent once.
    assert.deepEqual(target.received.map((r) => `${r.method} ${r.origin}`).sort(), ['GET null', `OPTIONS ${APP}`, 'OPTIONS null']);
    const verdicts = (report as unknown as { verdicts: Verdicts }).verdicts;
    const exchanges = report.exchanges;
    const atTarget = (engine: string): string[] =>
      verdicts[engine]!.exchanges.map((i) => exchanges[i]!)
        .filter((e) => e.request.url.includes('localhost'))
        .map((e) => e.request.method);
    assert.deepEqual(atTarget('chromium'), ['GET']);
    assert.deepEqual(atTarget('firefox'), ['OPTIONS', 'GET']);
    assert.deepEqual(atTarget('webkit'), ['OPTIONS', 'GET']);
    for (const engine of ['chromium', 'firefox', 'webkit']) {
      assert.deepEqual(
        verdicts[engine]!.problems.map((p) => p.id),
        ['redirect-drops-authorization'],
        engine,
      );
    }
    for (const p of report.problems) seen.add(p.id);

    // Different paths, one outcome: one verdict line, and the requests only some engines sent are tagged.
    const human = await corsguard(['check', first.url, '--origin', APP, '-H', 'Authorization: Bearer secret', '--skip-probes']);
    assert.equal(human.stdout.match(/Verdict:/g)?.length, 1);
    assert.match(human.stdout, /Verdict: ALLOWED/);
    assert.match(human.stdout, /> OPTIONS http:\/\/localhost:\d+\/moved \[firefox\]\n(.*\n){2}\s+Origin: https:\/\/app\.example\.com/);
    assert.match(human.stdout, /> OPTIONS http:\/\/localhost:\d+\/moved \[webkit\]\n(.*\n){2}\s+Origin: null/);
  } finally {
    await Promise.all([target.close(), first.close()]);
  }
});

test('check: a redirect to a URL with user:password@ is a network error (exit 1), nothing is sent there', async () => {
  const target = await recordingOrigin();
  const first = await listen(redirectingTo(target.url.replace('http://', 'http://user:pw@') + '/moved'));
  try {
    const { code, report, stderr } = await checkJson([first.url, '--origin', APP, '--skip-probes']);
    assert.equal(stderr, '');
    assert.equal(code, 1);
    assert.equal(report.allowed, false);
    assert.deepEqual(
      report.problems.map((p) => p.id),
      ['redirect-credentials'],
    );
    assert.deepEqual(target.received, []);
    for (const p of report.problems) seen.add(p.id);
  } finally {
    await Promise.all([target.close(), first.close()]);
  }
});

test('check: a URL with user:password@ is refused as fetch() refuses it, and nothing is sent', async () => {
  const target = await recordingOrigin();
  try {
    const { code, report } = await checkJson([target.url.replace('http://', 'http://user:pw@'), '--origin', APP]);
    assert.equal(code, 1);
    assert.deepEqual(
      report.problems.map((p) => p.id),
      ['url-credentials'],
    );
    assert.deepEqual(target.received, []);
    for (const p of report.problems) seen.add(p.id);
  } finally {
    await target.close();
  }
});

test('check: an https page calling a plain-http API that is not loopback is mixed content: BLOCKED, nothing sent', async () => {
  // .invalid never resolves: were check to send anything, it would fail to connect instead.
  const { code, report, stderr } = await checkJson(['http://api.corsguard-mixed.invalid/items', '--origin', APP]);
  assert.equal(stderr, '');
  assert.equal(code, 1);
  assert.equal(report.allowed, false);
  assert.deepEqual(
    report.problems.map((p) => p.id),
    ['mixed-content'],
  );
  assert.deepEqual(report.exchanges, []);
  assert.deepEqual((report as unknown as { consoleMessages: Record<string, string> }).consoleMessages, {
    firefox: 'Blocked loading mixed active content \u201chttp://api.corsguard-mixed.invalid/items\u201d',
  });
  for (const p of report.problems) seen.add(p.id);
  // Loopback is potentially trustworthy: an https page may call http://127.0.0.1, as every other case here does.
});

test('check: a redirect to data:, file: or javascript: is a network error: BLOCKED, exit 1', async () => {
  for (const location of ['data:text/plain,hello', 'file:///etc/passwd', 'javascript:alert(1)']) {
    const first = await listen(redirectingTo(location));
    try {
      const { code, report, stderr } = await checkJson([first.url, '--origin', APP, '--skip-probes']);
      assert.equal(stderr, '', location);
      assert.equal(code, 1, location);
      assert.deepEqual(
        report.problems.map((p) => p.id),
        ['redirect-not-http'],
        location,
      );
      for (const p of report.problems) seen.add(p.id);
    } finally {
      await first.close();
    }
  }
});

test('check: a 303 (and a 302 of a POST) removes only the four request-body headers', async () => {
  for (const [status, method] of [
    [303, 'PUT'],
    [302, 'POST'],
    [301, 'POST'],
  ] as const) {
    const target = await recordingOrigin();
    const first = await listen(redirectingTo(`${target.url}/moved`, status));
    try {
      const { code } = await checkJson([
        first.url,
        '--origin',
        APP,
        '--method',
        method,
        '--body',
        '{}',
        '--skip-probes',
        '--browser',
        'chromium',
        '-H',
        'Content-Type: application/json',
        '-H',
        'Content-Language: en',
        '-H',
        'Content-Encoding: identity',
        '-H',
        'Content-Location: /drafts/1',
        '-H',
        'Content-Disposition: inline',
      ]);
      assert.equal(code, 0);
      const get = target.received.find((r) => r.method === 'GET')!;
      const content = Object.keys(get.headers)
        .filter((n) => n.startsWith('content-'))
        .sort();
      assert.deepEqual(content, ['content-disposition'], `${status} ${method}`);
      assert.equal(get.headers['content-length'], undefined, 'no body');
    } finally {
      await Promise.all([target.close(), first.close()]);
    }
  }
});

test('check: two Location lines: Chromium and Firefox fail the fetch, WebKit joins them; the output shows each engine', async () => {
  const target = await recordingOrigin();
  const first = await listen(redirectingTo([`${target.url}/a`, `${target.url}/b`]));
  try {
    const { code, report } = await checkJson([first.url, '--origin', APP, '--skip-probes']);
    assert.equal(code, 1);
    assert.equal(report.allowed, false);
    const verdicts = (report as unknown as { verdicts: Verdicts }).verdicts;
    assert.deepEqual(
      verdicts['chromium']!.problems.map((p) => p.id),
      ['redirect-location-invalid'],
    );
    assert.deepEqual(
      verdicts['firefox']!.problems.map((p) => p.id),
      ['redirect-location-invalid'],
    );
    assert.equal(verdicts['webkit']!.allowed, true);
    assert.equal(verdicts['webkit']!.status, 200);
    assert.deepEqual(
      target.received.map((r) => r.method),
      ['GET'],
      'only WebKit went on, to the joined URL',
    );
    for (const p of report.problems) seen.add(p.id);

    const human = await corsguard(['check', first.url, '--origin', APP, '--skip-probes']);
    assert.match(
      human.stdout,
      /Verdict: the engines differ\n {2}chromium: BLOCKED: .*several Location lines.*\n {2}firefox: {2}BLOCKED: .*\n {2}webkit: {3}ALLOWED: /,
    );
    assert.match(human.stdout, /\[redirect-location-invalid\] .*\[chromium, firefox\]/);
    const webkitOnly = await corsguard(['check', first.url, '--origin', APP, '--skip-probes', '--browser', 'webkit']);
    assert.equal(webkitOnly.code, 0);
    assert.match(webkitOnly.stdout, /Verdict: ALLOWED/);
  } finally {
    await Promise.all([target.close(), first.close()]);
  }
});

test('check: engines that agree share one verdict line', async () => {
  const server = await listen(corsguardServer());
  try {
    const run = await corsguard(['check', server.url, '--origin', APP, '--method', 'PUT', '--skip-probes']);
    assert.equal(run.stdout.match(/Verdict:/g)?.length, 1);
    assert.doesNotMatch(run.stdout, /engines differ|\[chromium/);
    const { report } = await checkJson([server.url, '--origin', APP, '--method', 'PUT', '--skip-probes']);
    // One preflight and one PUT, shared by the three engines.
    assert.deepEqual(
      report.exchanges.map((e) => e.request.method),
      ['OPTIONS', 'PUT'],
    );
  } finally {
    await server.close();
  }
});

// Top-level tests run in order, so this one sees every case above.
test('check: every problem id is proven by a case above', () => {
  const missing = [...ERROR_IDS, ...WARNING_IDS].filter((id) => !seen.has(id));
  assert.deepEqual(missing, [], 'every problem id is produced by some case');
});
