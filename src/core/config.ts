/**
 * Validation and compilation of options. Everything that can be decided about a
 * configuration is decided here, once: every problem is collected and thrown together,
 * risks are refused unless accepted by name, and every header value the policy will send
 * is precomputed.
 */
import {
  CORS_REQUEST_ONLY_HEADERS,
  CORS_RESPONSE_HEADERS,
  FORBIDDEN_RESPONSE_HEADERS,
  LARGEST_MAX_AGE_SECONDS,
  MAX_AGE_CAP_SECONDS,
  MAX_HEADER_NAME_LENGTH,
  NORMALIZED_METHODS,
  SAFELISTED_METHODS,
  SAFELISTED_RESPONSE_HEADERS,
  isForbiddenMethod,
  isForbiddenRequestHeaderName,
  isToken,
} from '../protocol/fetch-standard.js';
import { isOriginProblem, isSecureOrigin, parseConfiguredOrigin } from '../protocol/origin.js';
import { CorsConfigError, describeValue, type CorsConfigProblem } from './errors.js';
import type { CorsDecision, CorsErrorContext, CorsOptions, CorsVerdictChange, CorsWarning, OriginPredicate } from './options.js';
import type { CorsProblemCode, CorsWarningCode } from './codes.js';
import { checkOriginRegex, literalHeads, literalTails } from './origin-regex.js';
import { classifyHost } from './public-suffixes.js';
import { CORS_RISK_OPT_INS, type CorsRiskCode } from './risks.js';

/** A `*.` or `:*` pattern, indexed by the host (or host suffix) it applies to. */
export interface OriginPattern {
  readonly scheme: string;
  readonly anySubdomain: boolean;
  /** A fixed port ('' for the default one), or '*'. */
  readonly port: string;
}

/** The immutable result of compiling options: what the policy reads per request. */
export interface CompiledConfig {
  readonly anyOrigin: boolean;
  readonly exactOrigins: ReadonlySet<string>;
  readonly allowNull: boolean;
  /** Keyed by exact host (port patterns) or by the suffix after `*.` (subdomain patterns). */
  readonly patterns: ReadonlyMap<string, readonly OriginPattern[]>;
  readonly regex: RegExp | undefined;
  readonly predicate: OriginPredicate | undefined;
  readonly predicateTimeout: number;
  readonly credentials: boolean;
  /** Allowed non-safelisted methods, or undefined for any method. */
  readonly methods: ReadonlySet<string> | undefined;
  /** `Access-Control-Allow-Methods` to send, or undefined to echo the requested method or send none. */
  readonly allowMethodsValue: string | undefined;
  /** Allowed request headers (lower case), or undefined for any header. */
  readonly headers: ReadonlySet<string> | undefined;
  readonly authorizationAllowed: boolean;
  /** `Access-Control-Allow-Headers` to send, or undefined to echo the validated request list. */
  readonly allowHeadersValue: string | undefined;
  /** Longest `Access-Control-Request-Headers` value worth reading. */
  readonly requestHeadersMaxLength: number;
  readonly exposeHeadersValue: string | undefined;
  readonly maxAgeValue: string | undefined;
  readonly preflightStatus: number;
  /** Whether answers depend on the request's Origin, so every response needs `Vary: Origin`. */
  readonly varyOnOrigin: boolean;
  /** `Vary` tokens for preflight responses, or undefined. */
  readonly preflightVary: string | undefined;
  readonly onError: (error: unknown, context: CorsErrorContext) => void;
  /** onWarning (or console.warn) for warnings found while answering requests; never throws. */
  readonly onRuntimeWarning: (warning: CorsWarning) => void;
  readonly onDecision: ((decision: CorsDecision) => void) | undefined;
  /** The report-only candidate (validated), or undefined. */
  readonly reportOnly: CompiledReportOnly | undefined;
}

export interface CompiledReportOnly {
  /** The candidate's options, its hooks set to this policy's (see CorsPolicy). */
  readonly options: CorsOptions;
  /** onChange, guarded: a throw goes to onError. */
  readonly onChange: (change: CorsVerdictChange) => void;
}

/** Longest `Access-Control-Request-Headers` read when any header is allowed. */
export const WILDCARD_REQUEST_HEADERS_MAX_LENGTH = 4096;

const KNOWN_OPTIONS: ReadonlySet<string> = new Set([
  'allowOrigins',
  'allowOriginRegex',
  'allowOriginPredicate',
  'allowCredentials',
  'allowMethods',
  'allowHeaders',
  'exposeHeaders',
  'maxAge',
  'preflightStatus',
  'originPredicateTimeout',
  ...Object.values(CORS_RISK_OPT_INS),
  'strict',
  'onWarning',
  'onError',
  'onDecision',
  'reportOnly',
]);

/** Names from Starlette and the Node CORS packages that users bring along. */
const FOREIGN_OPTION_NAMES: Readonly<Record<string, string>> = {
  allow_origins: 'allowOrigins',
  allow_origin_regex: 'allowOriginRegex',
  allow_credentials: 'allowCredentials',
  allow_methods: 'allowMethods',
  allow_headers: 'allowHeaders',
  expose_headers: 'exposeHeaders',
  max_age: 'maxAge',
  origin: 'allowOrigins (a list), allowOriginRegex or allowOriginPredicate',
  origins: 'allowOrigins',
  allowedOrigins: 'allowOrigins',
  credentials: 'allowCredentials',
  methods: 'allowMethods',
  allowedHeaders: 'allowHeaders',
  exposedHeaders: 'exposeHeaders',
  optionsSuccessStatus: 'preflightStatus',
  allowOrigin: 'allowOrigins',
  allowHeader: 'allowHeaders',
  exposeHeader: 'exposeHeaders',
};

