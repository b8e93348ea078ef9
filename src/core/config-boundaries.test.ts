/**
 * The edges of what the options accept and what the policy writes from them: the 2xx bounds of
 * preflightStatus, the longest header name, the sorted lists a preflight names, each refusal's code,
 * what the default onError prints, hooks that throw, CorsConfigError's instanceof and name, and the
 * environment variables' own refusals.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { CorsConfigError, CorsPolicy, corsOptionsFromEnv, type CorsOptions, type PreflightAnswer } from '../index.js';
import { mapHeaderWriter } from '../../test/support/map-header-writer.js';
import { corsRequest, drive } from '../../test/support/drive-policy.js';

const APP = 'https://app.example';
const quiet = { onWarning: () => undefined, onError: () => undefined };

function preflight(options: CorsOptions, method: string, requestHeaders?: string): { status: number; headers: Record<string, string> } {
  const policy = new CorsPolicy({ ...quiet, ...options });
  const headers = new Map<string, string>();
  const answer = drive(policy, headers, mapHeaderWriter, 'OPTIONS', APP, method, requestHeaders) as PreflightAnswer;
  return { status: answer.status, headers: Object.fromEntries(headers) };
}

function problemsOf(options: unknown): [option: string, code: string][] {
  try {
    new CorsPolicy({ ...quiet, ...(options as CorsOptions) });
  } catch (error) {
    assert.ok(error instanceof CorsConfigError);
    return error.problems.map((p) => [p.option, p.code]);
  }
  return [];
}

/** The problems an `allowOriginRegex` gets, as `code: reason`. */
function regexReasons(allowOriginRegex: string | RegExp, allowCredentials = false): string[] {
  try {
    new CorsPolicy({ ...quiet, allowOriginRegex, allowCredentials });
  } catch (error) {
    assert.ok(error instanceof CorsConfigError);
    return error.problems.map((p) => `${p.code}: ${p.reason}`);
  }
  return [];
}

/** The reason a probe origin under a domain anyone can register gets, with its code. */
const publicSuffixReason = (origin: string): string =>
  `public-suffix-wildcard: matches ${origin}, a host under a public suffix (Public Suffix List) where anyone can register one`;

/** The codes of the problems an `allowOriginRegex` gets. */
const regexCodes = (allowOriginRegex: string | RegExp): string[] => regexReasons(allowOriginRegex).map((r) => r.slice(0, r.indexOf(':')));

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof CorsConfigError);
    return error.message;
  }
  assert.fail('no CorsConfigError was thrown');
}

test('preflightStatus: 200 and 299 answer preflights with that status; 199, 300 and the text 204 are refused', () => {
  assert.equal(preflight({ allowOrigins: [APP], preflightStatus: 200 }, 'GET').status, 200);
  assert.equal(preflight({ allowOrigins: [APP], preflightStatus: 299 }, 'GET').status, 299);
  for (const status of [199, 300, 100]) {
    assert.deepEqual(
      problemsOf({ allowOrigins: [APP], preflightStatus: status }),
      [['preflightStatus', 'invalid-preflight-status']],
      String(status),
    );
  }
});

test('a header name of 256 characters is allowed and exposed; one of 257 is refused', () => {
  const longest = `x${'a'.repeat(255)}`;
  assert.equal(
    preflight({ allowOrigins: [APP], allowHeaders: [longest] }, 'PUT', longest).headers['access-control-allow-headers'],
    longest,
  );
  const exposing = new CorsPolicy({ ...quiet, allowOrigins: [APP], exposeHeaders: [longest] });
  const headers = new Map<string, string>();
  drive(exposing, headers, mapHeaderWriter, 'GET', APP, undefined, undefined);
  assert.equal(headers.get('access-control-expose-headers'), longest);
  assert.deepEqual(problemsOf({ allowOrigins: [APP], allowHeaders: [`${longest}b`], exposeHeaders: [`${longest}b`] }), [
    ['allowHeaders', 'invalid-header'],
    ['exposeHeaders', 'invalid-exposed-header'],
  ]);
});

