/**
 * Property-based tests (fast-check):
 * (a) the policy's decisions agree with the reference model (reference-model.ts);
 * (b) the request-origin parser agrees with the WHATWG URL parser on every origin a browser
 *     could send (defined in reference-model.ts, isBrowserOrigin), and accepts nothing else;
 * (c) every configuration the policy accepts produces responses that a browser accepts, for
 *     the origins, methods and headers that configuration allows: judged by the CLI's browser
 *     model (src/cli/browser-model.ts), cross-checked with the reference model's browser half.
 * Runs are seeded (FC_SEED overrides) so a failure is reproducible.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { METHODS } from 'node:http';
import fc from 'fast-check';
import { CorsPolicy, type PreflightAnswer } from '../../src/core/policy.js';
import { CorsConfigError } from '../../src/core/errors.js';
import type { CorsOptions } from '../../src/core/options.js';
import { parseSerializedOrigin } from '../../src/protocol/origin.js';
import { webHeaderWriter } from '../../src/fetch/headers-writer.js';
import { drive } from '../support/drive-policy.js';
import {
  browserCanRead,
  browserCorsCheck,
  browserMaxAge,
  browserPreflightCheck,
  isBrowserOrigin,
  modelActual,
  modelAllowsEveryOrigin,
  modelPreflight,
  normalizeMethod,
  requestedHeaderNames,
  type CredentialsMode,
  type HeaderGetter,
} from './reference-model.js';
import {
  requestHeaders,
  requestMethod,
  requestOrigin,
  validOptions,
  EXACT_ORIGINS,
  ORIGIN_PATTERNS,
  REGEXES,
  METHODS as CONFIG_METHODS,
  HEADERS,
  EXPOSED,
  RISKS_ACCEPTED,
} from './arbitraries.js';
import { ADAPTERS, mapHeaderWriter } from './support.js';
import { send } from '../support/http.js';
import {
  ENGINES,
  corsCheck,
  evaluatePreflight,
  planRequest,
  readableHeaders,
  type PageRequest,
  type ResponseHead,
} from '../../src/cli/browser-model.js';
import type { Problem } from '../../src/cli/problems.js';

const seed = process.env.FC_SEED === undefined ? 20261123 : Number(process.env.FC_SEED);
const runs = (n: number) => ({ numRuns: n, seed });

function getter(map: Map<string, string>): HeaderGetter {
  return (name) => map.get(name) ?? null;
}

function hasCorsHeaders(map: Map<string, string>): boolean {
  return [...map.keys()].some((name) => name.startsWith('access-control-'));
}

function varyNamesOrigin(map: Map<string, string>): boolean {
  return (map.get('vary') ?? '').split(',').some((token) => token.trim().toLowerCase() === 'origin');
}

/** The credentials modes in which a browser may send a request under these options. */
function credentialModes(options: CorsOptions): CredentialsMode[] {
  return options.allowCredentials === true ? ['include', 'omit'] : ['omit'];
}

