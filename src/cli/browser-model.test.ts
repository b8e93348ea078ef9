import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  corsCheck,
  ENGINES,
  evaluatePreflight,
  planRequest,
  preflightCacheSeconds,
  preflightMaxAge,
  readableHeaders,
  type Engine,
  type PageRequest,
  type PreflightVerdict,
  type RequestPlan,
  type ResponseHead,
} from './browser-model.js';
import { isToken } from '../protocol/fetch-standard.js';

const ORIGIN = 'https://app.example.com';

/** A response head as the CLI's HTTP client gives it: every line kept, only well-formed names in `headers`. */
function head(status: number, lines: [string, string][]): ResponseHead {
  const headers: Record<string, string> = {};
  const lineCounts: Record<string, number> = {};
  for (const [name, value] of lines) {
    if (!isToken(name)) continue;
    const lower = name.toLowerCase();
    headers[lower] = lower in headers ? `${headers[lower]}, ${value}` : value;
    lineCounts[lower] = (lineCounts[lower] ?? 0) + 1;
  }
  return { status, headers, lineCounts, lines };
}

const ids = (problems: readonly { id: string }[]): string[] => problems.map((p) => p.id);

test('planRequest: method normalization, default Content-Type for a body, forbidden headers dropped', () => {
  const put = planRequest({ origin: ORIGIN, method: 'put', headers: [], credentials: false, body: 'x' });
  assert.equal(put.method, 'PUT');
  assert.deepEqual(put.headers, [['Content-Type', 'text/plain;charset=UTF-8']]);
  assert.deepEqual(put.preflightHeaders, [
    ['Accept', '*/*'],
    ['Access-Control-Request-Method', 'PUT'],
    ['Origin', ORIGIN],
  ]);
  const patch = planRequest({ origin: ORIGIN, method: 'patch', headers: [], credentials: false });
  assert.equal(patch.method, 'patch');
  const post = planRequest({
    origin: ORIGIN,
    method: 'post',
    headers: [
      ['Cookie', 'a=b'],
      ['Content-Type', 'text/plain'],
    ],
    credentials: false,
  });
  assert.equal(post.preflight, false);
  assert.deepEqual(ids(post.problems), ['request-header-forbidden']);
  assert.deepEqual(post.headers, [['Content-Type', 'text/plain']]);
});

test('corsCheck: byte-exact origin, one value, * only without credentials, ACAC exactly true', () => {
  assert.deepEqual(corsCheck(head(200, [['Access-Control-Allow-Origin', ORIGIN]]), ORIGIN, false, 'r'), []);
  assert.deepEqual(corsCheck(head(200, [['Access-Control-Allow-Origin', '*']]), ORIGIN, false, 'r'), []);
  assert.deepEqual(corsCheck(head(200, [['Access-Control-Allow-Origin', 'null']]), 'null', false, 'r'), []);
  assert.deepEqual(ids(corsCheck(head(200, [['Access-Control-Allow-Origin', `${ORIGIN}, https://b.example`]]), ORIGIN, false, 'r')), [
    'allow-origin-multiple',
  ]);
  assert.deepEqual(ids(corsCheck(head(200, [['Access-Control-Allow-Origin', 'http://app.example.com:8080']]), ORIGIN, false, 'r')), [
    'allow-origin-mismatch',
  ]);
  assert.deepEqual(ids(corsCheck(head(200, [['Access-Control-Allow-Origin', 'https://app.example.com:8443']]), ORIGIN, false, 'r')), [
    'allow-origin-port',
  ]);
  assert.deepEqual(ids(corsCheck(head(200, [['Access-Control-Allow-Origin', 'null']]), ORIGIN, false, 'r')), ['allow-origin-mismatch']);
  const credentialed = (acac: [string, string][]): string[] =>
    ids(corsCheck(head(200, [['Access-Control-Allow-Origin', ORIGIN], ...acac]), ORIGIN, true, 'r'));
  assert.deepEqual(credentialed([['Access-Control-Allow-Credentials', 'true']]), []);
  assert.deepEqual(
    credentialed([
      ['Access-Control-Allow-Credentials', 'true'],
      ['Access-Control-Allow-Credentials', 'true'],
    ]),
    ['allow-credentials-not-true'],
  );
  assert.deepEqual(credentialed([]), ['allow-credentials-missing']);
});

