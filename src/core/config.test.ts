import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CorsConfigError, CorsPolicy, type CorsOptions, type CorsWarning } from '../index.js';

function problems(options: unknown): { code: string; option: string; fix: string }[] {
  try {
    new CorsPolicy(options as CorsOptions);
  } catch (error) {
    assert.ok(error instanceof CorsConfigError, String(error));
    return error.problems.map((p) => ({ code: p.code, option: p.option, fix: p.fix }));
  }
  assert.fail(`expected a CorsConfigError for ${JSON.stringify(options)}`);
}

function codes(options: unknown): string[] {
  return problems(options).map((p) => p.code);
}

function warnings(options: CorsOptions): string[] {
  const seen: CorsWarning[] = [];
  new CorsPolicy({ ...options, onWarning: (w) => seen.push(w) });
  return seen.map((w) => w.code);
}

test('no origin allowed at all is refused', () => {
  assert.deepEqual(codes({}), ['no-origins']);
  assert.deepEqual(codes({ allowOrigins: [] }), ['no-origins']);
  assert.deepEqual(codes(undefined), ['no-origins']);
});

test("'*' with credentials is refused, with the fix", () => {
  const [p] = problems({ allowOrigins: ['*'], allowCredentials: true });
  assert.equal(p?.code, 'wildcard-origin-with-credentials');
  assert.match(p?.fix ?? '', /list the origins/);
});

test("the guide's first example fails with every problem listed at once", () => {
  let error: CorsConfigError | undefined;
  try {
    new CorsPolicy({ allowOrigins: ['*'], allowCredentials: true, allowMethods: ['*'], allowHeaders: ['*'], exposeHeaders: ['*'] });
  } catch (e) {
    error = e as CorsConfigError;
  }
  assert.ok(error);
  assert.deepEqual(
    error.problems.map((p) => p.code),
    ['wildcard-origin-with-credentials', 'wildcard-expose-with-credentials'],
  );
  assert.match(error.message, /2 problems/);
  assert.match(error.message, /1\. allowOrigins: '\*'/);
  assert.match(error.message, /Fix: /);
});

test('origins that can never match are refused with the fix', () => {
  const found = problems({
    allowOrigins: [
      'https://example.com/',
      'HTTPS://EXAMPLE.ORG',
      'https://example.net:443',
      'https://u@example.io',
      'https://bücher.example',
      'example.com',
    ],
  });
  assert.deepEqual(
    found.map((p) => p.code),
    Array(6).fill('invalid-origin'),
  );
  assert.deepEqual(
    found.map((p) => p.fix),
    [
      "write 'https://example.com'",
      "write 'https://example.org'",
      "write 'https://example.net'",
      "write 'https://example.io'",
      "write 'https://xn--bcher-kva.example'",
      "write 'https://example.com' (or 'http://example.com' for a plain-HTTP site)",
    ],
  );
});

test('wildcards other than *. and :* are refused', () => {
  assert.deepEqual(codes({ allowOrigins: ['https://*example.com', 'h*', 'https://a.*.com'] }), [
    'invalid-origin-wildcard',
    'invalid-origin-wildcard',
    'invalid-origin-wildcard',
  ]);
  assert.deepEqual(codes({ allowOrigins: ['*', 'https://example.com'] }), ['wildcard-origin-mixed']);
});

test('regex problems: invalid syntax, g or y flags, wrong type', () => {
  assert.deepEqual(codes({ allowOriginRegex: '(' }), ['invalid-origin-regex']);
  assert.deepEqual(codes({ allowOriginRegex: /https:\/\/a\.com/g }), ['stateful-origin-regex']);
  assert.deepEqual(codes({ allowOriginRegex: 42 }), ['invalid-type']);
});

test('methods: invalid tokens and forbidden methods', () => {
  assert.deepEqual(codes({ allowOrigins: ['https://a.com'], allowMethods: ['GET', 'P UT', 'CONNECT', 'trace', 'TRACK'] }), [
    'invalid-method',
    'forbidden-method',
    'forbidden-method',
    'forbidden-method',
  ]);
});