test('(a) for generated configurations and requests, the policy decides as the reference model', () => {
  fc.assert(
    fc.property(
      validOptions,
      requestOrigin,
      requestMethod,
      fc.option(requestMethod, { nil: undefined }),
      requestHeaders,
      fc.boolean(),
      (options, origin, method, acrm, acrh, asPreflight) => {
        const policy = new CorsPolicy(options);
        const out = new Map<string, string>();
        const verb = asPreflight ? 'OPTIONS' : method;
        const result = drive(policy, out, mapHeaderWriter, verb, origin, acrm, acrh);
        assert.ok(!(result instanceof Promise), 'no predicate, so the policy answers synchronously');
        const get = getter(out);
        const dependsOnOrigin = !modelAllowsEveryOrigin(options);

        if (verb === 'OPTIONS' && origin !== undefined && acrm !== undefined) {
          const expected = modelPreflight(options, origin, acrm, acrh);
          assert.ok(result !== undefined, 'a preflight is answered by the policy, never by the handler');
          const preflight = result as PreflightAnswer;
          assert.equal(preflight.allowed, expected === 'allowed', `preflight: model says ${expected}, policy says ${preflight.reason}`);
          assert.equal(varyNamesOrigin(out), dependsOnOrigin, 'Vary: Origin exactly when the answer depends on it');
          if (expected === 'origin-refused') {
            assert.equal(preflight.status, 403);
            assert.ok(!hasCorsHeaders(out), `no CORS header for a refused origin: ${JSON.stringify([...out])}`);
            return;
          }
          const names = acrh === undefined ? [] : requestedHeaderNames(acrh);
          for (const mode of credentialModes(options)) {
            assert.ok(browserCorsCheck(get, origin, mode), 'an allowed origin passes the CORS check');
            if (names !== undefined) {
              assert.equal(
                browserPreflightCheck(preflight.status, get, origin, acrm, names, mode),
                expected === 'allowed',
                `browser verdict (${mode})`,
              );
            }
          }
          if (expected === 'allowed') {
            assert.equal(preflight.status, options.preflightStatus ?? 204);
            assert.equal(preflight.body, '');
            assert.equal(browserMaxAge(get), options.maxAge ?? 5);
          } else {
            // Documented choice: 200 with the real allow lists, so the console names the failing step.
            assert.equal(preflight.status, 200);
            assert.match(preflight.body, /^CORS preflight refused: /);
          }
          return;
        }

        assert.equal(result, undefined, 'an actual request goes on to the handler');
        const expected = modelActual(options, origin);
        assert.equal(get('access-control-allow-origin'), expected.allowOrigin);
        assert.equal(get('access-control-allow-credentials'), expected.allowCredentials ? 'true' : null);
        assert.equal(varyNamesOrigin(out), expected.varyOrigin);
        if (expected.allowOrigin === null) {
          assert.ok(!hasCorsHeaders(out), 'a denied origin gets no CORS header at all');
        } else {
          for (const mode of origin === undefined ? [] : credentialModes(options)) {
            assert.ok(browserCorsCheck(get, origin!, mode));
            for (const name of expected.readable) assert.ok(browserCanRead(get, name, mode), `${name} readable (${mode})`);
          }
        }
      },
    ),
    runs(4000),
  );
});

// --- (b) the origin parser against the WHATWG URL parser ---------------------------------------

const hostChars = fc.constantFrom(
  ...'abcxyzABZ0129-_.%{}"`!~;|&\'()*,$=+^@[]:'.split(''),
  'é',
  'а',
  'ß',
  '\u0000',
  '\t',
  ' ',
  '\u200b',
  'Ａ',
);
const urlish: fc.Arbitrary<string> = fc.oneof(
  fc.webUrl({
    validSchemes: ['http', 'https', 'ws', 'wss', 'ftp'],
    authoritySettings: { withIPv4: true, withIPv6: true, withIPv4Extended: true, withPort: true, withUserInfo: true },
    withQueryParameters: true,
    withFragments: true,
  }),
  fc
    .record({
      scheme: fc.constantFrom('http', 'https', 'HTTP', 'hTTps', 'ws', 'wss', 'ftp', 'chrome-extension', 'file', 'data', 'javascript', 'h'),
      separator: fc.constantFrom('://', '://', '://', ':/', ':', ':///', '://\\'),
      host: fc.oneof(
        fc.domain(),
        fc.domain().map((d) => d.toUpperCase()),
        fc.string({ unit: hostChars, minLength: 1, maxLength: 20 }),
        fc.ipV4(),
        fc.ipV4Extended(),
        fc.ipV6().map((ip) => `[${ip}]`),
        fc.ipV6().map((ip) => `[${ip.toUpperCase()}]`),
        fc.constantFrom(
          'localhost',
          'xn--bcher-kva.example',
          'xn--zz.com',
          'bücher.example',
          'exаmple.com',
          '0x7f.1',
          '1.2.3',
          '[::ffff:1.2.3.4]',
          '[0:0::1]',
          'a..b',
          '.a',
          'a.',
        ),
      ),
      port: fc.oneof(
        fc.constantFrom('', '', ':', ':0', ':80', ':443', ':21', ':080', ':65535', ':65536', ':99999'),
        fc.nat(70000).map((n) => `:${n}`),
      ),
      suffix: fc.constantFrom('', '', '', '/', '/p', '.', '?q', '#f', '@evil.com', ' ', ', https://evil.com'),
    })
    .map(({ scheme, separator, host, port, suffix }) => `${scheme}${separator}${host}${port}${suffix}`),
);

function urlOrigin(input: string): string | undefined {
  try {
    return new URL(input).origin;
  } catch {
    return undefined;
  }
}

const SPECIAL = ['http', 'https', 'ws', 'wss', 'ftp'];