test('evaluatePreflight: ok status, lists, wildcards and Authorization', () => {
  const page = {
    origin: ORIGIN,
    method: 'DELETE',
    headers: [
      ['Authorization', 'x'],
      ['X-A', '1'],
    ] as [string, string][],
    credentials: false,
  };
  const plan = planRequest(page);
  const base: [string, string][] = [['Access-Control-Allow-Origin', ORIGIN]];
  const run = (status: number, lines: [string, string][], credentials = false): string[] =>
    ids(evaluatePreflight(plan, { ...page, credentials }, head(status, [...base, ...lines]), ['chromium']).problems);
  assert.deepEqual(
    run(204, [
      ['Access-Control-Allow-Methods', 'DELETE'],
      ['Access-Control-Allow-Headers', 'authorization, X-A'],
    ]),
    [],
  );
  assert.deepEqual(
    run(204, [
      ['Access-Control-Allow-Methods', '*'],
      ['Access-Control-Allow-Headers', '*, Authorization'],
    ]),
    [],
  );
  assert.deepEqual(
    run(204, [
      ['Access-Control-Allow-Methods', '*'],
      ['Access-Control-Allow-Headers', '*'],
    ]),
    ['authorization-wildcard'],
  );
  assert.deepEqual(
    run(204, [
      ['Access-Control-Allow-Methods', 'delete'],
      ['Access-Control-Allow-Headers', 'authorization,x-a'],
    ]),
    ['method-case-mismatch'],
  );
  assert.deepEqual(
    run(204, [
      ['Access-Control-Allow-Methods', 'DELETE'],
      ['Access-Control-Allow-Headers', 'authorization,x-a,'],
    ]),
    [],
  );
  assert.deepEqual(
    run(204, [
      ['Access-Control-Allow-Methods', 'DELETE'],
      ['Access-Control-Allow-Headers', 'authorization x-a'],
    ]),
    ['allow-headers-malformed'],
  );
  assert.deepEqual(run(302, [['Access-Control-Allow-Methods', 'DELETE']]), ['preflight-redirect']);
  assert.deepEqual(run(204, [['Access-Control-Allow-Origin', ORIGIN]]), ['allow-origin-multiple']);
});

test('max-age: one line of digits, else 5 seconds; each engine caps it', () => {
  assert.equal(preflightMaxAge(head(204, [['Access-Control-Max-Age', '600']])), 600);
  assert.equal(preflightMaxAge(head(204, [['Access-Control-Max-Age', '-1']])), undefined);
  assert.equal(
    preflightMaxAge(
      head(204, [
        ['Access-Control-Max-Age', '6'],
        ['Access-Control-Max-Age', '6'],
      ]),
    ),
    undefined,
  );
  const plan = planRequest({ origin: ORIGIN, method: 'PUT', headers: [], credentials: false });
  const verdict = evaluatePreflight(
    plan,
    { origin: ORIGIN, method: 'PUT', headers: [], credentials: false },
    head(204, [
      ['Access-Control-Allow-Origin', '*'],
      ['Access-Control-Allow-Methods', 'PUT'],
      ['Access-Control-Max-Age', '86400'],
    ]),
    ['firefox'],
  );
  assert.deepEqual(verdict.cacheSeconds, { chromium: 7200, firefox: 86400, webkit: 600 });
  assert.deepEqual(ids(verdict.problems), []);
});

test('readable headers: safelisted, exposed, * only without credentials, never Set-Cookie', () => {
  const response = head(200, [
    ['Access-Control-Expose-Headers', '*'],
    ['X-A', '1'],
    ['Set-Cookie', 's=1'],
  ]);
  const anonymous = readableHeaders(response, false, ['X-A', 'content-type', 'Set-Cookie']);
  assert.deepEqual(
    anonymous.access.map((a) => a.readable),
    [true, true, false],
  );
  assert.deepEqual(ids(anonymous.problems), ['header-never-exposed']);
  const credentialed = readableHeaders(response, true, ['X-A']);
  assert.deepEqual(ids(credentialed.problems), ['expose-wildcard-credentials']);
});

// --- where engines depart from the standard (measured: docs/browsers.md) ------------------------

const plan = (headers: [string, string][], engine?: Engine, extra: Partial<PageRequest> = {}): RequestPlan =>
  planRequest({ origin: ORIGIN, method: 'GET', headers, credentials: false, ...extra }, engine);
const unsafeNames = (headers: [string, string][], engine?: Engine): string[] => plan(headers, engine).unsafeHeaders.map((h) => h.name);
const perEngine = <T>(each: (engine: Engine) => T): Record<Engine, T> => ({
  chromium: each('chromium'),
  firefox: each('firefox'),
  webkit: each('webkit'),
});