test('a preflight names the allowed headers sorted; with none (or only safelisted methods) it names none', () => {
  const answer = preflight({ allowOrigins: [APP], allowMethods: ['PUT', 'DELETE'], allowHeaders: ['X-B', 'X-A'] }, 'PUT', 'x-a');
  assert.equal(answer.headers['access-control-allow-headers'], 'x-a, x-b');
  assert.equal(answer.headers['access-control-allow-methods'], 'DELETE, PUT');
  assert.deepEqual(preflight({ allowOrigins: [APP], allowMethods: ['GET', 'POST'], allowHeaders: [] }, 'GET').headers, {
    vary: 'Origin',
    'access-control-allow-origin': APP,
  });
});

test('exposed headers: each once, safelisted ones left out, and after * when * is listed', () => {
  const expose = (exposeHeaders: string[]): string | undefined => {
    const headers = new Map<string, string>();
    drive(new CorsPolicy({ ...quiet, allowOrigins: '*', exposeHeaders }), headers, mapHeaderWriter, 'GET', APP, undefined, undefined);
    return headers.get('access-control-expose-headers');
  };
  assert.equal(expose(['X-Total', 'x-total', 'Content-Type', 'X-Page']), 'X-Total, X-Page');
  assert.equal(expose(['*']), '*');
  assert.equal(expose(['*', 'X-Total']), '*, X-Total');
  assert.equal(expose(['Content-Type']), undefined);
});

test('upper-case methods and methods fetch() does not normalize bring no lower-case warning', () => {
  const warnings: string[] = [];
  new CorsPolicy({
    allowOrigins: [APP],
    allowMethods: ['PUT', 'PURGE', 'patch'],
    onWarning: (w) => warnings.push(`${w.option} ${w.code}`),
  });
  assert.deepEqual(warnings, ['allowMethods lower-case-method']);
});

test('each wrongly typed option is refused with the code invalid-type', () => {
  assert.deepEqual(
    problemsOf({
      allowOrigins: [APP],
      allowMethods: [/PUT/, 5],
      allowOriginPredicate: 'yes',
      onWarning: 1,
      onError: 1,
      onDecision: 1,
      strict: 'yes',
    }),
    [
      ['allowOriginPredicate', 'invalid-type'],
      ['allowMethods', 'invalid-type'],
      ['allowMethods', 'invalid-type'],
      ['onWarning', 'invalid-type'],
      ['onError', 'invalid-type'],
      ['onDecision', 'invalid-type'],
      ['strict', 'invalid-type'],
    ],
  );
});

test('a RegExp given as allowMethods is refused with a fix for allowMethods, not allowOriginRegex', () => {
  assert.equal(
    messageOf(() => new CorsPolicy({ allowOrigins: [APP], allowMethods: /PUT/ as unknown as string[] })),
    "corsguard: invalid CORS configuration (1 problem):\n  1. allowMethods: /PUT/ is not a string or a list of strings.\n     Fix: give allowMethods a list of strings, as in ['PUT'].",
  );
});

test('allow_credentials (the Starlette name) is refused with the corsguard name', () => {
  assert.equal(
    messageOf(() => new CorsPolicy({ allowOrigins: [APP], allow_credentials: true } as CorsOptions)),
    'corsguard: invalid CORS configuration (1 problem):\n  1. allow_credentials: true is not a corsguard option.\n     Fix: use allowCredentials.',
  );
});

test('a value JSON cannot write (a BigInt) is shown as its text', () => {
  assert.equal(
    messageOf(() => new CorsPolicy({ allowOrigins: [APP], maxAge: 10n as unknown as number })),
    messageOf(() => new CorsPolicy({ allowOrigins: [APP], maxAge: '10' as unknown as number })).replace("'10'", '10'),
  );
});

function captureConsoleError(t: TestContext): unknown[][] {
  const calls: unknown[][] = [];
  t.mock.method(console, 'error', (...args: unknown[]) => {
    calls.push(args);
  });
  return calls;
}

test('the default onError prints where each error came from: the request, the origin, or a hook', (t) => {
  const calls = captureConsoleError(t);
  const boom = new Error('boom');
  const policy = new CorsPolicy({
    allowOrigins: [APP],
    allowOriginPredicate: () => {
      throw boom;
    },
    onDecision: () => {
      throw boom;
    },
    onWarning: () => undefined,
  });
  policy.reportError(boom, corsRequest('PUT', { origin: APP }, '/items'));
  policy.reportError(boom, corsRequest('PUT', { origin: APP }));
  assert.equal(policy.allowsOrigin('https://other.example'), false);
  drive(policy, new Map<string, string>(), mapHeaderWriter, 'GET', APP, undefined, undefined);
  assert.deepEqual(calls, [
    ['corsguard: handler error (PUT /items):', boom],
    ['corsguard: handler error (PUT):', boom],
    ['corsguard: origin-predicate error (origin https://other.example):', boom],
    ['corsguard: hook error (onError, onWarning or onDecision threw):', boom],
  ]);
});