test('(b) whatever the origin parser accepts is a canonical serialized origin (any input)', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        urlish,
        urlish.map((u) => urlOrigin(u) ?? u),
        fc.string({ unit: 'binary', maxLength: 60 }),
      ),
      (input) => {
        const parts = parseSerializedOrigin(input);
        if (parts === undefined) return;
        assert.equal(`${parts.scheme}://${parts.host}${parts.port === '' ? '' : `:${parts.port}`}`, input);
        if (SPECIAL.includes(parts.scheme)) {
          const url = new URL(input);
          assert.equal(url.origin, input, 'the URL parser serializes it unchanged');
          assert.deepEqual({ scheme: url.protocol.slice(0, -1), host: url.hostname, port: url.port }, parts);
        }
      },
    ),
    runs(20000),
  );
});

test('(b) on every origin a browser could send, the parser agrees with new URL(x).origin', () => {
  fc.assert(
    fc.property(urlish, (input) => {
      const origin = urlOrigin(input);
      if (origin === undefined || origin === 'null') return;
      const url = new URL(origin);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return;
      const parts = parseSerializedOrigin(origin);
      if (isBrowserOrigin(origin)) {
        assert.deepEqual(parts, { scheme: url.protocol.slice(0, -1), host: url.hostname, port: url.port }, origin);
      } else {
        assert.equal(parts, undefined, `${JSON.stringify(origin)} is no origin a browser sends`);
      }
    }),
    runs(20000),
  );
});

test('(b) the definition of "could send" is not vacuous', () => {
  // Each kind of origin a browser sends, and what it excludes.
  for (const origin of [
    'https://example.com',
    'http://localhost:3000',
    'http://127.0.0.1:8080',
    'http://[::1]:5173',
    'https://xn--bcher-kva.example',
    'https://a_b.example.com',
  ]) {
    assert.ok(isBrowserOrigin(origin), origin);
    assert.notEqual(parseSerializedOrigin(origin), undefined, origin);
  }
  for (const origin of ['https://example.com.', 'http://a.com:0', 'https://a{b.example.com', 'ws://example.com', 'null']) {
    assert.ok(!isBrowserOrigin(origin), origin);
  }
});

// --- (c) every accepted configuration works in a browser ------------------------------------------

const validEntry = fc.constantFrom(...EXACT_ORIGINS, ...ORIGIN_PATTERNS, 'null', 'https://*.github.io');
const invalidEntry = fc.constantFrom(
  '*',
  'https://example.com/',
  'HTTPS://example.com',
  '*.example.com',
  'https://*example.com',
  'https://exa*mple.com',
  'example.com',
  'https://example.com:443',
  'file://x',
  'https://user@example.com',
  'https://bücher.example',
);
/** Mostly valid values with a rare invalid one, so that many configurations are accepted. */
function mostly<T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: invalid });
}

/** Any options at all, some of which the policy refuses; (c) is about the ones it accepts. */
const anyOptions: fc.Arbitrary<CorsOptions> = fc
  .record({
    origins: fc.uniqueArray(mostly(validEntry, invalidEntry), { maxLength: 4 }),
    regex: fc.option(mostly<string | RegExp>(fc.constantFrom(...REGEXES, 'https://.*'), fc.constantFrom('[', /x/g)), { nil: undefined }),
    credentials: fc.boolean(),
    methods: fc.option(
      fc.uniqueArray(mostly<string>(fc.constantFrom(...CONFIG_METHODS, '*'), fc.constantFrom('CONNECT', 'bad method')), { maxLength: 3 }),
      { nil: undefined },
    ),
    headers: fc.option(
      fc.uniqueArray(mostly<string>(fc.constantFrom(...HEADERS, '*'), fc.constantFrom('Cookie', 'bad header')), { maxLength: 3 }),
      { nil: undefined },
    ),
    exposed: fc.option(fc.uniqueArray(mostly<string>(fc.constantFrom(...EXPOSED), fc.constantFrom('*', 'Set-Cookie')), { maxLength: 3 }), {
      nil: undefined,
    }),
    maxAge: mostly(fc.constantFrom(undefined, 0, 600, 86400), fc.constantFrom(-1, 86401, 1.5)),
    preflightStatus: mostly(fc.constantFrom(undefined, 200, 204), fc.constant(301)),
    // Mostly accepted by name, so that the risky entries above are mostly accepted too.
    risksAccepted: mostly(fc.constant(true), fc.constant(false)),
  })
  .map((c) => {
    const options: CorsOptions = {
      allowOrigins: c.origins,
      allowCredentials: c.credentials,
      ...(c.risksAccepted ? RISKS_ACCEPTED : {}),
      onWarning: () => undefined,
    };
    if (c.regex !== undefined) options.allowOriginRegex = c.regex;
    if (c.methods !== undefined) options.allowMethods = c.methods;
    if (c.headers !== undefined) options.allowHeaders = c.headers;
    if (c.exposed !== undefined) options.exposeHeaders = c.exposed;
    if (c.maxAge !== undefined) options.maxAge = c.maxAge;
    if (c.preflightStatus !== undefined) options.preflightStatus = c.preflightStatus;
    return options;
  });