test('same-name request headers: Chromium and WebKit join them before the safelist check, Firefox and the standard do not', () => {
  const twoAccepts: [string, string][] = [
    ['Accept', 'a'.repeat(70)],
    ['Accept', 'b'.repeat(70)],
  ];
  assert.deepEqual(
    perEngine((e) => plan(twoAccepts, e).preflight),
    { chromium: true, firefox: false, webkit: true },
  );
  assert.equal(plan(twoAccepts).preflight, false);
  assert.match(plan(twoAccepts, 'webkit').preflightReasons[0]!, /142 bytes.*WebKit joins the 2 accept headers/);
  // Joined, two short values stay safe; two text/plain Content-Types do not parse as one MIME type.
  assert.deepEqual(
    perEngine((e) =>
      unsafeNames(
        [
          ['Accept', 'text/html'],
          ['Accept', 'application/json'],
        ],
        e,
      ),
    ),
    { chromium: [], firefox: [], webkit: [] },
  );
  assert.deepEqual(
    perEngine((e) =>
      unsafeNames(
        [
          ['Content-Type', 'text/plain'],
          ['Content-Type', 'text/plain'],
        ],
        e,
      ),
    ),
    { chromium: ['content-type'], firefox: [], webkit: ['content-type'] },
  );
});

test('the 1024-byte safelisted total: exactly 1024 stays simple, 1025 preflights; it counts the default Accept; Firefox has none', () => {
  const v = (c: string, n: number): string => c.repeat(n);
  // Chromium reaches the total through the client hints it safelists: eight 128-byte values are 1024 bytes.
  const chromium1024: [string, string][] = [
    ['Accept', v('a', 128)],
    ['Accept-Language', v('b', 128)],
    ['Content-Language', v('c', 128)],
    ['Content-Type', `text/plain;a=${v('d', 115)}`],
    ['DPR', `1.${v('0', 126)}`],
    ['Device-Memory', `8.${v('0', 126)}`],
    ['Width', v('1', 128)],
    ['Viewport-Width', v('1', 128)],
  ];
  assert.equal(
    chromium1024.reduce((sum, [, value]) => sum + value.length, 0),
    1024,
  );
  assert.equal(plan(chromium1024, 'chromium').preflight, false);
  const chromium1025: [string, string][] = [...chromium1024.slice(1), ['Accept', v('a', 121)], ['Range', 'bytes=0-']];
  assert.equal(
    chromium1025.reduce((sum, [, value]) => sum + value.length, 0),
    1025,
  );
  assert.equal(plan(chromium1025, 'chromium').preflight, true);
  assert.match(plan(chromium1025, 'chromium').preflightReasons.join('\n'), /add up to 1025 bytes, above the 1024-byte total/);
  // The standard checks each line, so eight Accept lines make 1024 bytes; fetch()'s default
  // Accept: */* (3 bytes) counts when the page sets none.
  const lines = (name: string, count: number, last: number): [string, string][] => [
    ...Array.from({ length: count }, () => [name, v('a', 128)] as [string, string]),
    ['Content-Language', v('a', last)],
  ];
  assert.equal(plan(lines('Accept', 7, 128)).preflight, false); // 8 x 128 = 1024
  assert.equal(plan([...lines('Accept', 7, 128), ['Range', 'bytes=0-']]).preflight, true);
  assert.equal(plan(lines('Accept-Language', 7, 125)).preflight, false); // 896 + 125 + 3 = 1024
  assert.equal(plan(lines('Accept-Language', 7, 126)).preflight, true); // 896 + 126 + 3 = 1025
  // Firefox checks each line and has no total.
  assert.equal(plan(lines('Accept', 9, 128), 'firefox').preflight, false);
});

test('Chromium safelists the client hints DPR, Device-Memory, Width, Viewport-Width and Save-Data, by value', () => {
  const hints: [string, string][] = [
    ['DPR', '2.5'],
    ['Device-Memory', '8'],
    ['Width', '100'],
    ['Viewport-Width', '1280'],
    ['Save-Data', 'ON'],
  ];
  assert.deepEqual(unsafeNames(hints, 'chromium'), []);
  assert.deepEqual(unsafeNames(hints, 'firefox'), ['device-memory', 'dpr', 'save-data', 'viewport-width', 'width']);
  assert.deepEqual(unsafeNames(hints, 'webkit'), ['device-memory', 'dpr', 'save-data', 'viewport-width', 'width']);
  assert.deepEqual(
    unsafeNames(
      [
        ['DPR', '2x'],
        ['Width', '1.5'],
        ['Save-Data', 'off'],
        ['Device-Memory', '8.'],
      ],
      'chromium',
    ),
    ['device-memory', 'dpr', 'save-data', 'width'],
  );
});