test('an onError that throws: the error and the hook error both reach the console', (t) => {
  const calls = captureConsoleError(t);
  const boom = new Error('boom');
  const hookError = new Error('hook');
  const policy = new CorsPolicy({
    allowOrigins: [APP],
    onError: () => {
      throw hookError;
    },
  });
  policy.reportError(boom, corsRequest('PUT', { origin: APP }, '/items'));
  assert.deepEqual(calls, [
    ['corsguard: handler error (PUT /items):', boom],
    ['corsguard: hook error (onError, onWarning or onDecision threw):', hookError],
  ]);
});

test('an onWarning that throws on a runtime warning, and an onChange that throws, reach onError as hook errors', () => {
  const seen: unknown[] = [];
  const boom = new Error('boom');
  const policy = new CorsPolicy({
    allowOrigins: [APP],
    onWarning: () => {
      throw boom;
    },
    onError: (error, context) => seen.push([error, { ...context }]),
    reportOnly: {
      options: { allowOrigins: ['https://other.example'] },
      onChange: () => {
        throw boom;
      },
    },
  });
  const headers = new Map<string, string>([['access-control-allow-origin', '*']]);
  const request = corsRequest('GET', { origin: APP });
  const answer = policy.decide(request);
  assert.ok(!(answer instanceof Promise) && answer.kind === 'actual');
  policy.writeActual(headers, { ...mapHeaderWriter, get: (map, name) => map.get(name) }, request, answer);
  assert.deepEqual(seen, [
    [boom, { source: 'hook', origin: APP }],
    [boom, { source: 'hook' }],
  ]);
});

test('an error other than a refusal, thrown while reading the candidate or the defaults, is thrown as it is', () => {
  const boom = new Error('boom');
  const throwing = [APP];
  throwing[Symbol.iterator] = () => {
    throw boom;
  };
  assert.throws(
    () => new CorsPolicy({ ...quiet, allowOrigins: [APP], reportOnly: { options: { allowOrigins: throwing }, onChange: () => {} } }),
    boom,
  );
  assert.throws(() => corsOptionsFromEnv({}, { defaults: { allowOrigins: throwing } }), boom);
});

test('CorsConfigError: instanceof holds for any copy of corsguard, never for other values or subclasses it is not', () => {
  const error = messageOf(() => new CorsPolicy({ ...quiet, allowOrigins: [APP], maxAge: -1 }));
  assert.ok(error.startsWith('corsguard: invalid CORS configuration'));
  let thrown: unknown;
  try {
    new CorsPolicy({ ...quiet, allowOrigins: [APP], maxAge: -1 });
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown instanceof CorsConfigError);
  assert.equal((thrown as Error).name, 'CorsConfigError');
  assert.ok(String(thrown).startsWith('CorsConfigError: corsguard: invalid CORS configuration (1 problem):'));
  // What another copy of corsguard (the CommonJS build beside the ES module) throws carries the same mark.
  const fromOtherCopy = Object.defineProperty(new Error('x'), Symbol.for('corsguard.CorsConfigError'), { value: true });
  assert.ok(fromOtherCopy instanceof CorsConfigError);
  for (const value of [null, undefined, 'x', 5, {}, new Error('x')]) assert.equal(value instanceof CorsConfigError, false, String(value));
  class Narrower extends CorsConfigError {}
  assert.equal(thrown instanceof Narrower, false);
  assert.equal(new Narrower([]) instanceof Narrower, true);
});

