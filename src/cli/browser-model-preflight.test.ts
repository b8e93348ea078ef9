/**
 * What the browser model says about a preflight response, word for word, and where each of its
 * boundaries lies: the ok status range (Fetch: 200 to 299), the redirect range, the method and
 * header lists, and how long each engine caches the answer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  evaluatePreflight,
  joinHeaderLines,
  planRequest,
  preflightMaxAge,
  type Engine,
  type PageRequest,
  type PreflightVerdict,
  type ResponseHead,
} from './browser-model.js';
import type { Problem } from './problems.js';

const ORIGIN = 'https://app.example.com';
const ALL: Engine[] = ['chromium', 'firefox', 'webkit'];
const NOT_CACHED = { chromium: 0, firefox: 0, webkit: 0 };

function head(status: number, lines: [string, string][]): ResponseHead {
  return { status, ...joinHeaderLines(lines, false), lines };
}

function problem(id: Problem['id'], message: string, fix: string, severity: Problem['severity'] = 'error'): Problem {
  return { id, severity, message, fix };
}

/**
 * The verdict on a preflight answered with `lines` (after an Access-Control-Allow-Origin that
 * allows the page, and Access-Control-Allow-Credentials: true for a request with credentials).
 */
function preflight(
  request: Partial<PageRequest>,
  lines: [string, string][],
  engines: Engine[] = ['chromium'],
  status = 204,
): PreflightVerdict {
  const page: PageRequest = { origin: ORIGIN, method: 'GET', headers: [], credentials: false, ...request };
  const allow: [string, string][] = page.credentials
    ? [
        ['Access-Control-Allow-Origin', ORIGIN],
        ['Access-Control-Allow-Credentials', 'true'],
      ]
    : [['Access-Control-Allow-Origin', '*']];
  return evaluatePreflight(planRequest(page), page, head(status, [...allow, ...lines]), engines);
}

const OPTIONS_FIRST = 'let OPTIONS requests that carry Access-Control-Request-Method reach the CORS layer first';

test("a preflight's status: 200 to 299 pass; 300 to 399 are redirects; 401, 403, 404, 405 and 5xx each say why", () => {
  const put = (status: number): PreflightVerdict =>
    preflight({ method: 'PUT' }, [['Access-Control-Allow-Methods', 'PUT']], ['chromium'], status);
  for (const status of [200, 204, 299]) assert.deepEqual(put(status).problems, [], String(status));
  const redirect = (status: number): Problem =>
    problem(
      'preflight-redirect',
      `The preflight response was answered with a ${status} redirect; browsers never follow redirects of a preflight`,
      'call the final URL directly (often a trailing-slash redirect: match the route exactly), or answer preflights before any redirect',
    );
  for (const status of [300, 308, 399]) assert.deepEqual(put(status).problems, [redirect(status)], String(status));
  const notOk = (status: number): Problem =>
    problem(
      'preflight-status',
      `The preflight response was answered ${status}; a preflight must get a 2xx status`,
      `${OPTIONS_FIRST}, and answer it with 204`,
    );
  for (const status of [101, 199, 400, 402]) assert.deepEqual(put(status).problems, [notOk(status)], String(status));
  assert.deepEqual(put(401).problems, [
    problem(
      'preflight-unauthorized',
      'The preflight response was answered 401: authentication runs before CORS, and preflights never carry credentials',
      `put the CORS layer before authentication (${OPTIONS_FIRST})`,
    ),
  ]);
  assert.deepEqual(put(403).problems, [
    problem(
      'preflight-forbidden',
      "The preflight response was answered 403: either the server's CORS policy does not allow https://app.example.com, or an authorization layer refused the preflight (preflights never carry credentials)",
      `allow https://app.example.com in the CORS configuration; if it is allowed, ${OPTIONS_FIRST}`,
    ),
  ]);
  for (const status of [404, 405]) {
    assert.deepEqual(put(status).problems, [
      problem(
        'preflight-no-options-route',
        `The preflight response was answered ${status}: no route handles OPTIONS for this URL, so the CORS layer never answered it`,
        'mount the CORS middleware globally (before routing), so it answers OPTIONS for every route',
      ),
    ]);
  }
  for (const status of [500, 503]) {
    assert.deepEqual(put(status).problems, [
      problem(
        'preflight-server-error',
        `The preflight response was answered ${status}: the server failed while handling OPTIONS`,
        `look at the server's logs for the OPTIONS request; ${OPTIONS_FIRST}`,
      ),
    ]);
  }
  // A failed preflight is not cached by any engine.
  assert.deepEqual(put(500).cacheSeconds, NOT_CACHED);
});