const DEFAULT_PREDICATE_TIMEOUT_MS = 1000;
/** setTimeout stores its delay as a signed 32-bit integer; longer delays become 1 ms. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

function defaultOnError(error: unknown, context: CorsErrorContext): void {
  const where =
    context.source === 'handler'
      ? `${context.method ?? ''} ${context.url ?? ''}`.trim()
      : context.source === 'hook'
        ? 'onError, onWarning or onDecision threw'
        : `origin ${context.origin ?? ''}`;
  console.error(`corsguard: ${context.source} error (${where}):`, error);
}

function defaultOnWarning(warning: CorsWarning): void {
  console.warn(`corsguard warning: ${warning.message}`);
}

/** What each list option holds, for the fixes below: an example entry. */
const LIST_EXAMPLES: Readonly<Record<string, string>> = {
  allowOrigins: 'https://example.com',
  allowMethods: 'PUT',
  allowHeaders: 'X-Api-Key',
  exposeHeaders: 'X-Total-Count',
};

/**
 * Accepts one string or a list of strings. Each entry that cannot be one is recorded as a
 * problem of its own, with the migration mistake it usually is (a comma-separated string
 * from an environment variable or the `cors` package, an unset variable, a RegExp), and the
 * other entries are kept so that they are still checked.
 */
function toList(option: string, value: unknown, problems: CorsConfigProblem[]): string[] {
  if (value === undefined) return [];
  const entries: readonly unknown[] | undefined = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  if (entries === undefined) {
    problems.push({
      code: 'invalid-type',
      option,
      value: describeValue(value),
      reason: 'is not a string or a list of strings',
      fix:
        value instanceof RegExp && option === 'allowOrigins'
          ? `move it to allowOriginRegex: ${String(value)} (allowOrigins takes origins as strings)`
          : `give ${option} a list of strings, as in ['${LIST_EXAMPLES[option] ?? ''}']`,
    });
    return [];
  }
  const list: string[] = [];
  for (const entry of entries) {
    if (entry === undefined || entry === 'undefined') {
      problems.push({
        code: 'unset-value',
        option,
        value: describeValue(entry),
        reason:
          entry === undefined
            ? 'is not set (most often an environment variable that is missing)'
            : 'is the text of an unset value (most often a missing environment variable turned into a string)',
        fix: 'set the variable, or leave the entry out',
      });
    } else if (typeof entry === 'string' && entry.includes(',')) {
      // A comma never appears in an origin, a method or a header name: this is a list in one string.
      const parts = entry
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '');
      problems.push({
        code: 'comma-separated-list',
        option,
        value: describeValue(entry),
        reason: 'is several entries in one string (the format of an environment variable or of the cors package)',
        fix:
          `write a list, as in ${option}: [${parts.map((part) => `'${part}'`).join(', ')}] ` +
          "(from an environment variable: value.split(',').map((entry) => entry.trim()))",
      });
    } else if (entry instanceof RegExp) {
      problems.push({
        code: option === 'allowOrigins' ? 'regex-in-allow-origins' : 'invalid-type',
        option,
        value: describeValue(entry),
        reason: `is a RegExp, and ${option} takes strings`,
        fix:
          option === 'allowOrigins'
            ? `move it to allowOriginRegex: ${String(entry)} (one expression; join several with |)`
            : `write the names as strings, as in ['${LIST_EXAMPLES[option] ?? ''}']`,
      });
    } else if (typeof entry !== 'string') {
      problems.push({
        code: 'invalid-type',
        option,
        value: describeValue(entry),
        reason: 'is not a string',
        fix: `write it as a string, as in '${LIST_EXAMPLES[option] ?? ''}'`,
      });
    } else {
      list.push(entry);
    }
  }
  return list;
}

/** Splits `'*'` from the other entries of a list option. */
function splitWildcard(list: string[]): { wildcard: boolean; names: string[] } {
  const names = list.filter((v) => v !== '*');
  return { wildcard: names.length !== list.length, names };
}

/** The problems and warnings found so far, shared by the checks below. */
interface Findings {
  readonly problems: CorsConfigProblem[];
  readonly warnings: CorsWarning[];
  problem(code: CorsProblemCode, option: string, value: unknown, reason: string, fix: string): void;
  warn(code: CorsWarningCode, option: string, value: unknown, message: string): void;
  /**
   * A risk: a problem unless the options accept it by name. `reason` says what the risk is, `fix` the
   * safe alternative; the opt-in is named after it.
   */
  risk(code: CorsRiskCode, option: string, value: unknown, reason: string, fix: string): void;
  /** Records that the options accept a risk by name, before the checks that find risks run. */
  accept(code: CorsRiskCode): void;
}

function newFindings(): Findings {
  const problems: CorsConfigProblem[] = [];
  const warnings: CorsWarning[] = [];
  const accepted = new Set<CorsRiskCode>();
  const problem: Findings['problem'] = (code, option, value, reason, fix) => {
    problems.push({ code, option, value: describeValue(value), reason, fix });
  };
  return {
    problems,
    warnings,
    problem,
    warn: (code, option, value, message) => {
      warnings.push({ code, option, value: describeValue(value), message });
    },
    risk: (code, option, value, reason, fix) => {
      if (accepted.has(code)) return;
      problem(code, option, value, reason, `${fix}; or, to take that risk knowingly, set ${CORS_RISK_OPT_INS[code]}: true`);
    },
    accept: (code) => void accepted.add(code),
  };
}

