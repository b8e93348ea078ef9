/**
 * The whole message a user reads when options are refused: each problem's option, value, reason and
 * fix, numbered, under a count. One configuration per group of mistakes; each message is asserted in
 * full, so a reason or fix that changes, or goes missing, fails here by name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CorsConfigError, CorsPolicy, type CorsOptions } from '../index.js';

const CASES: [label: string, options: unknown, message: string][] = [
  [
    'list options of the wrong shape, with the example each takes',
    { allowOrigins: 5, allowMethods: 5, allowHeaders: [/x/, 5], exposeHeaders: [5], allowOriginPredicate: 'yes' },
    "corsguard: invalid CORS configuration (6 problems):\n  1. allowOrigins: 5 is not a string or a list of strings.\n     Fix: give allowOrigins a list of strings, as in ['https://example.com'].\n  2. allowOriginPredicate: 'yes' is not a function.\n     Fix: write (origin) => boolean, or an async function.\n  3. allowMethods: 5 is not a string or a list of strings.\n     Fix: give allowMethods a list of strings, as in ['PUT'].\n  4. allowHeaders: /x/ is a RegExp, and allowHeaders takes strings.\n     Fix: write the names as strings, as in ['X-Api-Key'].\n  5. allowHeaders: 5 is not a string.\n     Fix: write it as a string, as in 'X-Api-Key'.\n  6. exposeHeaders: 5 is not a string.\n     Fix: write it as a string, as in 'X-Total-Count'.",
  ],
  [
    'unset, comma-separated and RegExp entries',
    { allowOrigins: ['undefined', ' https://a.com , ,https://b.com', /a/], allowMethods: [/PUT/] },
    "corsguard: invalid CORS configuration (4 problems):\n  1. allowOrigins: 'undefined' is the text of an unset value (most often a missing environment variable turned into a string).\n     Fix: set the variable, or leave the entry out.\n  2. allowOrigins: ' https://a.com , ,https://b.com' is several entries in one string (the format of an environment variable or of the cors package).\n     Fix: write a list, as in allowOrigins: ['https://a.com', 'https://b.com'] (from an environment variable: value.split(',').map((entry) => entry.trim())).\n  3. allowOrigins: /a/ is a RegExp, and allowOrigins takes strings.\n     Fix: move it to allowOriginRegex: /a/ (one expression; join several with |).\n  4. allowMethods: /PUT/ is a RegExp, and allowMethods takes strings.\n     Fix: write the names as strings, as in ['PUT'].",
  ],
  [
    'a function, or nothing, where the options belong',
    () => undefined,
    'corsguard: invalid CORS configuration (1 problem):\n  1. options: a function was given where the options object belongs.\n     Fix: call the factory with an options object, as in cors({ allowOrigins: [...] }).',
  ],
  [
    'no options',
    null,
    "corsguard: invalid CORS configuration (1 problem):\n  1. options: null is missing, so no origin would be allowed.\n     Fix: pass options with allowOrigins, as in { allowOrigins: ['https://app.example.com'] }.",
  ],
  [
    'unknown options: foreign names, near misses, and names like nothing',
    {
      allowOrigins: ['https://a.com'],
      origin: 'x',
      allowedOrigins: [],
      optionsSuccessStatus: 200,
      allowOrigin: 'x',
      allowHeader: 'x',
      exposeHeader: 'x',
      allow_origin_regex: 'x',
      allow_methods: [],
      allow_headers: [],
      expose_headers: [],
      max_age: 1,
      origins: [],
      methods: [],
      allowedHeaders: [],
      exposedHeaders: [],
      allowMethod: [],
      zzzzzzzzzz: 1,
    },
    "corsguard: invalid CORS configuration (17 problems):\n  1. origin: 'x' is not a corsguard option.\n     Fix: use allowOrigins (a list), allowOriginRegex or allowOriginPredicate.\n  2. allowedOrigins: [] is not a corsguard option.\n     Fix: use allowOrigins.\n  3. optionsSuccessStatus: 200 is not a corsguard option.\n     Fix: use preflightStatus.\n  4. allowOrigin: 'x' is not a corsguard option.\n     Fix: use allowOrigins.\n  5. allowHeader: 'x' is not a corsguard option.\n     Fix: use allowHeaders.\n  6. exposeHeader: 'x' is not a corsguard option.\n     Fix: use exposeHeaders.\n  7. allow_origin_regex: 'x' is not a corsguard option.\n     Fix: use allowOriginRegex.\n  8. allow_methods: [] is not a corsguard option.\n     Fix: use allowMethods.\n  9. allow_headers: [] is not a corsguard option.\n     Fix: use allowHeaders.\n  10. expose_headers: [] is not a corsguard option.\n     Fix: use exposeHeaders.\n  11. max_age: 1 is not a corsguard option.\n     Fix: use maxAge.\n  12. origins: [] is not a corsguard option.\n     Fix: use allowOrigins.\n  13. methods: [] is not a corsguard option.\n     Fix: use allowMethods.\n  14. allowedHeaders: [] is not a corsguard option.\n     Fix: use allowHeaders.\n  15. exposedHeaders: [] is not a corsguard option.\n     Fix: use exposeHeaders.\n  16. allowMethod: [] is not a corsguard option.\n     Fix: use allowMethods.\n  17. zzzzzzzzzz: 1 is not a corsguard option.\n     Fix: remove it; the options are allowOrigins, allowOriginRegex, allowOriginPredicate, allowCredentials, allowMethods, allowHeaders, exposeHeaders, maxAge, preflightStatus, originPredicateTimeout, dangerouslyAllowNullOrigin, dangerouslyAllowInsecureOriginsWithCredentials, dangerouslyAllowPublicSuffixWildcards, strict, onWarning, onError, onDecision, reportOnly.",
  ],
  [
    'wrong types of booleans, hooks and strict',
    {
      allowOrigins: ['https://a.com'],
      allowCredentials: 'true',
      dangerouslyAllowNullOrigin: 'true',
      onWarning: 1,
      onError: 'x',
      onDecision: {},
      strict: 'yes',
    },
    "corsguard: invalid CORS configuration (6 problems):\n  1. allowCredentials: 'true' is not a boolean.\n     Fix: write true or false.\n  2. dangerouslyAllowNullOrigin: 'true' is not a boolean.\n     Fix: write dangerouslyAllowNullOrigin: true to accept that risk, or leave it out.\n  3. onWarning: 1 is not a function.\n     Fix: pass a function or leave it out.\n  4. onError: 'x' is not a function.\n     Fix: pass a function or leave it out.\n  5. onDecision: {} is not a function.\n     Fix: pass a function or leave it out.\n  6. strict: 'yes' is not a boolean.\n     Fix: write true or false.",
  ],
  [
    'origins: duplicates, wildcard mixes, risks with credentials',
    {
      allowOrigins: ['*', '*', 'null', 'http://a.com', 'http://*.b.com', 'https://*.github.io', 'https://x.com:*', 'https://a.*'],
      allowCredentials: true,
    },
    "corsguard: invalid CORS configuration (7 problems):\n  1. allowOrigins: 'null' allows the origin null, which every sandboxed iframe and data: page on any site sends: it trusts every site that wants to be trusted.\n     Fix: remove 'null' and serve the page you test from http://localhost instead of file://; or, to take that risk knowingly, set dangerouslyAllowNullOrigin: true.\n  2. allowOrigins: 'http://a.com' is plain http and allowCredentials is on: anyone on the network path can inject script into that origin and read credentialed responses (only https, localhost and loopback origins are potentially trustworthy).\n     Fix: serve the frontend over https; or, to take that risk knowingly, set dangerouslyAllowInsecureOriginsWithCredentials: true.\n  3. allowOrigins: 'http://*.b.com' is plain http and allowCredentials is on: anyone on the network path can inject script into those origins and read credentialed responses (only https, localhost and loopback origins are potentially trustworthy).\n     Fix: serve the frontend over https; or, to take that risk knowingly, set dangerouslyAllowInsecureOriginsWithCredentials: true.\n  4. allowOrigins: 'https://*.github.io' trusts every subdomain of github.io, a public suffix where anyone can register one.\n     Fix: list your own hosts instead; or, to take that risk knowingly, set dangerouslyAllowPublicSuffixWildcards: true.\n  5. allowOrigins: 'https://a.*' can never match an Origin header: the only wildcards corsguard understands are a leading '*.' in the host ('https://*.example.com') and ':*' as the port ('http://localhost:*'); any other '*' would match hosts you do not own.\n     Fix: list the origins, use one of the two patterns, or use allowOriginRegex.\n  6. allowOrigins: ['*', '*', 'null', 'http://a.com', 'http://*.b.com', 'https://*.github.io', 'https://x.com:*', 'https://a.*'] mixes '*' with other origins, which makes them meaningless.\n     Fix: write ['*'] alone to allow every origin, or remove '*' and keep the list.\n  7. allowOrigins: '*' cannot be combined with allowCredentials: true: the CORS check fails `Access-Control-Allow-Origin: *` on credentialed requests, and answering with the caller's origin instead (what some CORS middleware does) would let every site on the web read your users' data.\n     Fix: list the origins that need credentials, as in allowOrigins: ['https://app.example.com'], or set allowCredentials: false.",
  ],
  [
    'allowOriginRegex of the wrong type',
    { allowOriginRegex: 5 },
    'corsguard: invalid CORS configuration (1 problem):\n  1. allowOriginRegex: 5 is not a string or a RegExp.\n     Fix: write a RegExp, as in /^https:\\/\\/[a-z0-9-]+\\.example\\.com$/.',
  ],
  [
    'allowOriginRegex with the y flag',
    { allowOriginRegex: /^https:\/\/a\.com$/y },
    'corsguard: invalid CORS configuration (1 problem):\n  1. allowOriginRegex: /^https:\\/\\/a\\.com$/y has the g or y flag, which makes test() remember its last position and alternate between allow and deny.\n     Fix: remove the g and y flags.',
  ],
  [
    'allowOriginRegex that does not compile',
    { allowOriginRegex: '(' },
    "corsguard: invalid CORS configuration (1 problem):\n  1. allowOriginRegex: '(' is not a valid JavaScript regular expression (Invalid regular expression: /(/: Unterminated group).\n     Fix: fix the expression (every parenthesis closed in the expression itself); an expression written for another language may need translating, as (?P<name>...) becomes (?<name>...).",
  ],
  [
    'allowOriginRegex matching null',
    { allowOriginRegex: 'null|https://a\\.com' },
    "corsguard: invalid CORS configuration (1 problem):\n  1. allowOriginRegex: 'null|https://a\\.com' matches the origin null, which every sandboxed iframe and data: page on any site sends.\n     Fix: make the expression match only scheme://host origins; or, to take that risk knowingly, set dangerouslyAllowNullOrigin: true.",
  ],
  [
    'allowOriginRegex open to strangers, over plain http, with credentials',
    { allowOriginRegex: 'https?://[a-z]+\\.github\\.io', allowCredentials: true },
    "corsguard: invalid CORS configuration (2 problems):\n  1. allowOriginRegex: 'https?://[a-z]+\\.github\\.io' matches https://attacker.github.io, a host under a public suffix (Public Suffix List) where anyone can register one.\n     Fix: match only your own hosts, as in /^https:\\/\\/[a-z0-9-]+\\.example\\.com$/; or, to take that risk knowingly, set dangerouslyAllowPublicSuffixWildcards: true.\n  2. allowOriginRegex: 'https?://[a-z]+\\.github\\.io' matches http://attacker.github.io, plain http, and allowCredentials is on: anyone on the network path can inject script into that origin and read credentialed responses (only https, localhost and loopback origins are potentially trustworthy).\n     Fix: match https origins only, as in /^https:\\/\\/app\\.example\\.com$/; or, to take that risk knowingly, set dangerouslyAllowInsecureOriginsWithCredentials: true.",
  ],
  [
    'allowOriginRegex over plain http naming its host, with credentials',
    { allowOriginRegex: 'http://app\\.example\\.com', allowCredentials: true },
    "corsguard: invalid CORS configuration (1 problem):\n  1. allowOriginRegex: 'http://app\\.example\\.com' matches http://app.example.com, plain http, and allowCredentials is on: anyone on the network path can inject script into that origin and read credentialed responses (only https, localhost and loopback origins are potentially trustworthy).\n     Fix: match https origins only, as in /^https:\\/\\/app\\.example\\.com$/; or, to take that risk knowingly, set dangerouslyAllowInsecureOriginsWithCredentials: true.",
  ],
  [
    'allowOriginRegex under a host that hands out public suffixes',
    { allowOriginRegex: 'https://[a-z0-9-]+\\.s3\\.amazonaws\\.com' },
    "corsguard: invalid CORS configuration (1 problem):\n  1. allowOriginRegex: 'https://[a-z0-9-]+\\.s3\\.amazonaws\\.com' matches https://attacker.s3.amazonaws.com, a host under a public suffix (Public Suffix List) where anyone can register one.\n     Fix: match only your own hosts, as in /^https:\\/\\/[a-z0-9-]+\\.example\\.com$/; or, to take that risk knowingly, set dangerouslyAllowPublicSuffixWildcards: true.",
  ],
  [
    'originPredicateTimeout that is not a positive number',
    { allowOrigins: ['https://a.com'], originPredicateTimeout: '1000' },
    "corsguard: invalid CORS configuration (1 problem):\n  1. originPredicateTimeout: '1000' is not a positive number of milliseconds.\n     Fix: write a number such as 1000.",
  ],
  [
    'originPredicateTimeout longer than a timer',
    { allowOrigins: ['https://a.com'], originPredicateTimeout: 2 ** 31 },
    'corsguard: invalid CORS configuration (1 problem):\n  1. originPredicateTimeout: 2147483648 is longer than a timer can wait (2147483647 ms, about 24.8 days): setTimeout would fire after 1 ms instead, and every asynchronous predicate would time out.\n     Fix: write a number of milliseconds such as 1000 (a predicate that needs more than a few seconds holds every request up).',
  ],
  [
    'methods: invalid, forbidden',
    { allowOrigins: ['https://a.com'], allowMethods: ['P UT', 'CONNECT'] },
    "corsguard: invalid CORS configuration (2 problems):\n  1. allowMethods: 'P UT' is not a valid HTTP method name.\n     Fix: write a method such as PUT or DELETE.\n  2. allowMethods: 'CONNECT' is a forbidden method that browsers never let a script send.\n     Fix: remove it.",
  ],
  [
    'headers: invalid, too long, forbidden, CORS response header',
    { allowOrigins: ['https://a.com'], allowHeaders: ['X Y', 'x'.repeat(257), 'Cookie', 'Access-Control-Max-Age'] },
    "corsguard: invalid CORS configuration (4 problems):\n  1. allowHeaders: 'X Y' is not a valid header name.\n     Fix: write a header name such as X-Api-Key.\n  2. allowHeaders: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' is not a valid header name.\n     Fix: write a header name such as X-Api-Key.\n  3. allowHeaders: 'Cookie' is a forbidden request header that browsers set themselves and scripts cannot.\n     Fix: remove it.\n  4. allowHeaders: 'Access-Control-Max-Age' is a response header of the CORS protocol; browsers never send it, the server does.\n     Fix: remove it (corsguard sends it for you).",
  ],
  [
    'exposed headers: invalid, too long, forbidden, request-only, * with credentials',
    { allowOrigins: ['https://a.com'], allowCredentials: true, exposeHeaders: ['X Y', 'x'.repeat(257), 'Set-Cookie', 'Origin', '*'] },
    "corsguard: invalid CORS configuration (5 problems):\n  1. exposeHeaders: 'X Y' is not a valid header name.\n     Fix: write a header name such as X-Total-Count.\n  2. exposeHeaders: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' is not a valid header name.\n     Fix: write a header name such as X-Total-Count.\n  3. exposeHeaders: 'Set-Cookie' can never be read by scripts, whatever the server says.\n     Fix: remove it.\n  4. exposeHeaders: 'Origin' is a request header; it never appears on a response.\n     Fix: remove it.\n  5. exposeHeaders: '*' means \"every header\" only without credentials; on credentialed requests browsers read it as a header named *.\n     Fix: list the headers the frontend reads, as in exposeHeaders: ['X-Total-Count'].",
  ],
  [
    'maxAge and preflightStatus out of range',
    { allowOrigins: ['https://a.com'], maxAge: '600', preflightStatus: '204' },
    "corsguard: invalid CORS configuration (2 problems):\n  1. maxAge: '600' is not a whole number of seconds from 0 to 86400; browsers ignore a negative or unparsable value and cap the rest (Chromium 7200 s, Firefox 86400 s, WebKit 600 s).\n     Fix: write a number such as 600, or 0 to disable preflight caching.\n  2. preflightStatus: '204' is not a 2xx status; browsers fail every preflight answered with another status.\n     Fix: write 204 (the default) or 200.",
  ],
  [
    'strict refuses a warning',
    { allowOrigins: ['https://a.com'], allowMethods: ['patch'], strict: true },
    "corsguard: invalid CORS configuration (1 problem):\n  1. allowMethods: 'patch' is refused because strict is on: 'patch' is matched byte for byte: browsers send fetch(url, { method: 'patch' }) as 'patch' but method: 'PATCH' as 'PATCH'. List 'PATCH' unless your frontend really sends 'patch'..\n     Fix: change it, or turn strict off.",
  ],
  [
    'reportOnly not an object',
    { allowOrigins: ['https://a.com'], reportOnly: null },
    "corsguard: invalid CORS configuration (1 problem):\n  1. reportOnly: null is not an object.\n     Fix: write reportOnly: { options: { allowOrigins: ['https://app.example.com'] }, onChange: (change) => log.info(change) }.",
  ],
  [
    'reportOnly with unknown fields, no onChange, options not an object',
    { allowOrigins: ['https://a.com'], reportOnly: { options: null, extra: 1 } },
    "corsguard: invalid CORS configuration (3 problems):\n  1. reportOnly.extra: 1 is not a reportOnly field.\n     Fix: remove it; reportOnly has options and onChange.\n  2. reportOnly.onChange: undefined is not a function.\n     Fix: pass (change) => ..., which receives each request whose verdict would change.\n  3. reportOnly.options: null is not an options object.\n     Fix: write reportOnly: { options: { allowOrigins: ['https://app.example.com'] }, onChange: (change) => log.info(change) }.",
  ],
  [
    'reportOnly options with hooks',
    {
      allowOrigins: ['https://a.com'],
      reportOnly: { options: { allowOrigins: ['https://a.com'], onError: () => {} }, onChange: () => {} },
    },
    "corsguard: invalid CORS configuration (1 problem):\n  1. reportOnly.options.onError: a function is not used by a report-only policy: its warnings and errors go to the enforced policy's hooks, its changes to reportOnly.onChange.\n     Fix: remove it.",
  ],
];

for (const [label, options, message] of CASES) {
  test(`refused with the full message: ${label}`, () => {
    assert.throws(
      () => new CorsPolicy(options as CorsOptions),
      (error: unknown) => {
        assert.ok(error instanceof CorsConfigError, String(error));
        assert.equal(error.message, message);
        return true;
      },
    );
  });
}