const REGEX_EXAMPLES = [
  'https://t1.tenant.test',
  'https://www.example.io',
  'https://example.io',
  'https://x.test',
  'null',
  'https://anything.example',
];

/** The origins a configuration names: exact entries, an instance of each pattern, regex matches. */
function originsNamedBy(options: CorsOptions, pick: number): string[] {
  const entries = typeof options.allowOrigins === 'string' ? [options.allowOrigins] : [...(options.allowOrigins ?? [])];
  const named: string[] = [];
  for (const entry of entries) {
    if (entry === '*') named.push('https://any.example', 'null');
    else if (!entry.includes('*')) named.push(entry);
    else {
      const port = [':8443', ':1', ''][pick % 3]!;
      named.push(entry.replace('://*.', `://s${pick}.`).replace(/:\*$/, port));
    }
  }
  const regex = options.allowOriginRegex;
  if (regex !== undefined) {
    const full = new RegExp(`^(?:${typeof regex === 'string' ? regex : regex.source})$`);
    named.push(...REGEX_EXAMPLES.filter((o) => full.test(o)));
  }
  return named;
}

interface BrowserRequest {
  readonly origin: string;
  readonly method: string;
  readonly unsafeNames: readonly string[];
  readonly credentials: CredentialsMode;
}

/** Requests a page on an allowed origin may send under these options. */
function allowedRequests(options: CorsOptions, pick: number): BrowserRequest[] {
  const asList = (v: string | readonly string[] | undefined) => (v === undefined ? [] : typeof v === 'string' ? [v] : [...v]);
  const methods = asList(options.allowMethods);
  const methodPool = methods.includes('*') ? ['PUT', 'PATCH', 'X-CUSTOM'] : methods.map(normalizeMethod);
  const method = [...['GET', 'POST', 'HEAD'], ...methodPool][pick % (3 + methodPool.length)]!;
  const headers = asList(options.allowHeaders).map((h) => h.toLowerCase());
  const headerPool = headers.includes('*') ? ['x-custom', 'x-api-key', ...headers.filter((h) => h === 'authorization')] : headers;
  const unsafeNames = headerPool.filter((_, i) => (pick >> i) & 1).sort();
  const modes: CredentialsMode[] = options.allowCredentials === true ? ['include', 'omit'] : ['omit'];
  return originsNamedBy(options, pick).flatMap((origin) => modes.map((credentials) => ({ origin, method, unsafeNames, credentials })));
}

/** Values that make each header CORS-unsafe, as a page would set them. */
const UNSAFE_VALUES: Readonly<Record<string, string>> = {
  authorization: 'Bearer token',
  'content-type': 'application/json',
  'x-api-key': 'key',
  'x-requested-with': 'XMLHttpRequest',
  'x-custom': '1',
};

/** Sends one request (method and header lines) to the server under test and returns its head. */
type Exchange = (method: string, headers: ReadonlyArray<readonly [string, string]>) => ResponseHead | Promise<ResponseHead>;

/**
 * Plays the page's fetch() through the CLI's browser model (src/cli/browser-model.ts): the
 * preflight it would send, the preflight verdict in all three engines, the CORS check of the
 * actual response and the exposed headers. The reference model's browser half must agree.
 * Returns the errors a browser would report (none means the request works).
 */
