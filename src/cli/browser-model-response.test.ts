/**
 * What the browser model says about a response's CORS headers, word for word: `corsguard check`
 * prints these problems, and the words are what tells a user which of several near misses
 * (a trailing slash, the case, the scheme, the port) their Access-Control-Allow-Origin is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  corsCheck,
  evaluatePreflight,
  joinHeaderLines,
  planRequest,
  readableHeaders,
  type Engine,
  type ResponseHead,
} from './browser-model.js';
import type { Problem } from './problems.js';

const ORIGIN = 'https://app.example.com';

/** A response head as the CLI's HTTP client builds it from the lines received. */
function head(status: number, lines: [string, string][]): ResponseHead {
  return { status, ...joinHeaderLines(lines, false), lines };
}

function error(id: Problem['id'], message: string, fix: string): Problem {
  return { id, severity: 'error', message, fix };
}

/** The problems of an actual response whose only CORS header is this Access-Control-Allow-Origin. */
function allowOrigin(value: string, origin = ORIGIN): Problem[] {
  return corsCheck(head(200, [['Access-Control-Allow-Origin', value]]), origin, false, 'The response');
}

const mismatchFix = (origin: string): string =>
  `if ${origin} should be allowed, add it to the server's allowed origins; send Access-Control-Allow-Origin: ${origin} exactly (byte for byte), or configure the allowed origin as '${origin}'`;

test('Access-Control-Allow-Origin with a trailing slash is named as such; another origin ending in a slash, or an empty value, is not', () => {
  assert.deepEqual(allowOrigin(`${ORIGIN}/`), [
    error(
      'allow-origin-trailing-slash',
      "The response Access-Control-Allow-Origin is 'https://app.example.com/', with a trailing slash; the browser compares it byte for byte with 'https://app.example.com'",
      "remove the trailing slash from the configured origin: 'https://app.example.com'",
    ),
  ]);
  assert.deepEqual(allowOrigin('https://evil.example/'), [
    error(
      'allow-origin-mismatch',
      "The response Access-Control-Allow-Origin is 'https://evil.example/', which is not the page's origin 'https://app.example.com'",
      mismatchFix(ORIGIN),
    ),
  ]);
  // An empty value is no origin at all.
  assert.deepEqual(allowOrigin(''), [
    error(
      'allow-origin-mismatch',
      "The response Access-Control-Allow-Origin is '', which is not the page's origin 'https://app.example.com'",
      mismatchFix(ORIGIN),
    ),
  ]);
  // One character more that is not a slash (here a trailing dot, another host to the browser).
  assert.deepEqual(allowOrigin(`${ORIGIN}.`), [
    error(
      'allow-origin-mismatch',
      "The response Access-Control-Allow-Origin is 'https://app.example.com.', which is not the page's origin 'https://app.example.com'",
      mismatchFix(ORIGIN),
    ),
  ]);
});

test('Access-Control-Allow-Origin that differs only in case', () => {
  assert.deepEqual(allowOrigin('HTTPS://APP.example.com'), [
    error(
      'allow-origin-case',
      "The response Access-Control-Allow-Origin is 'HTTPS://APP.example.com', which differs from 'https://app.example.com' only in case; the comparison is case-sensitive",
      "write the origin in lower case, as browsers send it: 'https://app.example.com'",
    ),
  ]);
});

test("Access-Control-Allow-Origin with the other scheme: the same host and port, the port written or each scheme's default", () => {
  const schemeFix = (origin: string): string => `allow '${origin}' (http and https origins are different origins)`;
  assert.deepEqual(allowOrigin('http://app.example.com'), [
    error(
      'allow-origin-scheme',
      "The response Access-Control-Allow-Origin is 'http://app.example.com', but the page's origin is 'https://app.example.com': the scheme differs",
      schemeFix(ORIGIN),
    ),
  ]);
  // The page's port is its scheme's default (https 443, http 80); written out in the other
  // scheme it is the same port, so only the scheme differs.
  assert.deepEqual(allowOrigin('http://app.example.com:443'), [
    error(
      'allow-origin-scheme',
      "The response Access-Control-Allow-Origin is 'http://app.example.com:443', but the page's origin is 'https://app.example.com': the scheme differs",
      schemeFix(ORIGIN),
    ),
  ]);
  assert.deepEqual(allowOrigin('https://app.example.com:80', 'http://app.example.com'), [
    error(
      'allow-origin-scheme',
      "The response Access-Control-Allow-Origin is 'https://app.example.com:80', but the page's origin is 'http://app.example.com': the scheme differs",
      schemeFix('http://app.example.com'),
    ),
  ]);
  // Another scheme and another port: not the same origin in two ways, said plainly.
  assert.deepEqual(allowOrigin('http://app.example.com:8080'), [
    error(
      'allow-origin-mismatch',
      "The response Access-Control-Allow-Origin is 'http://app.example.com:8080', which is not the page's origin 'https://app.example.com'",
      mismatchFix(ORIGIN),
    ),
  ]);
  // A page of a scheme with no default port (an extension page) is not on port 80.
  assert.deepEqual(allowOrigin('http://abc:80', 'chrome-extension://abc'), [
    error(
      'allow-origin-mismatch',
      "The response Access-Control-Allow-Origin is 'http://abc:80', which is not the page's origin 'chrome-extension://abc'",
      mismatchFix('chrome-extension://abc'),
    ),
  ]);
});