test('headers: invalid, forbidden, and CORS response headers given as request headers', () => {
  assert.deepEqual(
    codes({
      allowOrigins: ['https://a.com'],
      allowHeaders: ['X Bad', 'Cookie', 'Sec-Fetch-Mode', 'Proxy-Authorization', 'Access-Control-Allow-Origin', 'X-Ok'],
    }),
    ['invalid-header', 'forbidden-header', 'forbidden-header', 'forbidden-header', 'response-header-as-request-header'],
  );
});

test('exposed headers: invalid, forbidden, request-only, and * with credentials', () => {
  assert.deepEqual(
    codes({
      allowOrigins: ['https://a.com'],
      allowCredentials: true,
      exposeHeaders: ['Set-Cookie', 'Origin', 'bad header', '*'],
    }),
    ['forbidden-exposed-header', 'request-header-as-exposed-header', 'invalid-exposed-header', 'wildcard-expose-with-credentials'],
  );
});

test('maxAge must be a whole number of seconds from 0 to 86400; preflightStatus must be 2xx', () => {
  for (const maxAge of [-1, 86401, 1.5, Number.NaN, '600']) {
    assert.deepEqual(codes({ allowOrigins: ['https://a.com'], maxAge }), ['invalid-max-age'], String(maxAge));
  }
  assert.deepEqual(codes({ allowOrigins: ['https://a.com'], preflightStatus: 302 }), ['invalid-preflight-status']);
  new CorsPolicy({ allowOrigins: ['https://a.com'], maxAge: 0, preflightStatus: 200 });
  new CorsPolicy({ allowOrigins: ['https://a.com'], maxAge: 86400 });
});

test('unknown options are refused, with the corsguard name for Starlette and cors option names', () => {
  const found = problems({ allow_origins: ['https://a.com'], credentials: true, allowOrigins: ['https://a.com'] });
  assert.deepEqual(
    found.map((p) => [p.code, p.option, p.fix]),
    [
      ['unknown-option', 'allow_origins', 'use allowOrigins'],
      ['unknown-option', 'credentials', 'use allowCredentials'],
    ],
  );
});

test('passing a function where the options belong is a clear error', () => {
  assert.deepEqual(
    codes(() => undefined),
    ['invalid-type'],
  );
});

test('a lower-case method warns once at construction, and strict turns it into an error', () => {
  assert.deepEqual(warnings({ allowOrigins: ['https://a.com'], allowMethods: ['patch'] }), ['lower-case-method']);
  assert.deepEqual(codes({ allowOrigins: ['https://a.com'], allowMethods: ['patch'], strict: true }), ['lower-case-method']);
});

test('the default warning goes to console.warn exactly once', (t) => {
  const warn = t.mock.method(console, 'warn', () => undefined);
  new CorsPolicy({ allowOrigins: ['https://a.com'], allowMethods: ['patch'] });
  assert.equal(warn.mock.callCount(), 1);
  assert.match(String(warn.mock.calls[0]?.arguments[0]), /corsguard warning: .*'patch'/);
});

test('subdomain patterns on any Public Suffix List entry (ICANN and private) are refused unless accepted by name', () => {
  const shared = [
    'https://*.com.ar',
    'https://*.co.il',
    'https://*.r2.dev',
    'https://*.run.app',
    'https://*.ngrok.app',
    'https://*.myshopify.com',
    'https://*.readthedocs.io',
    'https://*.cloudfunctions.net',
    'https://*.s3.amazonaws.com',
    'https://*.s3.us-east-1.amazonaws.com',
    'https://*.s3-website.eu-west-3.amazonaws.com',
    'https://*.amazonaws.com',
  ];
  for (const origin of shared) {
    assert.deepEqual(codes({ allowOrigins: [origin] }), ['public-suffix-wildcard'], origin);
    assert.deepEqual(warnings({ allowOrigins: [origin], dangerouslyAllowPublicSuffixWildcards: true }), [], origin);
  }
  // Hosts one party owns, and exceptions to wildcard rules (`!city.kobe.jp` under `*.kobe.jp`), are accepted.
  for (const origin of ['https://*.example.com', 'https://*.example.co.uk', 'https://*.city.kobe.jp', 'https://*.app.example.run.app']) {
    assert.deepEqual(warnings({ allowOrigins: [origin] }), [], origin);
  }
});