/** Validates and compiles options. Throws CorsConfigError listing every problem. */
export function compileConfig(options: CorsOptions | undefined): CompiledConfig {
  const given = checkOptionsObject(options);
  const findings = newFindings();
  checkOptionNames(given, findings);
  const credentials = checkCredentials(given, findings);
  checkRiskOptIns(given, findings);
  const origins = compileOrigins(given, credentials, findings);
  const methods = compileMethods(given, credentials, findings);
  const headers = compileRequestHeaders(given, credentials, findings);
  const exposeHeadersValue = compileExposedHeaders(given, credentials, findings);
  const preflight = compilePreflight(given, findings);
  checkHookTypes(given, findings);
  const reportOnly = checkReportOnly(given.reportOnly, findings.problems, findings.warnings);
  if (given.strict === true) refuseWarnings(findings);
  if (findings.problems.length > 0) throw new CorsConfigError(findings.problems);
  const hooks = compileHooks(given, reportOnly);
  for (const w of findings.warnings) hooks.onWarning(Object.freeze(w));

  const preflightVaryTokens: string[] = [];
  if (origins.varyOnOrigin) preflightVaryTokens.push('Origin');
  if (methods.methods === undefined && credentials) preflightVaryTokens.push('Access-Control-Request-Method');
  if (headers.headers === undefined && credentials) preflightVaryTokens.push('Access-Control-Request-Headers');

  return Object.freeze({
    ...origins,
    credentials,
    ...methods,
    ...headers,
    exposeHeadersValue,
    ...preflight,
    preflightVary: preflightVaryTokens.length > 0 ? preflightVaryTokens.join(', ') : undefined,
    onError: hooks.onError,
    onRuntimeWarning: hooks.onRuntimeWarning,
    onDecision: hooks.onDecision,
    reportOnly: hooks.reportOnly,
  });
}

/** Refuses anything but an options object, before any other check can make sense. */
function checkOptionsObject(options: CorsOptions | undefined): CorsOptions {
  if (options !== null && typeof options === 'object') return options;
  if (typeof options === 'function') {
    throw new CorsConfigError([
      {
        code: 'invalid-type',
        option: 'options',
        value: 'a function',
        reason: 'was given where the options object belongs',
        fix: 'call the factory with an options object, as in cors({ allowOrigins: [...] })',
      },
    ]);
  }
  throw new CorsConfigError([
    {
      code: 'no-origins',
      option: 'options',
      value: describeValue(options),
      reason: 'is missing, so no origin would be allowed',
      fix: "pass options with allowOrigins, as in { allowOrigins: ['https://app.example.com'] }",
    },
  ]);
}

function checkOptionNames(options: CorsOptions, findings: Findings): void {
  for (const key of Object.keys(options)) {
    if (KNOWN_OPTIONS.has(key)) continue;
    const suggestion = FOREIGN_OPTION_NAMES[key] ?? closestOption(key);
    findings.problem(
      'unknown-option',
      key,
      (options as unknown as Record<string, unknown>)[key],
      'is not a corsguard option',
      suggestion === undefined ? `remove it; the options are ${[...KNOWN_OPTIONS].join(', ')}` : `use ${suggestion}`,
    );
  }
}

/**
 * The known option a mistyped name most likely means: the nearest by edit distance (case aside) when
 * it is at most 3 edits away, and for a `dangerously…` name always the nearest opt-in, since a
 * misspelt opt-in must not leave the user thinking the risk was accepted.
 */