test('Access-Control-Allow-Origin with another port, or the default port written out (browsers omit it)', () => {
  const portFix = "allow 'https://app.example.com' exactly, port included (and a default port left out)";
  assert.deepEqual(allowOrigin('https://app.example.com:8443'), [
    error(
      'allow-origin-port',
      "The response Access-Control-Allow-Origin is 'https://app.example.com:8443', but the page's origin is 'https://app.example.com': the port differs",
      portFix,
    ),
  ]);
  assert.deepEqual(allowOrigin('https://app.example.com:443'), [
    error(
      'allow-origin-port',
      "The response Access-Control-Allow-Origin is 'https://app.example.com:443', but the page's origin is 'https://app.example.com': the port differs in how it is written (browsers omit the default port)",
      portFix,
    ),
  ]);
  assert.deepEqual(allowOrigin('http://app.example.com:80', 'http://app.example.com'), [
    error(
      'allow-origin-port',
      "The response Access-Control-Allow-Origin is 'http://app.example.com:80', but the page's origin is 'http://app.example.com': the port differs in how it is written (browsers omit the default port)",
      "allow 'http://app.example.com' exactly, port included (and a default port left out)",
    ),
  ]);
});

test("an opaque origin ('null') against a URL origin, and the other way round, is a plain mismatch", () => {
  assert.deepEqual(allowOrigin(ORIGIN, 'null'), [
    error(
      'allow-origin-mismatch',
      "The response Access-Control-Allow-Origin is 'https://app.example.com', which is not the page's origin 'null'",
      mismatchFix('null'),
    ),
  ]);
  assert.deepEqual(allowOrigin('null'), [
    error(
      'allow-origin-mismatch',
      "The response Access-Control-Allow-Origin is 'null', which is not the page's origin 'https://app.example.com'",
      mismatchFix(ORIGIN),
    ),
  ]);
});

test('an origin whose host has a comma matches itself: only a value that is not the origin reads as a joined list', () => {
  // The URL standard allows ',' in a host, so 'https://a,b.example' is one origin.
  assert.deepEqual(allowOrigin('https://a,b.example', 'https://a,b.example'), []);
  assert.deepEqual(
    allowOrigin(`${ORIGIN},https://b.example`).map((p) => p.id),
    ['allow-origin-multiple'],
  );
});

test("with credentials: '*' refused, Access-Control-Allow-Credentials missing or not exactly 'true'; two Allow-Origin lines", () => {
  const credentialed = (lines: [string, string][]): Problem[] => corsCheck(head(200, lines), ORIGIN, true, 'The response');
  const allowed: [string, string] = ['Access-Control-Allow-Origin', ORIGIN];
  assert.deepEqual(credentialed([['Access-Control-Allow-Origin', '*']]), [
    error(
      'allow-origin-wildcard-credentials',
      'The response has Access-Control-Allow-Origin: *, which a browser refuses for a request with credentials',
      "echo the request's origin (https://app.example.com) instead of '*' when credentials are allowed, and add Vary: Origin",
    ),
  ]);
  assert.deepEqual(credentialed([allowed]), [
    error(
      'allow-credentials-missing',
      'The response has no Access-Control-Allow-Credentials: true, which a request with credentials needs',
      "enable credentials in the server's CORS configuration (allowCredentials: true) so it sends Access-Control-Allow-Credentials: true",
    ),
  ]);
  assert.deepEqual(credentialed([allowed, ['Access-Control-Allow-Credentials', 'True']]), [
    error(
      'allow-credentials-not-true',
      "The response has Access-Control-Allow-Credentials: 'True', and only the exact lower-case value 'true' (sent once) counts",
      'send Access-Control-Allow-Credentials: true, once, in lower case',
    ),
  ]);
  assert.deepEqual(credentialed([allowed, ['Access-Control-Allow-Credentials', 'true']]), []);
  assert.deepEqual(corsCheck(head(200, [allowed, allowed]), ORIGIN, false, 'The response'), [
    error(
      'allow-origin-multiple',
      "The response has several Access-Control-Allow-Origin values ('https://app.example.com, https://app.example.com'); a browser reads them as one joined value, which never matches",
      'send the header from one place only: two CORS layers are stacked (for example a middleware and the framework, or a proxy and the app); remove one',
    ),
  ]);
});