test('environment: the variables refused on their own, each with its message', () => {
  assert.equal(
    messageOf(() =>
      corsOptionsFromEnv({ CORS_ALLOW_ORIGINS: APP, CORS_ALLOW_METHODS: 'PUT,,GET', CORS_ALLOW_CREDENTIALS: 'yes', CORS_MAX_AGE: 'x600' }),
    ),
    "corsguard: invalid CORS configuration (3 problems):\n  1. CORS_ALLOW_METHODS: 'PUT,,GET' has an empty entry.\n     Fix: write the entries separated by single commas, e.g. CORS_ALLOW_METHODS=a,b.\n  2. CORS_ALLOW_CREDENTIALS: 'yes' is neither true nor false.\n     Fix: set CORS_ALLOW_CREDENTIALS=true or CORS_ALLOW_CREDENTIALS=false.\n  3. CORS_MAX_AGE: 'x600' is not a whole number of seconds.\n     Fix: write seconds as digits, e.g. CORS_MAX_AGE=600.",
  );
  let thrown: unknown;
  try {
    corsOptionsFromEnv({ CORS_ALLOW_ORIGINS: APP, CORS_MAX_AGE: '6OO' });
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown instanceof CorsConfigError);
  assert.deepEqual(
    thrown.problems.map((p) => [p.option, p.code]),
    [['CORS_MAX_AGE', 'invalid-type']],
  );
});

test('environment: CORS_MAX_AGE is read around spaces; * among origins stays a list', () => {
  assert.equal(corsOptionsFromEnv({ CORS_ALLOW_ORIGINS: APP, CORS_MAX_AGE: ' 600 ' }).maxAge, 600);
  const mixed = (() => {
    try {
      return corsOptionsFromEnv({ CORS_ALLOW_ORIGINS: `*,${APP}` });
    } catch (error) {
      assert.ok(error instanceof CorsConfigError);
      return error.problems.map((p) => [p.option, p.code]);
    }
  })();
  assert.deepEqual(mixed, [['CORS_ALLOW_ORIGINS', 'wildcard-origin-mixed']]);
});

test('environment: a problem is named by its variable only when a variable (or the missing origins) caused it', () => {
  const named = (env: Record<string, string>, defaults?: Partial<CorsOptions>): [string, string][] => {
    try {
      corsOptionsFromEnv(env, defaults === undefined ? {} : { defaults });
    } catch (error) {
      assert.ok(error instanceof CorsConfigError);
      return error.problems.map((p) => [p.option, p.code]);
    }
    return [];
  };
  assert.deepEqual(named({}), [['CORS_ALLOW_ORIGINS', 'no-origins']]);
  assert.deepEqual(named({ CORS_ALLOW_ORIGINS: APP }, { allowMethods: 5 as unknown as string[] }), [['allowMethods', 'invalid-type']]);
  assert.deepEqual(named({}, { allowOrigins: 5 as unknown as string[] }), [['allowOrigins', 'invalid-type']]);
});

test('environment: a risk is accepted by its variable, and the fix names it', () => {
  assert.equal(
    messageOf(() => corsOptionsFromEnv({ CORS_ALLOW_ORIGINS: 'http://app.example', CORS_ALLOW_CREDENTIALS: 'true' })),
    "corsguard: invalid CORS configuration (1 problem):\n  1. CORS_ALLOW_ORIGINS: 'http://app.example' is plain http and allowCredentials is on: anyone on the network path can inject script into that origin and read credentialed responses (only https, localhost and loopback origins are potentially trustworthy).\n     Fix: serve the frontend over https; or, to take that risk knowingly, set CORS_DANGEROUSLY_ALLOW_INSECURE_ORIGINS_WITH_CREDENTIALS=true.",
  );
});

test('with no header allowed, a preflight refused for a header names none; * with two exposed headers lists both after it', () => {
  const refused = preflight({ allowOrigins: [APP] }, 'GET', 'x-a');
  assert.equal(refused.headers['access-control-allow-headers'], undefined);
  const exposed = new Map<string, string>();
  drive(
    new CorsPolicy({ ...quiet, allowOrigins: '*', exposeHeaders: ['*', 'X-A', 'X-B'] }),
    exposed,
    mapHeaderWriter,
    'GET',
    APP,
    undefined,
    undefined,
  );
  assert.equal(exposed.get('access-control-expose-headers'), '*, X-A, X-B');
});