test('Range: WebKit reads the unit in any case, Chromium, Firefox and the standard only as bytes', () => {
  for (const value of ['BYTES=0-', 'Bytes=0-']) {
    assert.deepEqual(
      perEngine((e) => plan([['Range', value]], e).preflight),
      { chromium: true, firefox: true, webkit: false },
    );
    assert.equal(plan([['Range', value]]).preflight, true);
  }
  assert.deepEqual(
    perEngine((e) => plan([['Range', 'bytes=0-']], e).preflight),
    { chromium: false, firefox: false, webkit: false },
  );
});

test("a request to the page's own origin uses no CORS: no preflight whatever it sends", () => {
  const same = plan(
    [
      ['X-API-Key', 'k'],
      ['Content-Type', 'application/json'],
    ],
    'chromium',
    { method: 'PUT', url: `${ORIGIN}/items` },
  );
  assert.equal(same.sameOrigin, true);
  assert.equal(same.preflight, false);
  assert.deepEqual(same.unsafeHeaders, []);
  const cross = plan([['X-API-Key', 'k']], 'chromium', { method: 'PUT', url: 'https://api.example.com/items' });
  assert.equal(cross.sameOrigin, false);
  assert.equal(cross.preflight, true);
  assert.equal(plan([]).sameOrigin, false);
  const response = head(200, [
    ['X-A', '1'],
    ['Set-Cookie', 's=1'],
  ]);
  assert.deepEqual(
    readableHeaders(response, false, ['X-A', 'Set-Cookie'], 'chromium', true).access.map((a) => a.readable),
    [true, false],
  );
  assert.deepEqual(
    readableHeaders(response, false, ['X-A'], 'chromium').access.map((a) => a.readable),
    [false],
  );
});

test('Max-Age per engine: -1 and 0 never cache; Firefox does not cache an unparseable value, Chromium and WebKit use 5 s; +600 is 600 except in Firefox', () => {
  const cache = (lines: [string, string][]): Record<Engine, number> => perEngine((e) => preflightCacheSeconds(head(204, lines), e));
  const maxAge = (value: string): [string, string] => ['Access-Control-Max-Age', value];
  assert.deepEqual(cache([maxAge('-1')]), { chromium: 0, firefox: 0, webkit: 0 });
  assert.deepEqual(cache([maxAge('0')]), { chromium: 0, firefox: 0, webkit: 0 });
  assert.deepEqual(cache([]), { chromium: 5, firefox: 5, webkit: 5 });
  assert.deepEqual(cache([maxAge('600')]), { chromium: 600, firefox: 600, webkit: 600 });
  for (const value of ['600s', '600, 600', '6 00', '600.5', ''])
    assert.deepEqual(cache([maxAge(value)]), { chromium: 5, firefox: 0, webkit: 5 }, value);
  assert.deepEqual(cache([maxAge('600'), maxAge('600')]), { chromium: 5, firefox: 0, webkit: 5 });
  assert.deepEqual(cache([maxAge('+600')]), { chromium: 600, firefox: 0, webkit: 600 });
  assert.deepEqual(cache([maxAge('+86400')]), { chromium: 7200, firefox: 0, webkit: 600 });

  const page: PageRequest = { origin: ORIGIN, method: 'PUT', headers: [], credentials: false };
  const verdict = (value: string, engines: Engine[]): PreflightVerdict =>
    evaluatePreflight(
      planRequest(page),
      page,
      head(204, [['Access-Control-Allow-Origin', '*'], ['Access-Control-Allow-Methods', 'PUT'], maxAge(value)]),
      engines,
    );
  const negative = verdict('-1', ['chromium', 'firefox', 'webkit']);
  assert.deepEqual(negative.cacheSeconds, { chromium: 0, firefox: 0, webkit: 0 });
  assert.deepEqual(ids(negative.problems), ['max-age-invalid']);
  assert.match(
    negative.problems[0]!.message,
    /Chromium does not cache the preflight, Firefox does not cache the preflight, WebKit does not cache/,
  );
  assert.match(
    verdict('600s', ['firefox', 'webkit']).problems[0]!.message,
    /Firefox does not cache the preflight, WebKit caches it for its default 5 seconds/,
  );
  assert.match(verdict('+600', ['chromium']).problems[0]!.message, /Chromium reads it as 600 seconds/);
});

