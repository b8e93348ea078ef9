/**
 * `res.writeHead(status, …headers)` under corsguard, in every form node:http accepts: the headers
 * corsguard does not answer are sent exactly as node:http sends them without corsguard (the same
 * server with and without it, side by side), node's own errors stay node's, and the headers it
 * does answer (the CORS ones, `Vary`) are settled whichever argument carries them. Real servers on
 * loopback.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { withCors } from './index.js';
import { listen, type RunningServer } from '../../test/support/server.js';
import { send, type RawResponse } from '../../test/support/http.js';
import { varyList } from '../../test/support/vary.js';

const running: RunningServer[] = [];
after(() => Promise.all(running.map((s) => s.close())));

const ALLOWED = 'https://app.example';
const DENIED = 'https://evil.example';

async function serve(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = await listen(listener);
  running.push(server);
  return server.url;
}

/** Each path writes its head its own way; a header set before makes node merge what writeHead is given. */
const FORMS: Record<string, (res: ServerResponse) => void> = {
  // node:http (20) keeps the last value of a name a flat list repeats: names of every length corsguard
  // looks at, twice each, beside a Vary corsguard takes out.
  '/repeated-names': (res) => {
    res
      .writeHead(200, [
        'Link',
        '</a.css>; rel=preload',
        'Link',
        '</b.css>; rel=preload',
        'X-Upstream-Request-Trace-Id',
        'first',
        'X-Upstream-Request-Trace-Id',
        'second',
        'X-Upstream-Correlation-Tokens',
        'first',
        'X-Upstream-Correlation-Tokens',
        'second',
        'X-Upstream-Response-Cache-Status',
        'MISS',
        'X-Upstream-Response-Cache-Status',
        'HIT',
        'X-Tag',
        'a',
        'X-Tag',
        'b',
        'Vary',
        'Accept-Encoding',
      ])
      .end('ok');
  },
  // Names node:http skips: null, undefined, false and '' in a list, '' in an object (beside a Vary corsguard takes out).
  '/skipped-names-list': (res) => {
    res
      .writeHead(200, [
        null,
        'dropped',
        undefined,
        'dropped',
        false,
        'dropped',
        '',
        'dropped',
        'X-Kept',
        'yes',
        'Vary',
        'Accept-Encoding',
      ] as unknown as string[])
      .end('ok');
  },
  '/skipped-names-object': (res) => {
    res.writeHead(200, { '': 'dropped', 'X-Kept': 'yes', Vary: 'Accept-Encoding' }).end('ok');
  },
  '/null-headers': (res) => {
    res.writeHead(200, null as unknown as string).end('ok');
  },
  '/object': (res) => {
    res.writeHead(201, { 'Content-Type': 'text/plain', 'X-Kept': ['a', 'b'] }).end('ok');
  },
  // Node's own errors, which the handler below turns into the body.
  '/odd-list': (res) => {
    res.writeHead(200, ['X-A', '1', 'X-B']).end('ok');
  },
  '/odd-list-with-vary': (res) => {
    res.writeHead(200, ['Vary', 'Accept-Encoding', 'X-B']).end('ok');
  },
  '/pairs': (res) => {
    res
      .writeHead(200, [
        ['Content-Type', 'text/plain'],
        ['X-A', '1'],
      ] as unknown as string[])
      .end('ok');
  },
  '/bad-value': (res) => {
    res.writeHead(200, { 'X-Ok': 'yes', 'X-Bad': 'line\nbreak' }).end('ok');
  },
  '/second-head': (res) => {
    res.write('partial ');
    res.writeHead(500, { Vary: 'Cookie', 'X-Late': 'yes' });
  },
};

function formsHandler(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Cache-Control', 'no-store');
  try {
    FORMS[req.url ?? '']!(res);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    res.statusCode = 500;
    res.end(`${code}: ${message}`);
  }
}

/** What the client got, but for what corsguard answers (CORS headers, Vary) and the date. */
function others(res: RawResponse) {
  const keep = (name: string) => name !== 'date' && name !== 'vary' && !name.startsWith('access-control-');
  return {
    status: res.status,
    body: res.body,
    headers: Object.fromEntries(Object.entries(res.headers).filter(([name]) => keep(name))),
    lineCounts: Object.fromEntries(Object.entries(res.lineCounts).filter(([name]) => keep(name))),
  };
}