test('a missing Access-Control-Allow-Origin, and one whose name has white space before the colon', () => {
  const missing = error(
    'allow-origin-missing',
    'The response has no Access-Control-Allow-Origin header, so the browser refuses to let https://app.example.com read it',
    "allow the origin https://app.example.com in the server's CORS configuration (and make sure the CORS layer answers this route and method)",
  );
  assert.deepEqual(corsCheck(head(200, []), ORIGIN, false, 'The response'), [missing]);
  // Another header's malformed line is not taken for Access-Control-Allow-Origin.
  assert.deepEqual(corsCheck(head(200, [['X-Request-Id ', '1']]), ORIGIN, false, 'The response'), [missing]);
  assert.deepEqual(corsCheck(head(200, [['X-Request-Id ', '1']]), ORIGIN, false, 'The response', 'firefox'), [missing]);

  const spaced = head(200, [['Access-Control-Allow-Origin ', '*']]);
  const fix =
    "write the header name without white space before the colon ('Access-Control-Allow-Origin: ...'); a proxy or hand-written response usually adds it";
  const ignoredBy = (who: string): Problem =>
    error(
      'allow-origin-missing',
      `The response sends 'Access-Control-Allow-Origin :' with white space before the colon, which is not a valid header name: ${who} the line (only Chromium reads it), so https://app.example.com may not read the response`,
      fix,
    );
  // Without an engine (the standard, or several engines at once) both engines that ignore it are named.
  assert.deepEqual(corsCheck(spaced, ORIGIN, false, 'The response'), [ignoredBy('Firefox and WebKit ignore')]);
  assert.deepEqual(corsCheck(spaced, ORIGIN, false, 'The response', 'webkit'), [ignoredBy('WebKit ignores')]);
  assert.deepEqual(corsCheck(spaced, ORIGIN, false, 'The response', 'chromium'), []);
});

test('a preflight judged for several engines reads a malformed line as the standard does, not as the first engine', () => {
  const page = { origin: ORIGIN, method: 'PUT', headers: [], credentials: false };
  const preflight = head(204, [
    ['Access-Control-Allow-Origin ', '*'],
    ['Access-Control-Allow-Methods', 'PUT'],
  ]);
  const verdict = (engines: Engine[]) => evaluatePreflight(planRequest(page), page, preflight, engines);
  assert.deepEqual(verdict(['chromium']).problems, []);
  assert.deepEqual(
    verdict(['chromium', 'firefox']).problems.map((p) => [p.id, p.message]),
    [
      [
        'allow-origin-missing',
        "The preflight response sends 'Access-Control-Allow-Origin :' with white space before the colon, which is not a valid header name: Firefox and WebKit ignore the line (only Chromium reads it), so https://app.example.com may not read the response",
      ],
    ],
  );
});

test('readable headers: why a header is hidden names the Access-Control-Expose-Headers value, or says it is absent', () => {
  const read = (lines: [string, string][], credentials: boolean, wanted: string[]) =>
    readableHeaders(head(200, lines), credentials, wanted);
  const notExposed = (name: string, why: string): Problem =>
    error(
      'header-not-exposed',
      `${name} is not in Access-Control-Expose-Headers${why}, so the page cannot read it`,
      `add ${name} to the server's exposed headers (exposeHeaders)`,
    );
  const absent = read([['X-Total', '9']], false, ['X-Total']);
  assert.deepEqual(absent.access, [{ name: 'X-Total', readable: false, present: true }]);
  assert.deepEqual(absent.problems, [notExposed('X-Total', ' (absent)')]);
  const other = read(
    [
      ['X-Total', '9'],
      ['Access-Control-Expose-Headers', 'X-Page, X-Next'],
    ],
    false,
    ['X-Total', 'x-page', 'Content-Type'],
  );
  assert.deepEqual(other.access, [
    { name: 'X-Total', readable: false, present: true },
    { name: 'x-page', readable: true, present: false },
    { name: 'Content-Type', readable: true, present: false },
  ]);
  assert.deepEqual(other.problems, [notExposed('X-Total', " ('X-Page, X-Next')")]);
  // A list that does not parse exposes nothing (Fetch: extracting the header list values fails).
  const malformed = read(
    [
      ['X-Total', '9'],
      ['Access-Control-Expose-Headers', 'X-Total X-Page'],
    ],
    false,
    ['X-Total'],
  );
  assert.deepEqual(malformed.access, [{ name: 'X-Total', readable: false, present: true }]);
  assert.deepEqual(
    malformed.problems.map((p) => p.id),
    ['header-not-exposed'],
  );
  const wildcard = read(
    [
      ['X-Total', '9'],
      ['Access-Control-Expose-Headers', '*'],
    ],
    true,
    ['X-Total', 'Set-Cookie'],
  );
  assert.deepEqual(wildcard.access, [
    { name: 'X-Total', readable: false, present: true },
    { name: 'Set-Cookie', readable: false, present: false },
  ]);
  assert.deepEqual(wildcard.problems, [
    error(
      'expose-wildcard-credentials',
      "Access-Control-Expose-Headers is '*', which means the literal name '*' for a request with credentials, so X-Total is hidden from the page",
      'list X-Total explicitly in the exposed headers',
    ),
    error(
      'header-never-exposed',
      'Set-Cookie is never readable by a page, whatever the server sends',
      'read the cookie on the server; the browser stores it when credentials are included',
    ),
  ]);
});
