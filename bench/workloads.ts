/**
 * The workloads of issue 7, described once and configured equivalently in every library:
 * {actual, preflight} x {allowed, denied} x {1 origin, 9 mixed patterns, 1,000 origins, `*`},
 * plus adversarial preflights, each measured against a normal preflight of the same size.
 */

export type OriginSet = 'one' | 'nine' | 'thousand' | 'any';
export type Kind = 'actual' | 'preflight';

export interface Workload {
  /** Stable identifier, used as the row key. */
  readonly id: string;
  /** What the table prints. */
  readonly label: string;
  readonly kind: Kind;
  readonly set: OriginSet;
  /** Whether the origin is allowed (what every library must decide). */
  readonly allowed: boolean;
  readonly adversarial: boolean;
  /**
   * Each request gets its own origin (the first label numbered), so that no verdict is
   * remembered and the origin matching itself is measured: what an attacker sending endless
   * distinct origins costs. Policy group only.
   */
  readonly distinctOrigins?: boolean;
  /** corsguard's policy allows any method (`allowMethods: '*'`), which echoes the requested one. */
  readonly anyMethod?: boolean;
  readonly method: string;
  /** Request headers (lower-case names, as node:http presents them). */
  readonly headers: Readonly<Record<string, string>>;
}

export const ONE_ORIGIN = 'https://app.example.com';

/** Nine patterns of the kinds users write: exact origins, subdomain and port wildcards. */
export const NINE_EXACT = [
  'https://app.example.com',
  'https://admin.example.com',
  'https://partner.example.net',
  'https://status.example.dev',
  'https://www.example.org',
] as const;
/** The same wildcards as corsguard patterns and as the regular expressions other libraries need. */
export const NINE_WILDCARDS = [
  { pattern: 'https://*.preview.example.com', regex: /^https:\/\/[a-z0-9-]+\.preview\.example\.com$/ },
  { pattern: 'https://*.tenant.example.io', regex: /^https:\/\/[a-z0-9-]+\.tenant\.example\.io$/ },
  { pattern: 'http://localhost:*', regex: /^http:\/\/localhost(?::\d{1,5})?$/ },
  { pattern: 'http://127.0.0.1:*', regex: /^http:\/\/127\.0\.0\.1(?::\d{1,5})?$/ },
] as const;
export const NINE_PATTERNS: readonly string[] = [...NINE_EXACT, ...NINE_WILDCARDS.map((w) => w.pattern)];
/** Allowed by a wildcard (the slower path for every library). */
export const NINE_ALLOWED_ORIGIN = 'https://pr-4182.tenant.example.io';

/**
 * 999 other origins, then the `1 origin` workload's origin, so that the two workloads ask
 * about the very same string and differ only in the size of the list: last is the worst
 * case for a linear scan, and the same cost as anywhere else for a Set.
 */
export const THOUSAND_ORIGINS: readonly string[] = [
  ...Array.from({ length: 999 }, (_, i) => `https://app${i}.customer${i}.example.com`),
  ONE_ORIGIN,
];
export const THOUSAND_ALLOWED_ORIGIN = ONE_ORIGIN;

export const DENIED_ORIGIN = 'https://app.example.com.attacker.net';

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export const ALLOW_HEADERS = ['Authorization', 'Content-Type', 'X-Requested-With'] as const;
export const EXPOSE_HEADERS = ['X-Total-Count'] as const;
export const MAX_AGE = 600;

/** What a browser sends for `fetch(url, { method: 'PUT', headers: { Authorization, 'Content-Type': 'application/json' } })`. */
export const PREFLIGHT_METHOD = 'PUT';
export const PREFLIGHT_HEADERS = 'authorization,content-type';

export const MIB_OF_COMMAS = ','.repeat(1024 * 1024);
export const MIB_OF_SPACES = ' '.repeat(1024 * 1024);
/**
 * Origins of 120 one-letter labels (as deep as a valid host gets) under a domain no pattern
 * covers, against a normal origin of the same length: the subdomain-pattern lookup must
 * not cost per label. The first label is replaced per request (see distinctOrigins).
 */
export const DEEP_ORIGIN = `https://x${'.a'.repeat(119)}.example.net`;
export const SAME_LENGTH_SHALLOW_ORIGIN = `https://x${'a'.repeat(DEEP_ORIGIN.length - 'https://x.example.net'.length)}.example.net`;
/** A 15 KB method token, for a policy that echoes the requested method. */
export const LONG_METHOD = 'X'.repeat(15 * 1024);
/** 10 KB, shaped like an origin so that every matcher has to look at it. */
export const LONG_ORIGIN = `https://${'a'.repeat(10 * 1024 - 'https://.preview.example.com'.length)}.preview.example.com`;

function allowedOrigin(set: OriginSet): string {
  switch (set) {
    case 'one':
    case 'any':
      return ONE_ORIGIN;
    case 'nine':
      return NINE_ALLOWED_ORIGIN;
    case 'thousand':
      return THOUSAND_ALLOWED_ORIGIN;
  }
}

const SET_LABEL: Record<OriginSet, string> = {
  one: '1 origin',
  nine: '9 patterns',
  thousand: '1,000 origins',
  any: '`*`',
};