test("writeHead's other headers, and node's errors, are what node:http sends without corsguard, in every form", async () => {
  const plain = await serve(formsHandler);
  const guarded = await serve(withCors(formsHandler, { allowOrigins: [ALLOWED], onError: () => {} }));
  for (const path of Object.keys(FORMS)) {
    for (const origin of [ALLOWED, DENIED]) {
      const expected = others(await send(plain + path, { headers: { origin } }));
      const actual = await send(guarded + path, { headers: { origin } });
      assert.deepEqual(others(actual), expected, `${path} from ${origin}`);
      assert.equal(actual.headers['access-control-allow-origin'], origin === ALLOWED ? ALLOWED : undefined, `${path} from ${origin}`);
    }
  }
  // The baseline is what the forms are meant to show: repeated names, skipped names and node's errors.
  const expect = async (path: string, check: (res: RawResponse) => void) =>
    check(await send(guarded + path, { headers: { origin: ALLOWED } }));
  await expect('/repeated-names', (res) => assert.equal(res.headers['x-tag'], process.versions.node.startsWith('20.') ? 'b' : 'a, b'));
  await expect('/skipped-names-list', (res) => assert.deepEqual([res.status, res.headers['x-kept']], [200, 'yes']));
  await expect('/skipped-names-object', (res) => assert.deepEqual([res.status, res.headers['x-kept']], [200, 'yes']));
  await expect('/odd-list-with-vary', (res) => assert.match(res.body, /^ERR_INVALID_ARG_VALUE: /));
  await expect('/second-head', (res) =>
    assert.equal(res.body, 'partial ERR_HTTP_HEADERS_SENT: Cannot write headers after they are sent to the client'),
  );
});

/** Every argument list node:http reads headers from; each carries the same two headers corsguard answers. */
const CARRIERS: Record<string, (res: ServerResponse, headers: Record<string, string>) => void> = {
  '(status, headers)': (res, headers) => res.writeHead(200, headers),
  '(status, message, headers)': (res, headers) => res.writeHead(200, 'Fine', headers),
  '(status, undefined, headers)': (res, headers) => res.writeHead(200, undefined, headers),
  '(status, null, headers)': (res, headers) => res.writeHead(200, null as unknown as string, headers),
  '(status, headers, undefined)': (res, headers) => res.writeHead(200, headers as unknown as string, undefined),
  '(status, headers, null)': (res, headers) => res.writeHead(200, headers as unknown as string, null as unknown as Record<string, string>),
  '(status, flat list)': (res, headers) => res.writeHead(200, Object.entries(headers).flat()),
};

test('writeHead: the CORS headers and Vary are settled from whichever argument carries them', async () => {
  const url = await serve(
    withCors(
      (req, res) => {
        CARRIERS[decodeURIComponent((req.url ?? '').slice(1))]!(res, { Vary: 'Accept-Encoding', 'Access-Control-Allow-Origin': '*' });
        res.end('ok');
      },
      { allowOrigins: [ALLOWED], onWarning: () => {} },
    ),
  );
  for (const form of Object.keys(CARRIERS)) {
    for (const origin of [ALLOWED, DENIED]) {
      const res = await send(`${url}/${encodeURIComponent(form)}`, { headers: { origin } });
      const label = `writeHead${form} from ${origin}`;
      assert.equal(res.status, 200, label);
      assert.equal(res.headers['access-control-allow-origin'], origin === ALLOWED ? ALLOWED : undefined, label);
      assert.deepEqual(varyList(res.headers.vary), ['accept-encoding', 'origin'], label);
    }
  }
});

test('writeHead refused by node (a status out of range) and called again: the second head is settled too', async () => {
  const thrown: string[] = [];
  const url = await serve(
    withCors(
      (_req, res) => {
        try {
          res.writeHead(1000, { 'X-Upstream': 'status 1000' });
        } catch (error) {
          thrown.push((error as NodeJS.ErrnoException).code ?? '');
        }
        res.writeHead(502, { Vary: 'Accept-Encoding', 'Access-Control-Allow-Origin': '*' }).end('bad gateway');
      },
      { allowOrigins: [ALLOWED], onWarning: () => {} },
    ),
  );
  for (const origin of [ALLOWED, DENIED]) {
    const res = await send(url, { headers: { origin } });
    assert.equal(res.status, 502, origin);
    assert.equal(res.body, 'bad gateway', origin);
    assert.equal(res.headers['access-control-allow-origin'], origin === ALLOWED ? ALLOWED : undefined, origin);
    assert.deepEqual(varyList(res.headers.vary), ['accept-encoding', 'origin'], origin);
  }
  assert.deepEqual(thrown, ['ERR_HTTP_INVALID_STATUS_CODE', 'ERR_HTTP_INVALID_STATUS_CODE']);
});