test('near-miss option names: the first of two equally near options is suggested; a name 4 edits away gets none', () => {
  const fixOf = (key: string): string => {
    try {
      new CorsPolicy({ ...quiet, allowOrigins: [APP], [key]: 1 } as CorsOptions);
    } catch (error) {
      assert.ok(error instanceof CorsConfigError);
      return error.problems[0]!.fix;
    }
    assert.fail('accepted');
  };
  assert.equal(fixOf('allowMethders'), 'use allowMethods');
  assert.equal(fixOf('allowOriginRep'), 'use allowOrigins');
  assert.ok(fixOf('strictxxxx').startsWith('remove it; the options are allowOrigins,'), fixOf('strictxxxx'));
});

test('an allowCredentials that is not a boolean is one problem, and counts as false for the rest', () => {
  assert.deepEqual(problemsOf({ allowOrigins: '*', allowCredentials: 'yes', exposeHeaders: '*' }), [['allowCredentials', 'invalid-type']]);
});

test('origins: a repeated bad entry is one problem; a port wildcard on a bad host is an invalid origin', () => {
  assert.deepEqual(problemsOf({ allowOrigins: ['bad', 'bad'] }), [['allowOrigins', 'invalid-origin']]);
  assert.deepEqual(problemsOf({ allowOrigins: ['https://a*.com:*'] }), [['allowOrigins', 'invalid-origin']]);
});

test('plain http origins and patterns are accepted without credentials; a port wildcard on a public suffix is no subdomain wildcard', () => {
  assert.deepEqual(problemsOf({ allowOrigins: ['http://app.example', 'http://*.app.example', 'https://github.io:*'] }), []);
  assert.deepEqual(problemsOf({ allowOriginRegex: '^https?://app\\.example$' }), []);
});

test('allowOriginRegex with credentials: loopback and hosts without a dot are not refused; a match of anything is, with the probe named', () => {
  assert.deepEqual(problemsOf({ allowOriginRegex: '^https?://[A-Za-z ]+$', allowCredentials: true }), []);
  assert.deepEqual(problemsOf({ allowOriginRegex: '^http://localhost:3000$', allowCredentials: true }), []);
  assert.equal(
    messageOf(() => new CorsPolicy({ ...quiet, allowOriginRegex: '^https?://.*$', allowCredentials: true })),
    "corsguard: invalid CORS configuration (2 problems):\n  1. allowOriginRegex: '^https?://.*$' matches https://attacker.com, a host under a public suffix (Public Suffix List) where anyone can register one.\n     Fix: match only your own hosts, as in /^https:\\/\\/[a-z0-9-]+\\.example\\.com$/; or, to take that risk knowingly, set dangerouslyAllowPublicSuffixWildcards: true.\n  2. allowOriginRegex: '^https?://.*$' matches http://attacker.com, plain http, and allowCredentials is on: anyone on the network path can inject script into that origin and read credentialed responses (only https, localhost and loopback origins are potentially trustworthy).\n     Fix: match https origins only, as in /^https:\\/\\/app\\.example\\.com$/; or, to take that risk knowingly, set dangerouslyAllowInsecureOriginsWithCredentials: true.",
  );
});