function build(): Workload[] {
  const out: Workload[] = [];
  for (const kind of ['actual', 'preflight'] as const) {
    for (const allowed of [true, false]) {
      for (const set of ['one', 'nine', 'thousand', 'any'] as const) {
        // With `*` every origin is allowed: there is no denied case to measure.
        if (set === 'any' && !allowed) continue;
        const origin = allowed ? allowedOrigin(set) : DENIED_ORIGIN;
        const headers: Record<string, string> =
          kind === 'actual'
            ? { host: 'api.example.com', origin }
            : {
                host: 'api.example.com',
                origin,
                'access-control-request-method': PREFLIGHT_METHOD,
                'access-control-request-headers': PREFLIGHT_HEADERS,
              };
        out.push({
          id: `${kind}-${allowed ? 'allowed' : 'denied'}-${set}`,
          label: `${kind}, ${allowed ? 'allowed' : 'denied'}, ${SET_LABEL[set]}`,
          kind,
          set,
          allowed,
          adversarial: false,
          method: kind === 'actual' ? 'GET' : 'OPTIONS',
          headers,
        });
      }
    }
  }
  const preflight = (origin: string, requestHeaders: string): Record<string, string> => ({
    host: 'api.example.com',
    origin,
    'access-control-request-method': PREFLIGHT_METHOD,
    'access-control-request-headers': requestHeaders,
  });
  out.push(
    {
      id: 'adversarial-commas',
      label: 'preflight, ACRH of 1 MiB of commas',
      kind: 'preflight',
      set: 'one',
      allowed: true,
      adversarial: true,
      method: 'OPTIONS',
      headers: preflight(ONE_ORIGIN, MIB_OF_COMMAS),
    },
    {
      id: 'adversarial-spaces',
      label: 'preflight, ACRH of 1 MiB of spaces',
      kind: 'preflight',
      set: 'one',
      allowed: true,
      adversarial: true,
      method: 'OPTIONS',
      headers: preflight(ONE_ORIGIN, MIB_OF_SPACES),
    },
    {
      id: 'adversarial-long-origin',
      label: 'preflight, 10 KB Origin (9 patterns)',
      kind: 'preflight',
      set: 'nine',
      allowed: false,
      adversarial: true,
      method: 'OPTIONS',
      headers: preflight(LONG_ORIGIN, PREFLIGHT_HEADERS),
    },
  );
  // Rows for the policy group only, each paired with a control: a normal preflight of the same size.
  const policyRow = (
    id: string,
    label: string,
    set: OriginSet,
    allowed: boolean,
    headers: Record<string, string>,
    how: Partial<Workload>,
  ): Workload => ({
    id,
    label,
    kind: 'preflight',
    set,
    allowed,
    adversarial: true,
    method: 'OPTIONS',
    headers,
    ...how,
  });
  const distinct = { distinctOrigins: true };
  const anyMethod = { anyMethod: true };
  out.push(
    policyRow(
      'adversarial-deep-origin',
      'preflight, distinct 120-label Origins (9 patterns)',
      'nine',
      false,
      preflight(DEEP_ORIGIN, PREFLIGHT_HEADERS),
      distinct,
    ),
    policyRow(
      'adversarial-deep-origin-control',
      'preflight, distinct 1-label Origins of the same length (9 patterns; control)',
      'nine',
      false,
      preflight(SAME_LENGTH_SHALLOW_ORIGIN, PREFLIGHT_HEADERS),
      distinct,
    ),
    policyRow(
      'adversarial-long-method',
      "preflight, 15 KB method, allowMethods '*' with credentials",
      'one',
      true,
      { ...preflight(ONE_ORIGIN, PREFLIGHT_HEADERS), 'access-control-request-method': LONG_METHOD },
      anyMethod,
    ),
    policyRow(
      'adversarial-long-method-control',
      "preflight, PUT and 15 KB of other headers, allowMethods '*' with credentials (control)",
      'one',
      true,
      { ...preflight(ONE_ORIGIN, PREFLIGHT_HEADERS), 'x-padding': LONG_METHOD },
      anyMethod,
    ),
  );
  return out;
}

/** Rows that change corsguard's requests or policy (see distinctOrigins, anyMethod) are the policy group's alone. */
export function runsInGroup(groupId: string, workload: Workload): boolean {
  return groupId === 'policy' || (workload.distinctOrigins !== true && workload.anyMethod !== true);
}

export const WORKLOADS: readonly Workload[] = build();

/** The origins a workload's configuration allows, as a plain list (patterns where it has them). */
export function corsguardOrigins(set: OriginSet): readonly string[] {
  switch (set) {
    case 'one':
      return [ONE_ORIGIN];
    case 'nine':
      return NINE_PATTERNS;
    case 'thousand':
      return THOUSAND_ORIGINS;
    case 'any':
      return ['*'];
  }
}

/** The configuration every corsguard row uses. */
export function corsguardOptions(set: OriginSet, anyMethod = false) {
  return {
    allowOrigins: corsguardOrigins(set),
    allowCredentials: set !== 'any',
    allowMethods: anyMethod ? ('*' as const) : [...METHODS],
    allowHeaders: [...ALLOW_HEADERS],
    exposeHeaders: [...EXPOSE_HEADERS],
    maxAge: MAX_AGE,
  };
}

/** Exact origins and regular expressions, for libraries that take a list of both. */
export function originMatchers(set: OriginSet): Array<string | RegExp> {
  switch (set) {
    case 'one':
      return [ONE_ORIGIN];
    case 'nine':
      return [...NINE_EXACT, ...NINE_WILDCARDS.map((w) => w.regex)];
    case 'thousand':
      return [...THOUSAND_ORIGINS];
    case 'any':
      return ['*'];
  }
}

/** The same configuration in the option names `cors` and `@fastify/cors` share. */
export function corsPackageOptions(set: OriginSet) {
  const any = set === 'any';
  return {
    origin: any ? '*' : originMatchers(set),
    credentials: !any,
    methods: [...METHODS],
    allowedHeaders: [...ALLOW_HEADERS],
    exposedHeaders: [...EXPOSE_HEADERS],
    maxAge: MAX_AGE,
  };
}
