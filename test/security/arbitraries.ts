/**
 * fast-check generators shared by the property suites: configurations drawn from a small
 * universe of origins, methods and headers, and requests that mostly hit that universe
 * (allowed, almost allowed, denied) with some noise.
 */
import fc from 'fast-check';
import type { CorsOptions } from '../../src/core/options.js';

export const EXACT_ORIGINS = [
  'https://example.com',
  'https://app.example.org',
  'http://localhost:3000',
  'http://127.0.0.1:8080',
  'http://[::1]:5173',
] as const;

export const ORIGIN_PATTERNS = [
  'https://*.example.com',
  'http://localhost:*',
  'https://*.example.org:*',
  'https://*.a.b.example.net',
] as const;

export const REGEXES = ['https://[a-z0-9-]+\\.tenant\\.test', /https:\/\/(www\.)?example\.io/, 'null|https://x\\.test'] as const;

export const METHODS = ['PUT', 'DELETE', 'PATCH', 'patch', 'put', 'X-CUSTOM', 'GET'] as const;
export const HEADERS = ['Authorization', 'Content-Type', 'X-Api-Key', 'x-requested-with'] as const;
export const EXPOSED = ['X-Total-Count', 'ETag', 'Content-Type'] as const;

const quiet = { onWarning: () => undefined, onError: () => undefined };

/** The generated configurations take every risk (`null`, plain-http origins with credentials, `*.github.io`) knowingly. */
export const RISKS_ACCEPTED = {
  dangerouslyAllowNullOrigin: true,
  dangerouslyAllowInsecureOriginsWithCredentials: true,
  dangerouslyAllowPublicSuffixWildcards: true,
} as const;

/** Configurations the policy must accept (every constraint of the options respected). */
export const validOptions: fc.Arbitrary<CorsOptions> = fc
  .record({
    anyOrigin: fc.boolean(),
    origins: fc.subarray([...EXACT_ORIGINS, ...ORIGIN_PATTERNS, 'null']),
    regex: fc.option(fc.constantFrom(...REGEXES), { nil: undefined }),
    credentials: fc.boolean(),
    methods: fc.oneof(fc.constant(undefined), fc.constant(['*']), fc.subarray([...METHODS])),
    headers: fc.oneof(fc.constant(undefined), fc.constant(['*']), fc.constant(['*', 'Authorization']), fc.subarray([...HEADERS])),
    exposed: fc.oneof(fc.constant(undefined), fc.constant<string[]>(['*']), fc.subarray<string>([...EXPOSED])),
    maxAge: fc.option(fc.integer({ min: 0, max: 86400 }), { nil: undefined }),
    preflightStatus: fc.constantFrom(undefined, 200, 204),
  })
  .map((c): CorsOptions => {
    const anyOrigin = c.anyOrigin || (c.origins.length === 0 && c.regex === undefined);
    const credentials = anyOrigin ? false : c.credentials;
    return {
      allowOrigins: anyOrigin ? '*' : c.origins,
      ...(anyOrigin || c.regex === undefined ? {} : { allowOriginRegex: c.regex }),
      allowCredentials: credentials,
      ...(c.methods === undefined ? {} : { allowMethods: c.methods }),
      ...(c.headers === undefined ? {} : { allowHeaders: c.headers }),
      ...(c.exposed === undefined || (credentials && c.exposed.includes('*')) ? {} : { exposeHeaders: c.exposed }),
      ...(c.maxAge === undefined ? {} : { maxAge: c.maxAge }),
      ...(c.preflightStatus === undefined ? {} : { preflightStatus: c.preflightStatus }),
      ...RISKS_ACCEPTED,
      ...quiet,
    };
  });

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9_-]{0,6}[a-z0-9])?$/);

/** Origins that a browser could send, near the configured ones. */
const nearbyOrigin = fc
  .record({
    scheme: fc.constantFrom('https', 'http'),
    sub: fc.array(label, { maxLength: 2 }),
    base: fc.constantFrom(
      'example.com',
      'example.org',
      'a.b.example.net',
      'b.example.net',
      'tenant.test',
      'example.io',
      'localhost',
      'evil.com',
      'example.com.evil.com',
      'x.test',
    ),
    port: fc.constantFrom('', '', '', ':3000', ':8443', ':1', ':65535', ':443', ':80'),
  })
  .map(({ scheme, sub, base, port }) => `${scheme}://${[...sub, base].join('.')}${port}`);

/** Small changes that turn an allowed origin into one a browser would never send. */
const mutatedOrigin = fc
  .tuple(fc.constantFrom(...EXACT_ORIGINS, 'https://a.example.com', 'http://localhost:1234'), fc.nat(9))
  .map(([origin, how]) => {
    switch (how) {
      case 0:
        return origin.toUpperCase();
      case 1:
        return `${origin}/`;
      case 2:
        return origin.startsWith('https') ? `${origin}:443` : `${origin}:80`;
      case 3:
        return `${origin}.`;
      case 4:
        return `${origin}, https://evil.com`;
      case 5:
        return ` ${origin}`;
      case 6:
        return origin.replace('://', '://user@');
      case 7:
        return `${origin}\r\nX-Injected: 1`;
      case 8:
        return origin.replace('.', '%2e');
      default:
        return origin.replace('//', '//ä');
    }
  });

export const requestOrigin: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.constantFrom(...EXACT_ORIGINS, 'null', 'https://www.example.io', 'https://x.test') },
  { weight: 5, arbitrary: nearbyOrigin },
  { weight: 2, arbitrary: mutatedOrigin },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);

export const requestMethod = fc.constantFrom(
  'GET',
  'POST',
  'HEAD',
  'PUT',
  'DELETE',
  'PATCH',
  'patch',
  'put',
  'OPTIONS',
  'X-CUSTOM',
  'CONNECT',
  'trace',
  'bad method',
  '',
  'GET, PUT',
);

const headerName = fc.constantFrom('authorization', 'content-type', 'x-api-key', 'x-requested-with', 'x-custom', 'accept');

/** `Access-Control-Request-Headers` as browsers send it (lower case, sorted, unique, no spaces). */
export const browserRequestHeaders = fc.uniqueArray(headerName, { maxLength: 4 }).map((names) => names.sort());

export const requestHeaders: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 4, arbitrary: browserRequestHeaders.map((names) => names.join(',')) },
  // What proxies and non-browser clients send: case, spaces, an empty element.
  {
    weight: 2,
    arbitrary: fc
      .tuple(browserRequestHeaders, fc.boolean(), fc.boolean())
      .map(([names, upper, gap]) => names.map((n) => (upper ? n.toUpperCase() : n)).join(gap ? ' , ,' : ', ')),
  },
  { weight: 1, arbitrary: fc.constantFrom('', 'x y', 'a;b', 'x-api-key,\u00e9', ',,,') },
);