test('originPredicateTimeout NaN and Infinity, and preflightStatus 200.5, are refused', () => {
  for (const timeout of [Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.deepEqual(problemsOf({ allowOrigins: [APP], originPredicateTimeout: timeout }), [['originPredicateTimeout', 'invalid-timeout']]);
  }
  assert.deepEqual(problemsOf({ allowOrigins: [APP], preflightStatus: 200.5 }), [['preflightStatus', 'invalid-preflight-status']]);
});

test('no origin: reported beside an unrelated problem; an empty list allows no origin, with the fix', () => {
  assert.deepEqual(problemsOf({ maxAge: -1 }), [
    ['allowOrigins', 'no-origins'],
    ['maxAge', 'invalid-max-age'],
  ]);
  assert.equal(
    messageOf(() => new CorsPolicy({ ...quiet, allowOrigins: [] })),
    "corsguard: invalid CORS configuration (1 problem):\n  1. allowOrigins: [] allows no origin at all, so every cross-origin request would be blocked.\n     Fix: list the origins of your frontends, as in allowOrigins: ['https://app.example.com'] (or '*' for a public API without credentials).",
  );
});

test('no origin is reported after an earlier problem of another option too', () => {
  assert.deepEqual(problemsOf({ allowCredentials: 'yes' }), [
    ['allowCredentials', 'invalid-type'],
    ['allowOrigins', 'no-origins'],
  ]);
});

test('allowOriginRegex: an IPv6 loopback with a port is loopback; github.io and plain-http hosts under com are probed', () => {
  assert.deepEqual(problemsOf({ allowOriginRegex: '^http://\\[::1\\]:8080$', allowCredentials: true }), []);
  assert.deepEqual(regexReasons('^https://[a-z]+\\.github\\.(io|dev)$'), [
    'public-suffix-wildcard: matches https://attacker.github.io, a host under a public suffix (Public Suffix List) where anyone can register one',
  ]);
  assert.deepEqual(regexReasons('^http://[a-z]+\\.com$'), [
    'public-suffix-wildcard: matches http://attacker.com, a host under a public suffix (Public Suffix List) where anyone can register one',
  ]);
});

test('allowOriginRegex: a suffix that has public suffixes below it (amazonaws.com) is probed with one of them', () => {
  let problems: readonly { code: string; reason: string }[] = [];
  try {
    new CorsPolicy({ ...quiet, allowOriginRegex: '^https://[a-z0-9.-]+\\.amazonaws\\.com$' });
  } catch (error) {
    assert.ok(error instanceof CorsConfigError);
    problems = error.problems;
  }
  assert.equal(problems.length, 1);
  assert.equal(problems[0]!.code, 'public-suffix-wildcard');
  // The example is the first public suffix below amazonaws.com in the bundled list, with attacker as the name.
  assert.match(
    problems[0]!.reason,
    /^matches https:\/\/attacker\.[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com, a host under a public suffix \(Public Suffix List\) where anyone can register one$/,
  );
  assert.doesNotMatch(problems[0]!.reason, /<name>/);
});

test('allowOriginRegex: a tail that starts inside a label is probed with a look-alike domain anyone can register', () => {
  // The classic suffix-match mistake: evilexample.com ends with example.com too.
  assert.deepEqual(regexReasons('^https://[a-z]+example\\.com$'), [publicSuffixReason('https://attackerexample.com')]);
  assert.deepEqual(regexReasons('^https://.*example\\.com$'), [publicSuffixReason('https://attackerexample.com')]);
  assert.deepEqual(regexReasons('^https?://[a-z0-9-]*example\\.co\\.uk$'), [publicSuffixReason('https://attackerexample.co.uk')]);
  assert.deepEqual(regexReasons('^http://[a-z]+example\\.com$'), [publicSuffixReason('http://attackerexample.com')]);
  // Sound expressions whose tail starts inside a label: the rest of the tail is the owner's domain,
  // a host with its own label, or nothing a look-alike can end with.
  assert.deepEqual(regexReasons('^https://[a-z]+-staging\\.example\\.com$'), []);
  assert.deepEqual(regexReasons('^https://(www\\.)?example\\.com$'), []);
  assert.deepEqual(regexReasons('^https://(app|api)\\.example\\.com$'), []);
  assert.deepEqual(regexReasons('^https://[a-z]+\\.example\\.com$'), []);
  assert.deepEqual(regexReasons('^https://[a-z]+example$'), []);
  assert.deepEqual(regexReasons('^https://[a-z]+example\\.$'), []);
  // A tail that is only a dot names no suffix to probe under.
  assert.deepEqual(regexReasons('^https://[a-z]+\\.$'), []);
  // The named host over plain http is still the credentials probe's, not a look-alike's.
  assert.deepEqual(regexReasons('^http://app\\.example\\.com$', true), [
    'insecure-origin-with-credentials: matches http://app.example.com, plain http, and allowCredentials is on: anyone on the network path can inject script into that origin and read credentialed responses (only https, localhost and loopback origins are potentially trustworthy)',
  ]);
  assert.deepEqual(regexReasons('^http://[a-z]+\\.example\\.com$', true), [
    'insecure-origin-with-credentials: matches http://attacker.example.com, plain http, and allowCredentials is on: anyone on the network path can inject script into that origin and read credentialed responses (only https, localhost and loopback origins are potentially trustworthy)',
  ]);
});

test('allowOriginRegex: a look-alike tail spelt with groups, classes, escapes, lookarounds or fixed repeats is refused all the same', () => {
  // Each allows https://evilexample.com or https://evil-example.com, which anyone can register.
  const risky = [
    '^https://.*(example)\\.com$',
    // The README's example.
    '.*(example)[.]com',
    '^https://.*(?:example)\\.com$',
    '^https://.*(example\\.com)$',
    '^https://.*[e]xample\\.com$',
    '^https://.*[eE]xample\\.com$',
    '^https://.*example[.]com$',
    '^https://.*\\x65xample\\.com$',
    '^https://.*\\u0065xample\\.com$',
    '^https://.*example\\.c(om)$',
    '^https://.*(ex|ex)ample\\.com$',
    '^https://.*ex{1}ample\\.com$',
    '^https://.*example\\.com{1}$',
    '^https://.*examplee?\\.com$',
    '^https://.*(?=e)example\\.com$',
    '^https://.*\\bexample\\.com$',
    '^https://(app\\.test|.*example\\.com)$',
    '^https://(.*)example\\.com$',
  ];
  for (const source of risky) {
    const policy = new CorsPolicy({ ...quiet, allowOriginRegex: source, dangerouslyAllowPublicSuffixWildcards: true });
    const lookAlikes = ['https://evilexample.com', 'https://evil-example.com'].filter((origin) => policy.allowsOrigin(origin) === true);
    assert.ok(lookAlikes.length > 0, `${source} is not risky after all`);
    assert.deepEqual(regexCodes(source), ['public-suffix-wildcard'], source);
  }
  // No tail names github.io here (`.io` is not reachable alone): the fixed probe host catches it.
  assert.deepEqual(regexCodes('^https://[a-z]+\\.git[a-z]+\\.io$'), ['public-suffix-wildcard']);
  // The same constructs in sound expressions: the owner's subdomains, its own hosts.
  for (const source of [
    '^https://(.*\\.)?example\\.com$',
    '^https://[a-z]+[.]example\\.com$',
    '^https://(app|api)\\x2Eexample\\.com$',
    '^https://[a-z]+\\.(example)\\.com$',
    '^https://(?=[a-z])[a-z0-9-]+\\.example\\.com$',
    '^https://(app\\.test|[a-z]+\\.example\\.com)$',
  ]) {
    assert.deepEqual(regexCodes(source), [], source);
  }
});

test('allowOriginRegex: an expression that goes on past the host it starts with is refused (example.com.attacker.com)', () => {
  assert.deepEqual(regexReasons('^https://example\\.com.*$'), [publicSuffixReason('https://example.com.attacker.com')]);
  assert.deepEqual(regexReasons('^https://example\\.com(\\..*)?$'), [publicSuffixReason('https://example.com.attacker.com')]);
  assert.deepEqual(regexReasons('^https://example\\.com[^/]*$'), [publicSuffixReason('https://example.com.attacker.com')]);
  assert.deepEqual(regexReasons('^https://example\\.com.+$'), [publicSuffixReason('https://example.com.attacker.com')]);
  assert.deepEqual(regexReasons('^https://app\\.example\\..*$'), [publicSuffixReason('https://app.example.attacker.com')]);
  assert.deepEqual(regexReasons('^https://app\\.example\\.[a-z.]+$'), [publicSuffixReason('https://app.example.attacker.com')]);
  // A RegExp is read by its source.
  assert.deepEqual(regexCodes(/^https:\/\/example\.com.*$/), ['public-suffix-wildcard']);
  // Only a start made of a scheme and the beginning of a host is probed: not one with a path (which no
  // origin has), nor one that starts with no scheme (which never matches, and says so).
  assert.deepEqual(regexCodes('^https://example\\.com/.*$'), []);
  assert.deepEqual(regexCodes('^1https://example\\.com.*$'), ['origin-regex-never-matches']);
  // Each allows the probe origin for real, and a host like it that anyone can register.
  const open = new CorsPolicy({ ...quiet, allowOriginRegex: '^https://example\\.com.*$', dangerouslyAllowPublicSuffixWildcards: true });
  assert.equal(open.allowsOrigin('https://example.com.evil.net'), true);
  // Sound expressions that start with a fixed host: a port, a path-free end, the owner's subdomains.
  for (const source of [
    '^https://example\\.com(:\\d+)?$',
    '^https://example\\.com(:[0-9]{2,5})?$',
    '^https://(app|api)\\.example\\.com$',
    '^https://example\\.com$|^https://[a-z]+\\.example\\.com$',
    '^http://localhost(:\\d+)?$',
  ]) {
    assert.deepEqual(regexReasons(source), [], source);
  }
});