test('the public-suffix refusal names what strangers can own', () => {
  const [amazon, r2] = reasons({ allowOrigins: ['https://*.amazonaws.com', 'https://*.r2.dev'] });
  assert.match(amazon ?? '', /amazonaws\.com, which hands out public suffixes .*\.amazonaws\.com, on the Public Suffix List/);
  assert.match(r2 ?? '', /r2\.dev, a public suffix where anyone can register one/);
});

test('the generated public suffix module agrees with the pinned data/public_suffix_list.dat', () => {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const run = spawnSync(process.execPath, ['scripts/generate-public-suffixes.mjs', '--check'], { cwd: root, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
});

function reasons(options: unknown): string[] {
  try {
    new CorsPolicy(options as CorsOptions);
  } catch (error) {
    assert.ok(error instanceof CorsConfigError, String(error));
    return error.problems.map((p) => `${p.value} ${p.reason}`);
  }
  assert.fail('expected a CorsConfigError');
}

test('originPredicateTimeout beyond what setTimeout can wait is refused', () => {
  assert.deepEqual(codes({ allowOrigins: ['https://a.com'], originPredicateTimeout: 3e9 }), ['invalid-timeout']);
  assert.match(reasons({ allowOrigins: ['https://a.com'], originPredicateTimeout: 2 ** 31 })[0] ?? '', /2147483647 ms/);
  new CorsPolicy({ allowOrigins: ['https://a.com'], originPredicateTimeout: 2 ** 31 - 1 });
});

test('a comma-separated string (an environment variable, the cors format) gets a fix that splits it', () => {
  const [origins] = problems({ allowOrigins: 'https://a.com,https://b.com' });
  assert.deepEqual(
    [origins?.code, origins?.fix.split(' (')[0]],
    ['comma-separated-list', "write a list, as in allowOrigins: ['https://a.com', 'https://b.com']"],
  );
  const [methods] = problems({ allowOrigins: ['https://a.com'], allowMethods: 'GET,POST,PATCH' });
  assert.deepEqual(
    [methods?.code, methods?.fix.split(' (')[0]],
    ['comma-separated-list', "write a list, as in allowMethods: ['GET', 'POST', 'PATCH']"],
  );
  assert.deepEqual(codes({ allowOrigins: ['https://a.com'], allowHeaders: ['X-A, X-B'] }), ['comma-separated-list']);
});

test('a RegExp in allowOrigins points to allowOriginRegex, prints as itself, and adds no "allows no origin"', () => {
  const found = problems({ allowOrigins: [/\.example\.com$/] });
  assert.deepEqual(
    found.map((p) => [p.code, p.fix]),
    [['regex-in-allow-origins', 'move it to allowOriginRegex: /\\.example\\.com$/ (one expression; join several with |)']],
  );
  assert.deepEqual(reasons({ allowOrigins: [/a/, 'https://a.com', 5] }), [
    '/a/ is a RegExp, and allowOrigins takes strings',
    '5 is not a string',
  ]);
  assert.deepEqual(codes({ allowOrigins: /\.example\.com$/ }), ['invalid-type']);
  assert.match(problems({ allowOrigins: /\.example\.com$/ })[0]?.fix ?? '', /allowOriginRegex/);
});

test('an unknown option is the only problem reported, not also "allows no origin"', () => {
  assert.deepEqual(codes({ origin: 'https://a.com' }), ['unknown-option']);
  assert.deepEqual(codes({ allow_origins: ['https://a.com'], allow_credentials: true }), ['unknown-option', 'unknown-option']);
});

test('an unset variable says so instead of printing the string undefined', () => {
  assert.deepEqual(reasons({ allowOrigins: [undefined, 'https://a.com'] }), [
    'undefined is not set (most often an environment variable that is missing)',
  ]);
  assert.deepEqual(codes({ allowOrigins: 'undefined' }), ['unset-value']);
  assert.deepEqual(codes({ allowOrigins: ['https://a.com'], allowHeaders: [undefined] }), ['unset-value']);
  assert.deepEqual(reasons({ allowOrigins: undefined }), [
    'undefined is not set (most often an environment variable that is missing), so every cross-origin request would be blocked',
  ]);
});

test('the trailing-dot error does not claim browsers drop the dot: they keep it', () => {
  assert.equal(new URL('http://example.com.:3999').origin, 'http://example.com.:3999');
  const [reason] = reasons({ allowOrigins: ['https://example.com.'] });
  assert.doesNotMatch(reason ?? '', /without it/);
  assert.match(reason ?? '', /keeps the dot.*corsguard denies such origins/);
});

test('an allowOriginRegex source that escapes the full-match wrapper is refused, not turned into allow-all', () => {
  assert.deepEqual(codes({ allowOriginRegex: 'https://app\\.example\\.com)|(.*' }), ['invalid-origin-regex']);
});

test('unescaped dots between host labels in allowOriginRegex are refused with the escaped form', () => {
  const [plain] = problems({ allowOriginRegex: 'https://app.example.com' });
  assert.equal(plain?.code, 'unescaped-dot-in-origin-regex');
  assert.match(plain?.fix ?? '', /"https:\/\/app\\\\\.example\\\\\.com" as a string, \/https:\\\/\\\/app\\\.example\\\.com\/ as a RegExp/);
  const [wild] = problems({ allowOriginRegex: 'https://.*\\.example.com' });
  assert.equal(wild?.code, 'unescaped-dot-in-origin-regex');
  assert.match(wild?.fix ?? '', /"https:\/\/\.\*\\\\\.example\\\\\.com"/);
});

test('an allowOriginRegex that can never match a whole origin (the cors suffix idiom, no scheme) is refused', () => {
  const [suffix] = problems({ allowOriginRegex: /\.example\.com$/ });
  assert.deepEqual(
    [suffix?.code, suffix?.fix],
    ['origin-regex-never-matches', 'write the whole origin, as in "https://[a-z0-9-]+\\\\.example\\\\.com"'],
  );
  assert.deepEqual(codes({ allowOriginRegex: 'example\\.com' }), ['origin-regex-never-matches']);
  assert.deepEqual(codes({ allowOriginRegex: '(www\\.)?example\\.com' }), ['origin-regex-never-matches']);
});

test('an allowOriginRegex with ambiguous nested repetition (exponential backtracking) is refused with a fix', () => {
  const [slow] = problems({ allowOriginRegex: 'https://([a-z0-9]+-?)+\\.example\\.com' });
  assert.equal(slow?.code, 'slow-origin-regex');
  assert.match(slow?.fix ?? '', /\[a-z0-9\]\+\(-\[a-z0-9\]\+\)\* instead of \(\[a-z0-9\]\+-\?\)\+/);
  assert.deepEqual(codes({ allowOriginRegex: /^https:\/\/(\w+|\d+)*\.example\.com$/ }), ['slow-origin-regex']);
});

test('sound allowOriginRegex sources pass without a word', () => {
  for (const allowOriginRegex of [
    'https://[a-z0-9-]+\\.example\\.org',
    /^https:\/\/[a-z0-9-]+\.example\.com$/,
    'https://([a-z0-9-]+\\.)*example\\.com',
    'https://[a-z0-9]+(-[a-z0-9]+)*\\.example\\.com',
    'https?://(localhost|127\\.0\\.0\\.1)(:\\d+)?',
    'null|https://x\\.test',
  ]) {
    const seen: CorsWarning[] = [];
    new CorsPolicy({ allowOriginRegex, dangerouslyAllowNullOrigin: true, onWarning: (w) => seen.push(w) });
    assert.deepEqual(seen, [], String(allowOriginRegex));
  }
});