test('method case: a lower-case method fetch() does not normalize is told to write it in upper case; an upper-case one to list it exactly', () => {
  assert.deepEqual(preflight({ method: 'patch' }, [['Access-Control-Allow-Methods', 'GET, PATCH']]).problems, [
    problem(
      'method-case-mismatch',
      "Access-Control-Allow-Methods has 'PATCH' but the request's method is 'patch'; methods are compared case-sensitively (fetch() upper-cases only DELETE, GET, HEAD, OPTIONS, POST and PUT, so 'patch' stays as written)",
      "write the method in upper case in the page: method: 'PATCH'",
    ),
  ]);
  assert.deepEqual(preflight({ method: 'DELETE' }, [['Access-Control-Allow-Methods', 'GET, delete']]).problems, [
    problem(
      'method-case-mismatch',
      "Access-Control-Allow-Methods has 'delete' but the request's method is 'DELETE'; methods are compared case-sensitively",
      "list the method exactly as 'DELETE' in the allowed methods",
    ),
  ]);
});

test('method not allowed: the Access-Control-Allow-Methods value quoted, or absent', () => {
  const putFix = "add PUT to the server's allowed methods";
  assert.deepEqual(preflight({ method: 'PUT' }, [['Access-Control-Allow-Methods', 'GET, POST']]).problems, [
    problem('method-not-allowed', "the preflight response does not allow method PUT (Access-Control-Allow-Methods: 'GET, POST')", putFix),
  ]);
  const absent = preflight({ method: 'PUT' }, [['Access-Control-Max-Age', '600']]);
  assert.deepEqual(absent.problems, [
    problem('method-not-allowed', 'the preflight response does not allow method PUT (Access-Control-Allow-Methods: absent)', putFix),
  ]);
  // A preflight that fails on its method is not cached, and its Max-Age is not judged.
  assert.deepEqual(absent.cacheSeconds, NOT_CACHED);
  assert.deepEqual(preflight({ method: 'PUT', credentials: true }, [['Access-Control-Allow-Methods', '*']]).problems, [
    problem(
      'method-wildcard-credentials',
      "Access-Control-Allow-Methods is '*', which means the literal name '*' for a request with credentials, so PUT is not allowed",
      'list PUT explicitly in the allowed methods',
    ),
  ]);
});

test('with the use-CORS-preflight flag, an absent Allow-Methods names the engines that depart from the standard; a present or empty one does not', () => {
  const flagged: Partial<PageRequest> = { method: 'PUT', body: 'x', useCorsPreflight: true };
  const notAllowed = (list: string, departure = ''): Problem[] => [
    problem(
      'method-not-allowed',
      `the preflight response does not allow method PUT (Access-Control-Allow-Methods: ${list})${departure}`,
      "add PUT to the server's allowed methods",
    ),
  ];
  const standard =
    "; the Fetch standard lets an absent list grant the request's own method when it has upload listeners or a stream body, but";
  assert.deepEqual(preflight(flagged, [], ['webkit']).problems, notAllowed('absent', `${standard} WebKit does not`));
  assert.deepEqual(
    preflight(flagged, [], ['chromium', 'firefox']).problems,
    notAllowed('absent', `${standard} Chromium and Firefox do not`),
  );
  assert.deepEqual(preflight(flagged, [], ALL).problems, notAllowed('absent', `${standard} Chromium, Firefox and WebKit do not`));
  assert.deepEqual(preflight(flagged, [['Access-Control-Allow-Methods', '']], []).problems, notAllowed("''"));
  assert.deepEqual(preflight(flagged, [['Access-Control-Allow-Methods', 'GET']], ALL).problems, notAllowed("'GET'"));
  assert.deepEqual(preflight({ method: 'PUT' }, [], ALL).problems, notAllowed('absent'));
});

test('headers not allowed: one or several, the Access-Control-Allow-Headers value quoted or absent, a hint for Content-Type', () => {
  assert.deepEqual(preflight({ headers: [['X-Api-Key', 'k']] }, []).problems, [
    problem(
      'header-not-allowed',
      'the preflight response does not allow the request header x-api-key (Access-Control-Allow-Headers: absent)',
      "add x-api-key to the server's allowed headers",
    ),
  ]);
  assert.deepEqual(
    preflight(
      {
        headers: [
          ['X-Api-Key', 'k'],
          ['X-Trace', 't'],
        ],
      },
      [['Access-Control-Allow-Headers', 'X-Other']],
    ).problems,
    [
      problem(
        'header-not-allowed',
        "the preflight response does not allow the request headers x-api-key, x-trace (Access-Control-Allow-Headers: 'X-Other')",
        "add x-api-key, x-trace to the server's allowed headers",
      ),
    ],
  );
  assert.deepEqual(
    preflight({ method: 'POST', headers: [['Content-Type', 'application/json']], body: '{}' }, [
      ['Access-Control-Allow-Headers', 'X-Other'],
    ]).problems,
    [
      problem(
        'header-not-allowed',
        "the preflight response does not allow the request header content-type (Access-Control-Allow-Headers: 'X-Other')",
        "add content-type to the server's allowed headers (Content-Type is safelisted only for form and text/plain bodies; JSON needs it allowed)",
      ),
    ],
  );
});