async function browserErrors(request: BrowserRequest, exposed: readonly string[], exchange: Exchange): Promise<string[]> {
  const page: PageRequest = {
    origin: request.origin,
    method: request.method,
    headers: request.unsafeNames.map((name) => [name, UNSAFE_VALUES[name] ?? '1'] as const),
    credentials: request.credentials === 'include',
  };
  const plan = planRequest(page);
  const errors: Problem[] = [...plan.problems];
  const get =
    (head: ResponseHead): HeaderGetter =>
    (name) =>
      head.headers[name] ?? null;
  if (plan.preflight) {
    const head = await exchange('OPTIONS', plan.preflightHeaders);
    errors.push(...evaluatePreflight(plan, page, head, ENGINES).problems);
    const unsafe = plan.unsafeHeaders.map((h) => h.name);
    assert.equal(
      browserPreflightCheck(head.status, get(head), request.origin, plan.method, unsafe, request.credentials),
      errors.every((e) => e.severity !== 'error'),
      `the CLI's and the reference model's preflight verdicts differ: ${JSON.stringify({ request, head, errors })}`,
    );
  }
  const head = await exchange(plan.method, [['Origin', request.origin], ...plan.headers]);
  errors.push(...corsCheck(head, request.origin, page.credentials, 'The response'));
  errors.push(...readableHeaders(head, page.credentials, exposed).problems);
  assert.equal(
    browserCorsCheck(get(head), request.origin, request.credentials),
    corsCheck(head, request.origin, page.credentials, '').length === 0,
  );
  return errors.filter((e) => e.severity === 'error').map((e) => `${e.id}: ${e.message}`);
}

/** Runs the policy in process: a real `Headers` and the fetch adapter's writer. */
function inProcess(policy: CorsPolicy): Exchange {
  return (method, lines) => {
    const field = (name: string) => lines.find(([n]) => n.toLowerCase() === name)?.[1];
    const out = new Headers({ 'X-Total-Count': '3', ETag: '"1"' });
    const result = drive(
      policy,
      out,
      webHeaderWriter,
      method,
      field('origin'),
      field('access-control-request-method'),
      field('access-control-request-headers'),
    );
    assert.ok(!(result instanceof Promise));
    const headers: Record<string, string> = {};
    const lineCounts: Record<string, number> = {};
    for (const [name, value] of out) {
      headers[name] = value;
      lineCounts[name] = 1;
    }
    return { status: result === undefined ? 200 : result.status, headers, lineCounts };
  };
}

function exposedNames(options: CorsOptions): string[] {
  const list = typeof options.exposeHeaders === 'string' ? [options.exposeHeaders] : [...(options.exposeHeaders ?? [])];
  return list.filter((h) => h !== '*');
}

test('(c) every configuration the policy accepts lets a browser make the requests it allows', async () => {
  let accepted = 0;
  let checked = 0;
  await fc.assert(
    fc.asyncProperty(anyOptions, fc.nat(1000), async (options, pick) => {
      let policy: CorsPolicy;
      try {
        policy = new CorsPolicy(options);
      } catch (error) {
        assert.ok(error instanceof CorsConfigError, 'a refused configuration is a CorsConfigError');
        return;
      }
      accepted++;
      for (const request of allowedRequests(options, pick)) {
        checked++;
        assert.deepEqual(await browserErrors(request, exposedNames(options), inProcess(policy)), [], JSON.stringify({ options, request }));
      }
    }),
    runs(6000),
  );
  assert.ok(accepted > 1500, `enough generated configurations are accepted (${accepted})`);
  assert.ok(checked > 1000, `enough requests are checked (${checked})`);
});

test('(c) over real HTTP: accepted configurations work through every adapter', async () => {
  const samples = fc.sample(fc.tuple(validOptions, fc.nat(1000)), { numRuns: 40, seed });
  for (const adapter of ADAPTERS) {
    for (const [options, pick] of samples) {
      const server = await adapter.start(options);
      const overHttp: Exchange = (method, lines) =>
        send(`http://127.0.0.1:${server.port}/r`, { method, headers: Object.fromEntries(lines) });
      try {
        // Node's HTTP parser refuses methods it does not know (X-CUSTOM) before any adapter runs.
        for (const request of allowedRequests(options, pick)
          .filter((r) => METHODS.includes(r.method))
          .slice(0, 4)) {
          assert.deepEqual(
            await browserErrors(request, exposedNames(options), overHttp),
            [],
            `${adapter.name}: ${JSON.stringify({ options, request })}`,
          );
        }
      } finally {
        await server.close();
      }
    }
  }
});