function closestOption(key: string): string | undefined {
  const optIns: readonly string[] = Object.values(CORS_RISK_OPT_INS);
  const isOptIn = key.toLowerCase().startsWith('dangerously');
  let best: string | undefined;
  let bestDistance = isOptIn ? Infinity : 4;
  for (const name of isOptIn ? optIns : KNOWN_OPTIONS) {
    const distance = editDistance(key.toLowerCase(), name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  if (isOptIn) return `${best} (the risks that can be accepted by name are ${optIns.join(', ')})`;
  return best;
}

/** Levenshtein distance between two option names (short strings from the user's own configuration). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** Whether credentials are allowed; a value that is not a boolean is a problem, and counts as false from here on. */
function checkCredentials(options: CorsOptions, findings: Findings): boolean {
  const credentials: unknown = options.allowCredentials ?? false;
  if (typeof credentials === 'boolean') return credentials;
  findings.problem('invalid-type', 'allowCredentials', credentials, 'is not a boolean', 'write true or false');
  return false;
}

/** The `dangerously…` options: each a boolean; those set to true accept their risk for the checks that follow. */
function checkRiskOptIns(options: CorsOptions, findings: Findings): void {
  for (const [code, optIn] of Object.entries(CORS_RISK_OPT_INS) as [CorsRiskCode, string][]) {
    const value: unknown = (options as unknown as Record<string, unknown>)[optIn];
    if (value === true) findings.accept(code);
    else if (value !== undefined && value !== false) {
      findings.problem('invalid-type', optIn, value, 'is not a boolean', `write ${optIn}: true to accept that risk, or leave it out`);
    }
  }
}

type CompiledOrigins = Pick<
  CompiledConfig,
  'anyOrigin' | 'exactOrigins' | 'allowNull' | 'patterns' | 'regex' | 'predicate' | 'predicateTimeout' | 'varyOnOrigin'
>;

function compileOrigins(options: CorsOptions, credentials: boolean, findings: Findings): CompiledOrigins {
  const list = compileOriginList(options, credentials, findings);
  const regex = compileOriginRegex(options.allowOriginRegex, credentials, findings);
  const predicate = options.allowOriginPredicate;
  if (predicate !== undefined && typeof predicate !== 'function') {
    findings.problem(
      'invalid-type',
      'allowOriginPredicate',
      predicate,
      'is not a function',
      'write (origin) => boolean, or an async function',
    );
  }
  const predicateTimeout = checkPredicateTimeout(options, findings);
  checkSomeOriginAllowed(options, list.entries > 0, findings);
  return {
    anyOrigin: list.anyOrigin,
    exactOrigins: list.exactOrigins,
    allowNull: list.allowNull,
    patterns: list.patterns,
    regex,
    predicate,
    predicateTimeout,
    varyOnOrigin: !list.anyOrigin,
  };
}

/** allowOrigins: each entry parsed once, duplicates skipped, risky entries warned about. */
function compileOriginList(options: CorsOptions, credentials: boolean, findings: Findings) {
  const originList = toList('allowOrigins', options.allowOrigins, findings.problems);
  const exactOrigins = new Set<string>();
  const patterns = new Map<string, OriginPattern[]>();
  let anyOrigin = false;
  let allowNull = false;
  const seen = new Set<string>();
  for (const entry of originList) {
    if (seen.has(entry)) continue;
    seen.add(entry);
    const parsed = parseConfiguredOrigin(entry);
    if (isOriginProblem(parsed)) {
      const code = entry.includes('*') && !entry.includes('://*.') && !entry.endsWith(':*') ? 'invalid-origin-wildcard' : 'invalid-origin';
      findings.problem(code, 'allowOrigins', entry, `can never match an Origin header: ${parsed.reason}`, parsed.fix);
      continue;
    }
    switch (parsed.kind) {
      case 'any':
        anyOrigin = true;
        break;
      case 'null':
        allowNull = true;
        findings.risk(
          'null-origin',
          'allowOrigins',
          entry,
          'allows the origin null, which every sandboxed iframe and data: page on any site sends: it trusts every ' +
            'site that wants to be trusted',
          "remove 'null' and serve the page you test from http://localhost instead of file://",
        );
        break;
      case 'exact':
        exactOrigins.add(parsed.origin);
        if (credentials) refuseInsecureOrigin(entry, parsed.parts.scheme, parsed.parts.host, 'that origin', findings);
        break;
      case 'pattern': {
        const list = patterns.get(parsed.host) ?? [];
        list.push({ scheme: parsed.scheme, anySubdomain: parsed.anySubdomain, port: parsed.port });
        patterns.set(parsed.host, list);
        if (parsed.anySubdomain) refusePublicSuffixWildcard(entry, parsed.host, findings);
        if (credentials) refuseInsecureOrigin(entry, parsed.scheme, parsed.host, 'those origins', findings);
        break;
      }
    }
  }
  if (anyOrigin && seen.size > 1) {
    findings.problem(
      'wildcard-origin-mixed',
      'allowOrigins',
      originList,
      "mixes '*' with other origins, which makes them meaningless",
      "write ['*'] alone to allow every origin, or remove '*' and keep the list",
    );
  }
  if (anyOrigin && credentials) {
    findings.problem(
      'wildcard-origin-with-credentials',
      'allowOrigins',
      '*',
      'cannot be combined with allowCredentials: true: the CORS check fails `Access-Control-Allow-Origin: *` on ' +
        "credentialed requests, and answering with the caller's origin instead (what some CORS middleware does) would let " +
        "every site on the web read your users' data",
      "list the origins that need credentials, as in allowOrigins: ['https://app.example.com'], or set allowCredentials: false",
    );
  }
  return { anyOrigin, exactOrigins, allowNull, patterns, entries: seen.size };
}

/**
 * Refuses credentials to an origin that is not potentially trustworthy (Secure Contexts: plain `http`
 * other than localhost and loopback), unless accepted by name. `what`: "that origin" or "those origins".
 */
function refuseInsecureOrigin(entry: string, scheme: string, host: string, what: string, findings: Findings): void {
  if (isSecureOrigin(scheme, host)) return;
  findings.risk(
    'insecure-origin-with-credentials',
    'allowOrigins',
    entry,
    `is plain ${scheme} and allowCredentials is on: anyone on the network path can inject script into ${what} ` +
      'and read credentialed responses (only https, localhost and loopback origins are potentially trustworthy)',
    'serve the frontend over https',
  );
}

/** Refuses a `*.` pattern that trusts every subdomain of a public suffix (or of a host that hands them out). */
function refusePublicSuffixWildcard(entry: string, host: string, findings: Findings): void {
  const suffix = host !== 'localhost' ? classifyHost(host) : undefined;
  if (suffix === undefined || suffix.kind === 'private') return;
  findings.risk(
    'public-suffix-wildcard',
    'allowOrigins',
    entry,
    suffix.kind === 'public-suffix'
      ? `trusts every subdomain of ${host}, a public suffix where anyone can register one`
      : `trusts every subdomain of ${host}, which hands out public suffixes where anyone can get a subdomain ` +
          `(such as ${suffix.example}, on the Public Suffix List)`,
    'list your own hosts instead',
  );
}

/** allowOriginRegex: compiled to match the whole origin, refused when it could match more than meant. */
function compileOriginRegex(regexOption: CorsOptions['allowOriginRegex'], credentials: boolean, findings: Findings): RegExp | undefined {
  if (regexOption === undefined) return undefined;
  if (typeof regexOption !== 'string' && !(regexOption instanceof RegExp)) {
    findings.problem(
      'invalid-type',
      'allowOriginRegex',
      regexOption,
      'is not a string or a RegExp',
      'write a RegExp, as in /^https:\\/\\/[a-z0-9-]+\\.example\\.com$/',
    );
    return undefined;
  }
  const source = typeof regexOption === 'string' ? regexOption : regexOption.source;
  const flags = typeof regexOption === 'string' ? '' : regexOption.flags;
  if (/[gy]/.test(flags)) {
    findings.problem(
      'stateful-origin-regex',
      'allowOriginRegex',
      regexOption,
      'has the g or y flag, which makes test() remember its last position and alternate between allow and deny',
      'remove the g and y flags',
    );
    return undefined;
  }
  let regex: RegExp;
  try {
    // Compiled alone first: a source such as `a)|(.*` is invalid alone but valid once
    // wrapped, where it would close the wrapper's group and allow every origin.
    new RegExp(source, flags);
    // Always matched against the whole serialized origin (scheme://host[:port]), never a part of it.
    regex = new RegExp(`^(?:${source})$`, flags);
  } catch (error) {
    findings.problem(
      'invalid-origin-regex',
      'allowOriginRegex',
      regexOption,
      `is not a valid JavaScript regular expression (${(error as Error).message})`,
      'fix the expression (every parenthesis closed in the expression itself); an expression written for another ' +
        'language may need translating, as (?P<name>...) becomes (?<name>...)',
    );
    return undefined;
  }
  for (const problem of checkOriginRegex(source, flags)) {
    findings.problem(problem.code, 'allowOriginRegex', regexOption, problem.reason, problem.fix);
  }
  if (regex.test('null')) {
    findings.risk(
      'null-origin',
      'allowOriginRegex',
      regexOption,
      'matches the origin null, which every sandboxed iframe and data: page on any site sends',
      'make the expression match only scheme://host origins',
    );
  }
  probeOriginRegex(regex, regexOption, credentials, findings);
  return regex;
}

/** A label anyone could register under a public suffix, to probe an `allowOriginRegex` with. */
const PROBE_LABEL = 'attacker';

/**
 * Refuses an `allowOriginRegex` that takes a risk its options have not accepted, found by probing it
 * with origins that take the risk: hosts anyone can register (under `com`, `github.io` and the suffix
 * the expression ends with, when that one is public, and look-alikes of the domain it ends with, as
 * `attackerexample.com` and `attacker-example.com` for `[a-z]+example\.com`), and with credentials, the
 * same hosts and the hosts the expression names over plain http. Every way the expression can end is
 * read (literalTails). A match is proof, so this never refuses a sound expression; a risky expression
 * whose hosts it does not guess is not refused.
 */
function probeOriginRegex(regex: RegExp, regexOption: string | RegExp, credentials: boolean, findings: Findings): void {
  const publicHosts = [`${PROBE_LABEL}.com`, `${PROBE_LABEL}.github.io`];
  const insecureHosts = [`${PROBE_LABEL}.com`];
  for (const tail of literalTails(typeof regexOption === 'string' ? regexOption : regexOption.source)) {
    probeHostsOfTail(tail.toLowerCase(), publicHosts, insecureHosts);
  }
  const publicOrigin = [
    ...publicHosts.flatMap((host) => [`https://${host}`, `http://${host}`]),
    ...probeOriginsPastHead(typeof regexOption === 'string' ? regexOption : regexOption.source),
  ].find((o) => regex.test(o));
  if (publicOrigin !== undefined) {
    findings.risk(
      'public-suffix-wildcard',
      'allowOriginRegex',
      regexOption,
      `matches ${publicOrigin}, a host under a public suffix (Public Suffix List) where anyone can register one`,
      'match only your own hosts, as in /^https:\\/\\/[a-z0-9-]+\\.example\\.com$/',
    );
  }
  if (!credentials) return;
  const insecureOrigin = insecureHosts.map((host) => `http://${host}`).find((o) => !isLoopbackOrigin(o) && regex.test(o));
  if (insecureOrigin !== undefined) {
    findings.risk(
      'insecure-origin-with-credentials',
      'allowOriginRegex',
      regexOption,
      `matches ${insecureOrigin}, plain http, and allowCredentials is on: anyone on the network path can inject ` +
        'script into that origin and read credentialed responses (only https, localhost and loopback origins are potentially trustworthy)',
      'match https origins only, as in /^https:\\/\\/app\\.example\\.com$/',
    );
  }
}

/**
 * Origins that go on past the host an expression starts with, under a domain anyone can register:
 * `https://example.com.attacker.com` for `^https://example\.com.*$`, `https://app.example.attacker.com`
 * for `^https://app\.example\..*$`. Only heads that hold a scheme and the start of a host are used.
 */
function probeOriginsPastHead(source: string): string[] {
  return literalHeads(source)
    .map((head) => head.toLowerCase())
    .filter((head) => /^[a-z][a-z0-9+.-]*:\/\/[a-z0-9.-]+$/.test(head))
    .map((head) => `${head}${head.endsWith('.') ? '' : '.'}${PROBE_LABEL}.com`);
}

/**
 * Adds the hosts one tail of the expression suggests: the host it ends with, exact after `://`; for a
 * `.suffix`, a subdomain of it (and, when the suffix is public, that subdomain as anyone's); for a tail
 * that starts inside a label (`example.com` after `[a-z]+`), the domains that end with the same text,
 * anyone's to register when the rest of the tail is a public suffix.
 */
function probeHostsOfTail(tail: string, publicHosts: string[], insecureHosts: string[]): void {
  const scheme = tail.lastIndexOf('://');
  if (scheme !== -1) {
    insecureHosts.push(tail.slice(scheme + 3));
  } else if (tail.startsWith('.')) {
    const suffix = tail.slice(1);
    if (suffix === '') return;
    const named = `${PROBE_LABEL}.${suffix}`;
    insecureHosts.push(named);
    const verdict = classifyHost(suffix);
    if (verdict.kind === 'public-suffix') publicHosts.push(named);
    else if (verdict.kind === 'hosts-public-suffixes')
      publicHosts.push(`${PROBE_LABEL}.${verdict.example.replaceAll('<name>', PROBE_LABEL)}`);
  } else {
    const dot = tail.indexOf('.');
    if (dot !== -1 && dot < tail.length - 1 && classifyHost(tail.slice(dot + 1)).kind === 'public-suffix') {
      publicHosts.push(`${PROBE_LABEL}${tail}`, `${PROBE_LABEL}-${tail}`);
    }
  }
}

/** Whether a probe origin `http://host[:port]` is loopback (Secure Contexts), which needs no opt-in. */
function isLoopbackOrigin(origin: string): boolean {
  const host = origin.slice('http://'.length).replace(/:[0-9]*$/, '');
  return isSecureOrigin('http', host);
}

function checkPredicateTimeout(options: CorsOptions, findings: Findings): number {
  const predicateTimeout: unknown = options.originPredicateTimeout ?? DEFAULT_PREDICATE_TIMEOUT_MS;
  if (typeof predicateTimeout !== 'number' || !Number.isFinite(predicateTimeout) || predicateTimeout <= 0) {
    findings.problem(
      'invalid-timeout',
      'originPredicateTimeout',
      predicateTimeout,
      'is not a positive number of milliseconds',
      'write a number such as 1000',
    );
  } else if (predicateTimeout > LONGEST_TIMER_MS) {
    findings.problem(
      'invalid-timeout',
      'originPredicateTimeout',
      predicateTimeout,
      `is longer than a timer can wait (${LONGEST_TIMER_MS} ms, about 24.8 days): setTimeout would fire after 1 ms ` +
        'instead, and every asynchronous predicate would time out',
      'write a number of milliseconds such as 1000 (a predicate that needs more than a few seconds holds every request up)',
    );
  }
  return predicateTimeout as number;
}

/** Refuses options that allow no origin at all, unless a problem already reported explains why. */
function checkSomeOriginAllowed(options: CorsOptions, listsAnOrigin: boolean, findings: Findings): void {
  if (listsAnOrigin || options.allowOriginRegex !== undefined || options.allowOriginPredicate !== undefined) return;
  // An unknown option (often the origins under another library's name) or a broken
  // allowOrigins entry is already reported: "allows no origin" would be a false second problem.
  if (findings.problems.some((p) => p.code === 'unknown-option' || p.option === 'allowOrigins')) return;
  findings.problem(
    'no-origins',
    'allowOrigins',
    options.allowOrigins,
    'allowOrigins' in options && options.allowOrigins === undefined
      ? 'is not set (most often an environment variable that is missing), so every cross-origin request would be blocked'
      : 'allows no origin at all, so every cross-origin request would be blocked',
    "list the origins of your frontends, as in allowOrigins: ['https://app.example.com'] (or '*' for a public API without credentials)",
  );
}

function compileMethods(
  options: CorsOptions,
  credentials: boolean,
  findings: Findings,
): Pick<CompiledConfig, 'methods' | 'allowMethodsValue'> {
  const methodList = splitWildcard(toList('allowMethods', options.allowMethods, findings.problems));
  const methods = new Set<string>();
  for (const raw of methodList.names) {
    if (!isToken(raw)) {
      findings.problem('invalid-method', 'allowMethods', raw, 'is not a valid HTTP method name', 'write a method such as PUT or DELETE');
      continue;
    }
    if (isForbiddenMethod(raw)) {
      findings.problem('forbidden-method', 'allowMethods', raw, 'is a forbidden method that browsers never let a script send', 'remove it');
      continue;
    }
    const upper = raw.toUpperCase();
    // fetch() upper-cases these six, so 'put' and 'PUT' are the same method on the wire.
    const method = NORMALIZED_METHODS.has(upper) ? upper : raw;
    if (method !== upper) {
      findings.warn(
        'lower-case-method',
        'allowMethods',
        raw,
        `'${raw}' is matched byte for byte: browsers send fetch(url, { method: '${raw}' }) as '${raw}' but ` +
          `method: '${upper}' as '${upper}'. List '${upper}' unless your frontend really sends '${raw}'.`,
      );
    }
    if (!SAFELISTED_METHODS.has(method)) methods.add(method);
  }
  if (methodList.wildcard) return { methods: undefined, allowMethodsValue: credentials ? undefined : '*' };
  const sortedMethods = [...methods].sort();
  return { methods, allowMethodsValue: sortedMethods.length > 0 ? sortedMethods.join(', ') : undefined };
}

function compileRequestHeaders(
  options: CorsOptions,
  credentials: boolean,
  findings: Findings,
): Pick<CompiledConfig, 'headers' | 'authorizationAllowed' | 'allowHeadersValue' | 'requestHeadersMaxLength'> {
  const headerList = splitWildcard(toList('allowHeaders', options.allowHeaders, findings.problems));
  const headers = new Set<string>();
  for (const raw of headerList.names) {
    const name = raw.toLowerCase();
    if (!isToken(raw) || raw.length > MAX_HEADER_NAME_LENGTH) {
      findings.problem('invalid-header', 'allowHeaders', raw, 'is not a valid header name', 'write a header name such as X-Api-Key');
    } else if (isForbiddenRequestHeaderName(name)) {
      findings.problem(
        'forbidden-header',
        'allowHeaders',
        raw,
        'is a forbidden request header that browsers set themselves and scripts cannot',
        'remove it',
      );
    } else if (CORS_RESPONSE_HEADERS.has(name)) {
      findings.problem(
        'response-header-as-request-header',
        'allowHeaders',
        raw,
        'is a response header of the CORS protocol; browsers never send it, the server does',
        'remove it (corsguard sends it for you)',
      );
    } else {
      headers.add(name);
    }
  }
  const authorizationAllowed = headers.has('authorization');
  if (headerList.wildcard) {
    return {
      headers: undefined,
      authorizationAllowed,
      // `*` never covers Authorization, so it must be named when it is allowed.
      allowHeadersValue: credentials ? undefined : authorizationAllowed ? '*, authorization' : '*',
      requestHeadersMaxLength: WILDCARD_REQUEST_HEADERS_MAX_LENGTH,
    };
  }
  const sortedHeaders = [...headers].sort();
  return {
    headers,
    authorizationAllowed,
    allowHeadersValue: sortedHeaders.length > 0 ? sortedHeaders.join(', ') : undefined,
    requestHeadersMaxLength: sortedHeaders.reduce((sum, h) => sum + h.length + 4, 0) + 16 * 2,
  };
}

/** exposeHeaders: the `Access-Control-Expose-Headers` value, or undefined. */
function compileExposedHeaders(options: CorsOptions, credentials: boolean, findings: Findings): string | undefined {
  const exposeList = splitWildcard(toList('exposeHeaders', options.exposeHeaders, findings.problems));
  const exposed: string[] = [];
  const exposedSeen = new Set<string>();
  for (const raw of exposeList.names) {
    const name = raw.toLowerCase();
    if (!isToken(raw) || raw.length > MAX_HEADER_NAME_LENGTH) {
      findings.problem(
        'invalid-exposed-header',
        'exposeHeaders',
        raw,
        'is not a valid header name',
        'write a header name such as X-Total-Count',
      );
    } else if (FORBIDDEN_RESPONSE_HEADERS.has(name)) {
      findings.problem(
        'forbidden-exposed-header',
        'exposeHeaders',
        raw,
        'can never be read by scripts, whatever the server says',
        'remove it',
      );
    } else if (CORS_REQUEST_ONLY_HEADERS.has(name)) {
      findings.problem(
        'request-header-as-exposed-header',
        'exposeHeaders',
        raw,
        'is a request header; it never appears on a response',
        'remove it',
      );
    } else if (!SAFELISTED_RESPONSE_HEADERS.has(name) && !exposedSeen.has(name)) {
      exposedSeen.add(name);
      exposed.push(raw);
    }
  }
  if (exposeList.wildcard && credentials) {
    findings.problem(
      'wildcard-expose-with-credentials',
      'exposeHeaders',
      '*',
      'means "every header" only without credentials; on credentialed requests browsers read it as a header named *',
      "list the headers the frontend reads, as in exposeHeaders: ['X-Total-Count']",
    );
  }
  if (exposeList.wildcard) return exposed.length > 0 ? `*, ${exposed.join(', ')}` : '*';
  return exposed.length > 0 ? exposed.join(', ') : undefined;
}

/** maxAge and preflightStatus. */
function compilePreflight(options: CorsOptions, findings: Findings): Pick<CompiledConfig, 'maxAgeValue' | 'preflightStatus'> {
  let maxAgeValue: string | undefined;
  const maxAge: unknown = options.maxAge;
  if (maxAge !== undefined) {
    if (typeof maxAge !== 'number' || !Number.isInteger(maxAge) || maxAge < 0 || maxAge > LARGEST_MAX_AGE_SECONDS) {
      findings.problem(
        'invalid-max-age',
        'maxAge',
        maxAge,
        `is not a whole number of seconds from 0 to ${LARGEST_MAX_AGE_SECONDS}; browsers ignore a negative or ` +
          `unparsable value and cap the rest (Chromium ${MAX_AGE_CAP_SECONDS.chromium} s, Firefox ` +
          `${MAX_AGE_CAP_SECONDS.firefox} s, WebKit ${MAX_AGE_CAP_SECONDS.webkit} s)`,
        'write a number such as 600, or 0 to disable preflight caching',
      );
    } else {
      maxAgeValue = String(maxAge);
    }
  }
  const preflightStatus: unknown = options.preflightStatus ?? 204;
  if (typeof preflightStatus !== 'number' || !Number.isInteger(preflightStatus) || preflightStatus < 200 || preflightStatus > 299) {
    findings.problem(
      'invalid-preflight-status',
      'preflightStatus',
      preflightStatus,
      'is not a 2xx status; browsers fail every preflight answered with another status',
      'write 204 (the default) or 200',
    );
  }
  return { maxAgeValue, preflightStatus: preflightStatus as number };
}

/** The hooks are functions, and strict a boolean. */
function checkHookTypes(options: CorsOptions, findings: Findings): void {
  for (const name of ['onWarning', 'onError', 'onDecision'] as const) {
    const hook = options[name];
    if (hook !== undefined && typeof hook !== 'function') {
      findings.problem('invalid-type', name, hook, 'is not a function', 'pass a function or leave it out');
    }
  }
  if (options.strict !== undefined && typeof options.strict !== 'boolean') {
    findings.problem('invalid-type', 'strict', options.strict, 'is not a boolean', 'write true or false');
  }
}

/** strict: true turns every warning into a problem (risks are problems already, unless accepted by name). */
function refuseWarnings(findings: Findings): void {
  for (const w of findings.warnings) {
    findings.problems.push({
      code: w.code,
      option: w.option,
      value: w.value,
      reason: `is refused because strict is on: ${w.message}`,
      fix: 'change it, or turn strict off',
    });
  }
}

/**
 * The hooks, each guarded: they run in the middle of a request, and one that throws must
 * neither escape into the server (a crash) nor leave an origin-predicate promise unsettled
 * (a hung request).
 */
function compileHooks(
  options: CorsOptions,
  reportOnly: { options: CorsOptions; onChange: (change: CorsVerdictChange) => void } | undefined,
): Pick<CompiledConfig, 'onError' | 'onRuntimeWarning' | 'onDecision' | 'reportOnly'> & { onWarning: (warning: CorsWarning) => void } {
  const onWarning = options.onWarning ?? defaultOnWarning;
  const userOnError = options.onError ?? defaultOnError;
  const onError = (error: unknown, context: CorsErrorContext): void => {
    try {
      userOnError(error, context);
    } catch (hookError) {
      defaultOnError(error, context);
      defaultOnError(hookError, { source: 'hook' });
    }
  };
  const onDecision = options.onDecision;
  const onChange = reportOnly?.onChange;
  return {
    onWarning,
    onError,
    onRuntimeWarning: (warning: CorsWarning) => {
      try {
        onWarning(warning);
      } catch (error) {
        onError(error, { source: 'hook' });
      }
    },
    onDecision:
      onDecision === undefined
        ? undefined
        : (decision: CorsDecision) => {
            try {
              onDecision(decision);
            } catch (error) {
              onError(error, { source: 'hook', origin: decision.origin });
            }
          },
    reportOnly:
      reportOnly === undefined || onChange === undefined
        ? undefined
        : {
            options: { ...reportOnly.options, onWarning: () => {}, onError },
            onChange: (change: CorsVerdictChange) => {
              try {
                onChange(change);
              } catch (error) {
                onError(error, { source: 'hook', origin: change.origin });
              }
            },
          },
  };
}

/** Options a report-only candidate has no use for: its hooks are those of the enforced policy. */
const REPORT_ONLY_HOOKS = ['onWarning', 'onError', 'onDecision', 'reportOnly'] as const;

/**
 * Validates the `reportOnly` option: its shape, and the candidate's options as the enforced ones
 * are validated, each problem and warning of the candidate under `reportOnly.options.<option>`.
 * Returns the candidate's options (without hooks) and onChange, or undefined when there is none
 * or it has a problem.
 */
function checkReportOnly(
  value: unknown,
  problems: CorsConfigProblem[],
  warnings: CorsWarning[],
): { options: CorsOptions; onChange: (change: CorsVerdictChange) => void } | undefined {
  if (value === undefined) return undefined;
  const example = "write reportOnly: { options: { allowOrigins: ['https://app.example.com'] }, onChange: (change) => log.info(change) }";
  const problem = (code: CorsProblemCode, option: string, given: unknown, reason: string, fix: string): undefined => {
    problems.push({ code, option, value: describeValue(given), reason, fix });
    return undefined;
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return problem('invalid-type', 'reportOnly', value, 'is not an object', example);
  }
  const given = value as Record<string, unknown>;
  const before = problems.length;
  for (const key of Object.keys(given)) {
    if (key !== 'options' && key !== 'onChange') {
      problem(
        'unknown-option',
        `reportOnly.${key}`,
        given[key],
        'is not a reportOnly field',
        'remove it; reportOnly has options and onChange',
      );
    }
  }
  const onChange = given.onChange;
  if (typeof onChange !== 'function') {
    problem(
      'invalid-type',
      'reportOnly.onChange',
      onChange,
      'is not a function',
      'pass (change) => ..., which receives each request whose verdict would change',
    );
  }
  const candidate = given.options;
  if (candidate === null || typeof candidate !== 'object' || Array.isArray(candidate)) {
    return problem('invalid-type', 'reportOnly.options', candidate, 'is not an options object', example);
  }
  const own: Record<string, unknown> = { ...(candidate as Record<string, unknown>) };
  for (const hook of REPORT_ONLY_HOOKS) {
    if (own[hook] === undefined) continue;
    problem(
      'report-only-hook',
      `reportOnly.options.${hook}`,
      own[hook],
      "is not used by a report-only policy: its warnings and errors go to the enforced policy's hooks, its changes to reportOnly.onChange",
      'remove it',
    );
    delete own[hook];
  }
  const candidateWarnings: CorsWarning[] = [];
  try {
    compileConfig({ ...(own as unknown as CorsOptions), onWarning: (warning) => candidateWarnings.push(warning) });
  } catch (error) {
    if (!(error instanceof CorsConfigError)) throw error;
    for (const p of error.problems) problems.push({ ...p, option: `reportOnly.options.${p.option}` });
  }
  for (const w of candidateWarnings) warnings.push({ ...w, option: `reportOnly.options.${w.option}` });
  if (problems.length > before) return undefined;
  return { options: own as unknown as CorsOptions, onChange: onChange as (change: CorsVerdictChange) => void };
}