test('Access-Control-Allow-Origin with white space before the colon: Chromium reads it, Firefox and WebKit ignore the line', () => {
  const spaced = head(200, [
    ['Access-Control-Allow-Origin ', '*'],
    ['Content-Type', 'text/plain'],
  ]);
  const check = (response: ResponseHead, engine?: Engine): string[] => ids(corsCheck(response, ORIGIN, false, 'r', engine));
  assert.deepEqual(
    perEngine((e) => check(spaced, e)),
    { chromium: [], firefox: ['allow-origin-missing'], webkit: ['allow-origin-missing'] },
  );
  assert.deepEqual(check(spaced), ['allow-origin-missing']);
  assert.match(
    corsCheck(spaced, ORIGIN, false, 'r', 'firefox')[0]!.message,
    /'Access-Control-Allow-Origin :' with white space before the colon.*Firefox ignores/,
  );
  assert.deepEqual(
    perEngine((e) => check(head(200, [['Access-Control-Allow-Origin\t', '*']]), e)),
    { chromium: [], firefox: ['allow-origin-missing'], webkit: ['allow-origin-missing'] },
  );
  // With a well-formed line as well, Chromium sees two values and the others one.
  const both = head(200, [
    ['Access-Control-Allow-Origin ', '*'],
    ['Access-Control-Allow-Origin', '*'],
  ]);
  assert.deepEqual(
    perEngine((e) => check(both, e)),
    { chromium: ['allow-origin-multiple'], firefox: [], webkit: [] },
  );
  // The preflight and the exposed headers are read the same way.
  const page: PageRequest = { origin: ORIGIN, method: 'PUT', headers: [], credentials: false };
  const preflight = head(204, [
    ['Access-Control-Allow-Origin', '*'],
    ['Access-Control-Allow-Methods ', 'PUT'],
  ]);
  assert.deepEqual(
    perEngine((e) => ids(evaluatePreflight(planRequest(page, e), page, preflight, [e]).problems)),
    { chromium: [], firefox: ['method-not-allowed'], webkit: ['method-not-allowed'] },
  );
  const exposed = head(200, [
    ['Access-Control-Expose-Headers ', 'X-A'],
    ['X-A', '1'],
  ]);
  assert.deepEqual(
    perEngine((e) => readableHeaders(exposed, false, ['X-A'], e).access[0]!.readable),
    { chromium: true, firefox: false, webkit: false },
  );
});

test('a null Access-Control-Allow-Methods list (absent) differs from an empty one only with the use-CORS-preflight flag, by the standard; engines block both', () => {
  const page: PageRequest = { origin: ORIGIN, method: 'PUT', headers: [], credentials: false, body: 'x', useCorsPreflight: true };
  const run = (lines: [string, string][], engines: Engine[], request = page): string[] =>
    ids(evaluatePreflight(planRequest(request), request, head(204, [['Access-Control-Allow-Origin', '*'], ...lines]), engines).problems);
  // The standard ([] engines): absent grants the request's own method, empty does not.
  assert.deepEqual(run([], []), []);
  assert.deepEqual(run([['Access-Control-Allow-Methods', '']], []), ['method-not-allowed']);
  // Without the flag, absent grants nothing.
  assert.deepEqual(run([], [], { ...page, useCorsPreflight: false }), ['method-not-allowed']);
  // Every engine blocks (measured with an XMLHttpRequest PUT with an upload listener), and says why.
  for (const engine of ENGINES) assert.deepEqual(run([], [engine]), ['method-not-allowed']);
  const all = evaluatePreflight(planRequest(page), page, head(204, [['Access-Control-Allow-Origin', '*']]), [
    'chromium',
    'firefox',
    'webkit',
  ]);
  assert.match(all.problems[0]!.message, /the Fetch standard lets an absent list grant .* but Chromium, Firefox and WebKit do not/);
  // The flag forces a preflight even for a simple POST.
  const post = planRequest({
    origin: ORIGIN,
    method: 'POST',
    headers: [['Content-Type', 'text/plain']],
    credentials: false,
    body: 'x',
    useCorsPreflight: true,
  });
  assert.equal(post.preflight, true);
  assert.match(post.preflightReasons[0]!, /use-CORS-preflight flag/);
});