test("Authorization is never covered by '*': said once, apart from the other headers '*' does not cover with credentials", () => {
  const authorizationWildcard = problem(
    'authorization-wildcard',
    "Access-Control-Allow-Headers is '*', but '*' never covers Authorization: it must be listed by name",
    'list Authorization explicitly in the allowed headers',
  );
  // Without a wildcard, Authorization is one more header not allowed.
  assert.deepEqual(preflight({ headers: [['Authorization', 'Bearer t']] }, [['Access-Control-Allow-Headers', 'X-Api-Key']]).problems, [
    problem(
      'header-not-allowed',
      "the preflight response does not allow the request header authorization (Access-Control-Allow-Headers: 'X-Api-Key')",
      "add authorization to the server's allowed headers",
    ),
  ]);
  const wildcardWithCredentials = (names: string[]): Problem[] =>
    preflight({ credentials: true, headers: names.map((name) => [name, 'v']) }, [['Access-Control-Allow-Headers', '*']]).problems;
  assert.deepEqual(wildcardWithCredentials(['Authorization', 'X-Api-Key']), [
    authorizationWildcard,
    problem(
      'header-wildcard-credentials',
      "Access-Control-Allow-Headers is '*', which means the literal name '*' for a request with credentials, so x-api-key is not allowed",
      'list x-api-key explicitly in the allowed headers',
    ),
  ]);
  assert.deepEqual(wildcardWithCredentials(['X-Api-Key', 'X-Trace']), [
    problem(
      'header-wildcard-credentials',
      "Access-Control-Allow-Headers is '*', which means the literal name '*' for a request with credentials, so x-api-key, x-trace are not allowed",
      'list x-api-key, x-trace explicitly in the allowed headers',
    ),
  ]);
  assert.deepEqual(wildcardWithCredentials(['Authorization']), [authorizationWildcard]);
});

test('Max-Age above a cap names each engine that caps it, and the lowest cap of the engines asked about', () => {
  const put = (maxAge: string, engines: Engine[]): PreflightVerdict =>
    preflight(
      { method: 'PUT' },
      [
        ['Access-Control-Allow-Methods', 'PUT'],
        ['Access-Control-Max-Age', maxAge],
      ],
      engines,
    );
  const aboveCap = (seconds: number, capped: string, lowest: number): Problem =>
    problem(
      'max-age-above-cap',
      `Access-Control-Max-Age is ${seconds} seconds, more than browsers honour: ${capped}`,
      `lower maxAge to ${lowest} or less, so the cache time you configure is the one you get`,
      'warning',
    );
  const day = put('86400', ALL);
  assert.deepEqual(day.problems, [aboveCap(86400, 'chromium caps it at 7200, webkit caps it at 600', 600)]);
  assert.deepEqual(day.cacheSeconds, { chromium: 7200, firefox: 86400, webkit: 600 });
  assert.deepEqual(put('86401', ['firefox', 'chromium']).problems, [
    aboveCap(86401, 'chromium caps it at 7200, firefox caps it at 86400', 7200),
  ]);
  // Each cap is honoured exactly.
  assert.deepEqual(put('7200', ['chromium']).problems, []);
  assert.deepEqual(put('7201', ['chromium']).problems, [aboveCap(7201, 'chromium caps it at 7200', 7200)]);
  assert.deepEqual(put('600', ALL).problems, []);
  assert.deepEqual(put('601', ['webkit']).problems, [aboveCap(601, 'webkit caps it at 600', 600)]);
});

test('an invalid Max-Age says what each engine does with it, and whether it came on several lines', () => {
  const put = (maxAges: string[]): PreflightVerdict =>
    preflight(
      { method: 'PUT' },
      [['Access-Control-Allow-Methods', 'PUT'], ...maxAges.map((value): [string, string] => ['Access-Control-Max-Age', value])],
      ALL,
    );
  const invalid = (shown: string): Problem =>
    problem(
      'max-age-invalid',
      `Access-Control-Max-Age is ${shown}, which is not one non-negative number of seconds: Chromium caches it for its default 5 seconds, Firefox does not cache the preflight, WebKit caches it for its default 5 seconds`,
      'send a single non-negative number of seconds (0 to turn the cache off), at most 600 to be honoured everywhere',
      'warning',
    );
  assert.deepEqual(put(['600s']).problems, [invalid("'600s'")]);
  const twice = put(['600', '600']);
  assert.deepEqual(twice.problems, [invalid("'600, 600' (on several lines)")]);
  assert.deepEqual(twice.cacheSeconds, { chromium: 5, firefox: 0, webkit: 5 });
});

test('preflightMaxAge (the standard): one to twelve digits, every digit 0 to 9; empty is no number', () => {
  const maxAge = (value: string): number | undefined => preflightMaxAge(head(204, [['Access-Control-Max-Age', value]]));
  assert.equal(maxAge('0'), 0);
  assert.equal(maxAge('9'), 9);
  assert.equal(maxAge('90'), 90);
  assert.equal(maxAge('1234567890'), 1234567890);
  assert.equal(maxAge('999999999999'), 999999999999);
  assert.equal(maxAge(''), undefined);
  assert.equal(maxAge('9/'), undefined);
  assert.equal(maxAge('9:'), undefined);
  assert.equal(preflightMaxAge(head(204, [])), undefined);
});
