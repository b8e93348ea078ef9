/**
 * The CORS policy: pure, synchronous unless an asynchronous origin predicate says otherwise,
 * and free of I/O. An adapter reads the request once (a CorsRequest, see request.ts), asks
 * `decide`, and writes the answer on its response with `writePreflight` or `writeActual`
 * through a HeaderWriter for that response.
 */
import { HEADER, MAX_ORIGIN_LENGTH, SAFELISTED_METHODS, isForbiddenMethod, isToken } from '../protocol/fetch-standard.js';
import { checkRequestHeaderList, parseTokenList, varyTokens } from '../protocol/header-list.js';
import { parseSerializedOrigin, type OriginParts } from '../protocol/origin.js';
import { compileConfig, type CompiledConfig, type OriginPattern } from './config.js';
import type { CorsDecision, CorsOptions, CorsVerdict, CorsVerdictChange } from './options.js';
import { readRequest, type CorsRequest } from './request.js';

/** How the policy writes response headers on whatever an adapter's response is. */
export interface HeaderWriter<Target> {
  /** Sets a header, replacing any value another layer gave it. */
  set(target: Target, name: string, value: string): void;
  /** Removes a header (a denied origin must not keep another layer's CORS headers). */
  remove(target: Target, name: string): void;
  /** Adds tokens to `Vary`, keeping what is there and adding nothing twice (see mergeVary). */
  appendVary(target: Target, tokens: string): void;
  /**
   * Reads a header (given in lower case) as one string, repeated values joined with `, `, or
   * undefined when absent. With it, the policy sees CORS headers another layer set, makes its own
   * answer win over them and reports them (`foreign-cors-header`); a writer without it gets the
   * policy's headers written as they are, and nothing else checked.
   */
  get?(target: Target, name: string): string | undefined;
}

/**
 * What the policy answers a preflight (`OPTIONS` with `Origin` and
 * `Access-Control-Request-Method`). The adapter writes it with `writePreflight` and sends it
 * with this status and body; the handler is never called for a preflight.
 */
export interface PreflightAnswer {
  readonly kind: 'preflight';
  readonly allowed: boolean;
  readonly status: number;
  /** Plain-text explanation for a refused preflight ('' when allowed). */
  readonly body: string;
  /** Plain-words reason, e.g. `allowed` or `header x-api-key is not allowed`. */
  readonly reason: string;
  /** The step that refused it, in the browser's order, or undefined when allowed. */
  readonly refusedBy: 'origin' | 'method' | 'request-headers' | undefined;
}

/**
 * What the policy answers any other request: whether the response lets the origin read it.
 * The adapter writes it with `writeActual` and lets the handler run.
 */
export interface ActualAnswer {
  readonly kind: 'actual';
  /** False too for a request without `Origin` (not a CORS request). */
  readonly allowed: boolean;
  /** `origin allowed`, `origin not allowed` or `no Origin header`. */
  readonly reason: string;
}

/**
 * What `CorsPolicy.decide` answers: frozen, and the same object for the same outcome (only
 * refusals naming a requested method or header are built on demand), so a handler may keep it
 * (`res.locals.cors`, `c.get('cors')`) and compare it.
 */
export type CorsAnswer = PreflightAnswer | ActualAnswer;

const ALLOWED_REASON = 'allowed';

/**
 * Origins whose pattern and regex decision is remembered. Browsers send the same few origins
 * over and over, and the decision is a pure function of the configuration; the bound keeps
 * an attacker who sends endless distinct origins from growing it (it starts over when full).
 */
const ORIGIN_MEMO_LIMIT = 1024;
/** The memo's answer for a value that is not a serialized origin at all. */
const NOT_AN_ORIGIN = 0;
const MATCHED = 1;
const NOT_MATCHED = 2;
type OriginVerdict = typeof NOT_AN_ORIGIN | typeof MATCHED | typeof NOT_MATCHED;
/**
 * Longest requested method echoed back when any method is allowed. Registered methods are at
 * most 17 characters (UPDATEREDIRECTREF); a longer token is refused instead of being copied
 * into the response, so a request cannot make its answer grow with it.
 */
const MAX_ECHOED_METHOD_LENGTH = 64;
/** `Access-Control-Request-Headers` values whose verdict is remembered (see #checkRequestHeaders). */
const REQUEST_HEADERS_MEMO_LIMIT = 256;

function refusal(status: number, body: string, reason: string, refusedBy: PreflightAnswer['refusedBy']): PreflightAnswer {
  return Object.freeze({ kind: 'preflight', allowed: false, status, body, reason, refusedBy });
}

const ORIGIN_REFUSED = refusal(
  403,
  "CORS preflight refused: this origin is not allowed by the server's CORS policy.\n",
  'origin not allowed',
  'origin',
);

function actualAnswer(allowed: boolean, reason: string): ActualAnswer {
  return Object.freeze({ kind: 'actual', allowed, reason });
}
const ORIGIN_ALLOWED_ANSWER = actualAnswer(true, 'origin allowed');
const ORIGIN_DENIED_ANSWER = actualAnswer(false, 'origin not allowed');
const NO_ORIGIN_ANSWER = actualAnswer(false, 'no Origin header');

/**
 * What a refused origin's preflight must not carry, whoever set it (an earlier middleware): each
 * header as written and in lower case (for reads).
 */
const CORS_RESPONSE_HEADERS: readonly string[] = [
  HEADER.allowOrigin,
  HEADER.allowCredentials,
  HEADER.exposeHeaders,
  HEADER.allowMethods,
  HEADER.allowHeaders,
  HEADER.maxAge,
];
const CORS_RESPONSE_HEADERS_LOWER: readonly string[] = CORS_RESPONSE_HEADERS.map((name) => name.toLowerCase());

/** The CORS headers of an actual response, as written and in lower case (for reads). */
const ALLOW_ORIGIN = 'access-control-allow-origin';
const ALLOW_CREDENTIALS = 'access-control-allow-credentials';
const EXPOSE_HEADERS = 'access-control-expose-headers';

/** The option that decides each header of an actual response, named in foreign-cors-header warnings. */
const OPTION_OF_HEADER: Readonly<Record<string, string>> = {
  [HEADER.allowOrigin]: 'allowOrigins',
  [HEADER.allowCredentials]: 'allowCredentials',
  [HEADER.exposeHeaders]: 'exposeHeaders',
  [HEADER.allowMethods]: 'allowMethods',
  [HEADER.allowHeaders]: 'allowHeaders',
  [HEADER.maxAge]: 'maxAge',
};

/**
 * Appends Vary tokens to an existing value, case-insensitively without duplicates.
 * Returns undefined when the existing value already covers them (including `Vary: *`).
 */
export function mergeVary(existing: string | undefined, tokens: string): string | undefined {
  if (existing === undefined || existing === '') return tokens;
  const present = varyTokens(existing);
  if (present.includes('*')) return undefined;
  let merged = existing;
  for (const token of parseTokenList(tokens) ?? []) {
    const lower = token.toLowerCase();
    if (present.includes(lower)) continue;
    present.push(lower);
    merged += `, ${token}`;
  }
  return merged === existing ? undefined : merged;
}

/**
 * Whether a port or subdomain pattern allows the origin. Subdomain patterns are keyed by
 * their suffix, so only suffixes of at most `suffixLabels` labels (the deepest configured one)
 * can match: they are looked up from the right, and a host of 150 labels costs no more than
 * one of 3.
 */
function matchesPattern(patterns: ReadonlyMap<string, readonly OriginPattern[]>, suffixLabels: number, origin: OriginParts): boolean {
  const host = origin.host;
  if (hasMatch(patterns.get(host), origin, false)) return true;
  let dot = host.length;
  for (let labels = 1; labels <= suffixLabels && dot > 0; labels++) {
    dot = host.lastIndexOf('.', dot - 1);
    // No label left of this suffix: it is the whole host, which `*.` does not match.
    if (dot <= 0) break;
    if (hasMatch(patterns.get(host.slice(dot + 1)), origin, true)) return true;
  }
  return false;
}

/** The most labels in the suffix of a configured subdomain pattern (0 when there is none). */
function deepestSubdomainSuffix(patterns: ReadonlyMap<string, readonly OriginPattern[]>): number {
  let deepest = 0;
  for (const [suffix, list] of patterns) {
    if (!list.some((p) => p.anySubdomain)) continue;
    let labels = 1;
    for (let i = suffix.indexOf('.'); i !== -1; i = suffix.indexOf('.', i + 1)) labels++;
    if (labels > deepest) deepest = labels;
  }
  return deepest;
}

function hasMatch(list: readonly OriginPattern[] | undefined, origin: OriginParts, subdomain: boolean): boolean {
  if (list === undefined) return false;
  for (const p of list) {
    if (p.anySubdomain === subdomain && p.scheme === origin.scheme && (p.port === '*' || p.port === origin.port)) {
      return true;
    }
  }
  return false;
}

function describeToken(value: string, what: string): string {
  return value.length <= 64 && isToken(value) ? `${what} ${value}` : `the requested ${what}`;
}

const ACTUAL_ALLOWED: CorsVerdict = Object.freeze({ allowed: true, reason: 'origin allowed' });
const ACTUAL_DENIED: CorsVerdict = Object.freeze({ allowed: false, reason: 'origin not allowed' });

function actualVerdict(allowed: boolean): CorsVerdict {
  return allowed ? ACTUAL_ALLOWED : ACTUAL_DENIED;
}

function preflightVerdict(answer: PreflightAnswer): CorsVerdict {
  return Object.freeze({ allowed: answer.allowed, reason: answer.reason, status: answer.status });
}

function verdictOf(answer: CorsAnswer): CorsVerdict {
  return answer.kind === 'preflight' ? preflightVerdict(answer) : actualVerdict(answer.allowed);
}

/** What `onDecision` receives about one CORS request. */
function decisionEvent(request: CorsRequest, origin: string, answer: CorsAnswer): CorsDecision {
  const event: { -readonly [K in keyof CorsDecision]: CorsDecision[K] } = {
    kind: answer.kind,
    origin,
    allowed: answer.allowed,
    reason: answer.reason,
  };
  if (answer.kind === 'preflight') event.status = answer.status;
  event.method = request.method;
  const path = request.path;
  if (path !== undefined) event.path = path;
  if (answer.kind === 'preflight') {
    event.requestMethod = request.requestMethod;
    const requestHeaders = request.requestHeaders;
    if (requestHeaders !== undefined) event.requestHeaders = requestHeaders;
  }
  return event;
}

/** A request that carries only an Origin, for allowsOrigin asked without one. */
function originOnly(origin: string): CorsRequest {
  return readRequest('GET', undefined, origin, (value, name) => (name === 'origin' ? value : undefined), undefined);
}

/**
 * A compiled, immutable CORS policy. Construct it once (options are validated and every
 * header value is precomputed), then use it for every request.
 */
export class CorsPolicy {
  readonly #config: CompiledConfig;
  readonly #preflightAllowed: PreflightAnswer;
  readonly #originMemo = new Map<string, OriginVerdict>();
  /** Refusals by `Access-Control-Request-Headers` value (null: allowed). */
  readonly #requestHeadersMemo = new Map<string, PreflightAnswer | null>();
  readonly #allowedMethodsText: string;
  /** Longer requested methods are refused unread: MAX_ECHOED_METHOD_LENGTH, or the longest listed. */
  readonly #longestAllowedMethod: number;
  /** See matchesPattern. */
  readonly #subdomainSuffixLabels: number;
  /**
   * `Access-Control-Allow-Methods` of a method refusal. Never absent: with no header and the
   * use-CORS-preflight flag set, the Fetch standard grants the requested method. Never `*`:
   * that grants every method to a request without credentials. The configured methods, or
   * the safelisted ones when none are listed (or when any is allowed: only a method no
   * browser can send is then refused).
   */
  readonly #methodRefusalAllowMethods: string;
  readonly #allowedHeadersText: string;
  readonly #malformedRequestHeaders: PreflightAnswer;
  /** Names of headers already reported as another layer's (foreign-cors-header: once per name). */
  readonly #reportedForeign = new Set<string>();
  /** The report-only candidate (see the reportOnly option), which never writes a header. */
  readonly #candidate: CorsPolicy | undefined;

  constructor(options: CorsOptions) {
    const c = compileConfig(options);
    this.#config = c;
    this.#preflightAllowed = Object.freeze({
      kind: 'preflight',
      allowed: true,
      status: c.preflightStatus,
      body: '',
      reason: ALLOWED_REASON,
      refusedBy: undefined,
    });
    this.#subdomainSuffixLabels = deepestSubdomainSuffix(c.patterns);
    this.#longestAllowedMethod =
      c.methods === undefined ? MAX_ECHOED_METHOD_LENGTH : Math.max(4, ...[...c.methods].map((method) => method.length));
    // The texts of refusals, for curl users: worked out once, not per refused request.
    this.#allowedMethodsText = c.methods === undefined ? 'any' : ['GET', 'HEAD', 'POST', ...c.methods].join(', ');
    this.#methodRefusalAllowMethods =
      c.methods !== undefined && c.allowMethodsValue !== undefined ? c.allowMethodsValue : [...SAFELISTED_METHODS].join(', ');
    if (c.headers === undefined) this.#allowedHeadersText = c.authorizationAllowed ? 'any' : 'any except Authorization';
    else this.#allowedHeadersText = c.headers.size === 0 ? 'only CORS-safelisted ones' : [...c.headers].join(', ');
    this.#malformedRequestHeaders = this.#requestHeadersRefusal(
      'Access-Control-Request-Headers is not a valid list of header names, or is too long',
    );
    this.#candidate = c.reportOnly === undefined ? undefined : new CorsPolicy(c.reportOnly.options);
    Object.freeze(this);
  }

  /** Whether answers depend on the request's Origin (every response then carries `Vary: Origin`). */
  get variesByOrigin(): boolean {
    return this.#config.varyOnOrigin;
  }

  /** Reports an error caught by an adapter (a handler that threw) to the `onError` option. */
  reportError(error: unknown, request: CorsRequest): void {
    this.#config.onError(error, { source: 'handler', method: request.method, url: request.url, origin: request.origin });
  }

  /**
   * Whether `origin` may read responses. Synchronous unless an asynchronous predicate has to
   * be asked; the promise never rejects (a failing predicate denies and reports). The predicate
   * receives `request` (without one, a request that carries only this Origin).
   */
  allowsOrigin(origin: string, request?: CorsRequest): boolean | Promise<boolean> {
    const c = this.#config;
    if (c.anyOrigin) return true;
    if (origin.length > MAX_ORIGIN_LENGTH) return false;
    if (c.exactOrigins.has(origin)) return true;
    if (origin === 'null') {
      if (c.allowNull) return true;
      if (c.regex !== undefined && c.regex.test(origin)) return true;
    } else {
      if (c.patterns.size === 0 && c.regex === undefined && c.predicate === undefined) return false;
      const verdict = this.#originMemo.get(origin) ?? this.#matchOrigin(origin);
      if (verdict === MATCHED) return true;
      // Only what a browser could send reaches the predicate.
      if (verdict === NOT_AN_ORIGIN) return false;
    }
    if (c.predicate !== undefined) return this.#askPredicate(origin, request ?? originOnly(origin));
    return false;
  }

  /** Patterns and the regex for an origin other than `null`, remembered (see ORIGIN_MEMO_LIMIT). */
  #matchOrigin(origin: string): OriginVerdict {
    const c = this.#config;
    // Only what a browser could send reaches patterns and the regex.
    const parts = parseSerializedOrigin(origin);
    let verdict: OriginVerdict;
    if (parts === undefined) verdict = NOT_AN_ORIGIN;
    else if (c.patterns.size > 0 && matchesPattern(c.patterns, this.#subdomainSuffixLabels, parts)) verdict = MATCHED;
    else if (c.regex !== undefined && c.regex.test(origin)) verdict = MATCHED;
    else verdict = NOT_MATCHED;
    const memo = this.#originMemo;
    if (memo.size >= ORIGIN_MEMO_LIMIT) memo.clear();
    memo.set(origin, verdict);
    return verdict;
  }

  /**
   * Asks the predicate. Whatever it does (throws, returns a thenable whose `then` throws, is a
   * throwing getter, answers twice or never), the result is a boolean or a promise that never
   * rejects, and every failure goes to `onError` with the origin denied.
   */
  #askPredicate(origin: string, request: CorsRequest): boolean | Promise<boolean> {
    const c = this.#config;
    const report = (error: unknown): false => {
      c.onError(error, { source: 'origin-predicate', origin });
      return false;
    };
    let answer: unknown;
    let then: unknown;
    try {
      answer = c.predicate!(origin, request);
      if (typeof answer === 'boolean') return answer;
      if (answer === null || (typeof answer !== 'object' && typeof answer !== 'function')) return false;
      // Read once: a getter may throw, or answer differently on a second read.
      then = (answer as { then?: unknown }).then;
    } catch (error) {
      return report(error);
    }
    if (typeof then !== 'function') return false;
    const thenable = answer;
    const askThen = then as (onFulfilled: (value: unknown) => void, onRejected: (error: unknown) => void) => unknown;
    return new Promise<boolean>((resolve) => {
      let answers = 0;
      let insideThen = true;
      // What `then` answered while it was still running (resolved once it returns).
      let early: boolean | undefined;
      const timer = setTimeout(() => {
        answers++;
        resolve(report(new Error(`allowOriginPredicate did not answer within ${c.predicateTimeout} ms; the origin was denied`)));
      }, c.predicateTimeout);
      const settle = (allowed: boolean, error?: { readonly cause: unknown }): void => {
        answers++;
        if (answers > 1) {
          // Both callbacks, or one twice, while `then` still runs: nothing was answered yet,
          // so the origin is denied. Later, the first answer (or the timeout) stands, and a
          // late answer is ignored, as a promise would ignore it.
          if (insideThen) {
            if (answers === 2)
              report(new Error('the thenable returned by allowOriginPredicate answered more than once; the origin was denied'));
            early = false;
          }
          return;
        }
        clearTimeout(timer);
        const verdict = error === undefined ? allowed : report(error.cause);
        if (insideThen) early = verdict;
        else resolve(verdict);
      };
      try {
        askThen.call(
          thenable,
          (value) => settle(value === true),
          (cause) => settle(false, { cause }),
        );
      } catch (error) {
        if (answers === 0) settle(false, { cause: error });
        else {
          // It answered, then threw: a broken predicate, so no answer of it is trusted.
          early = false;
          report(error);
        }
      }
      insideThen = false;
      if (early !== undefined) resolve(early);
    });
  }

  /**
   * Decides one request: a preflight's answer (the policy classifies it: `OPTIONS` with
   * `Origin` and `Access-Control-Request-Method`), or whether an actual response lets the origin
   * read it. The answer is frozen and preallocated; a promise only when an asynchronous origin
   * predicate runs, and it never rejects. `onDecision` and the report-only candidate hear of it.
   */
  decide(request: CorsRequest): CorsAnswer | Promise<CorsAnswer> {
    const origin = request.origin;
    if (origin === undefined) return NO_ORIGIN_ANSWER;
    const allowed = this.allowsOrigin(origin, request);
    if (typeof allowed === 'boolean') return this.#decided(request, origin, allowed);
    return allowed.then((value) => this.#decided(request, origin, value));
  }

  #decided(request: CorsRequest, origin: string, originAllowed: boolean): CorsAnswer {
    const c = this.#config;
    const answer = this.#answer(request, originAllowed);
    if (c.onDecision !== undefined) c.onDecision(decisionEvent(request, origin, answer));
    if (this.#candidate !== undefined) this.#reportOnly(this.#candidate, request, origin, answer);
    return answer;
  }

  /** The answer for a request with an Origin, once the origin's verdict is known. */
  #answer(request: CorsRequest, originAllowed: boolean): CorsAnswer {
    const requestMethod = request.requestMethod;
    if (request.method !== 'OPTIONS' || requestMethod === undefined) return originAllowed ? ORIGIN_ALLOWED_ANSWER : ORIGIN_DENIED_ANSWER;
    if (!originAllowed) return ORIGIN_REFUSED;
    return this.#preflightForAllowedOrigin(requestMethod, request.requestHeaders);
  }

  /**
   * Writes the CORS headers of an actual (non-preflight) response, whatever its status. With a
   * writer that can read (`get`), CORS headers another layer already put on the response are
   * replaced or removed and reported (see settleActual). `settledLater`: the adapter writes
   * before the handler runs and calls settleActual again when the head is written; the headers
   * an allowed origin gets are then written without first reading what was there.
   */
  writeActual<T>(target: T, writer: HeaderWriter<T>, request: CorsRequest, answer: ActualAnswer, settledLater = false): void {
    const c = this.#config;
    const origin = request.origin;
    const allowed = answer.allowed;
    const vary = !c.anyOrigin;
    if (!settledLater || (vary && !(allowed && origin !== undefined))) {
      this.#settleActual(target, writer, origin, allowed, vary);
      return;
    }
    if (vary) writer.appendVary(target, 'Origin');
    this.#writeActualBlind(target, writer, origin, allowed);
  }

  /** Asks the report-only candidate about the request; reports a different verdict. */
  #reportOnly(candidate: CorsPolicy, request: CorsRequest, origin: string, enforced: CorsAnswer): void {
    const compare = (originAllowed: boolean): void => {
      const answer = candidate.#answer(request, originAllowed);
      if (answer.allowed === enforced.allowed) return;
      this.#reportChange(enforced.kind, request, origin, verdictOf(enforced), verdictOf(answer));
    };
    // An asynchronous candidate predicate is answered after the response: it delays nothing.
    const verdict = candidate.allowsOrigin(origin, request);
    if (typeof verdict === 'boolean') compare(verdict);
    else verdict.then(compare);
  }

  #reportChange(
    kind: CorsVerdictChange['kind'],
    request: CorsRequest,
    origin: string,
    enforced: CorsVerdict,
    candidate: CorsVerdict,
  ): void {
    const change: CorsVerdictChange = { kind, origin, enforced, candidate };
    // For a preflight, the method it asks for.
    const method = kind === 'preflight' ? request.requestMethod : request.method;
    if (method !== undefined) (change as { method?: string }).method = method;
    const path = request.path;
    if (path !== undefined) (change as { path?: string }).path = path;
    this.#config.reportOnly!.onChange(Object.freeze(change));
  }

  /**
   * Makes an actual response's `Access-Control-Allow-Origin`, `-Allow-Credentials` and
   * `-Expose-Headers` this policy's answer, whoever set them: for a denied origin or a request
   * without one, none of them; for an allowed one, exactly the policy's values. Adapters whose
   * handler runs after the policy wrote (writeActual with `settledLater`) call it again at the
   * moment the response's head is written, so that a header the handler or a later layer set
   * (Nest's `cors: true`, the `cors` package) cannot reach a denied origin or replace the
   * answer. Each such header is reported once per header name through `onWarning`
   * (`foreign-cors-header`). Reads (`writer.get`) are all it costs when no other layer interferes.
   */
  settleActual<T>(target: T, writer: HeaderWriter<T>, request: CorsRequest, answer: ActualAnswer): void {
    this.#settleActual(target, writer, request.origin, answer.allowed);
  }

  /** `vary`: `Origin` is added to `Vary` too, after the reads and before the CORS headers. */
  #settleActual<T>(target: T, writer: HeaderWriter<T>, origin: string | undefined, allowed: boolean, vary = false): void {
    const c = this.#config;
    if (writer.get === undefined) {
      if (vary) writer.appendVary(target, 'Origin');
      this.#writeActualBlind(target, writer, origin, allowed);
      return;
    }
    // All three are read before anything is written: no write changes what a read finds, and on
    // node:http a read costs next to nothing until the response has its first header (getHeader
    // returns before any lookup), so a policy writing first on a fresh response pays little.
    const foundOrigin = writer.get(target, ALLOW_ORIGIN);
    const foundCredentials = writer.get(target, ALLOW_CREDENTIALS);
    const foundExpose = writer.get(target, EXPOSE_HEADERS);
    if (vary) writer.appendVary(target, 'Origin');
    let allowOrigin: string | undefined;
    let credentials: string | undefined;
    let expose: string | undefined;
    if (c.anyOrigin) {
      allowOrigin = '*';
      expose = c.exposeHeadersValue;
    } else if (allowed && origin !== undefined) {
      allowOrigin = origin;
      credentials = c.credentials ? 'true' : undefined;
      expose = c.exposeHeadersValue;
    }
    this.#settleFound(target, writer, HEADER.allowOrigin, foundOrigin, allowOrigin, origin);
    this.#settleFound(target, writer, HEADER.allowCredentials, foundCredentials, credentials, origin);
    this.#settleFound(target, writer, HEADER.exposeHeaders, foundExpose, expose, origin);
  }

  /** writeActual's headers for a writer that cannot read: set, or removed for a denied origin. */
  #writeActualBlind<T>(target: T, writer: HeaderWriter<T>, origin: string | undefined, allowed: boolean): void {
    const c = this.#config;
    if (c.anyOrigin) {
      writer.set(target, HEADER.allowOrigin, '*');
      if (c.exposeHeadersValue !== undefined) writer.set(target, HEADER.exposeHeaders, c.exposeHeadersValue);
    } else if (allowed && origin !== undefined) {
      writer.set(target, HEADER.allowOrigin, origin);
      if (c.credentials) writer.set(target, HEADER.allowCredentials, 'true');
      if (c.exposeHeadersValue !== undefined) writer.set(target, HEADER.exposeHeaders, c.exposeHeadersValue);
    } else {
      writer.remove(target, HEADER.allowOrigin);
      writer.remove(target, HEADER.allowCredentials);
      writer.remove(target, HEADER.exposeHeaders);
    }
  }

  /**
   * Gives one header the policy's value (undefined: absent). A value another layer put there is
   * reported first; the policy's own value, already there, costs one read.
   */
  #settle<T>(
    target: T,
    writer: HeaderWriter<T>,
    name: string,
    lowerName: string,
    value: string | undefined,
    origin: string | undefined,
  ): void {
    this.#settleFound(target, writer, name, writer.get!(target, lowerName), value, origin);
  }

  /** #settle, given what the header holds now (`found`, read by the caller). */
  #settleFound<T>(
    target: T,
    writer: HeaderWriter<T>,
    name: string,
    found: string | undefined,
    value: string | undefined,
    origin: string | undefined,
  ): void {
    if (found === value) return;
    if (found !== undefined) this.#reportForeign(name, found, value, origin);
    if (value === undefined) writer.remove(target, name);
    else writer.set(target, name, value);
  }

  /**
   * Warns, once per header name for this policy, that another CORS layer set a header corsguard
   * answers. Never throws: the hook is guarded like onError (see compileConfig).
   */
  #reportForeign(name: string, found: string, value: string | undefined, origin: string | undefined): void {
    const reported = this.#reportedForeign;
    if (reported.has(name)) return;
    reported.add(name);
    const to = origin === undefined ? 'a request without Origin' : `origin ${origin}`;
    const outcome = value === undefined ? 'removed it' : `sent ${name}: ${value} instead`;
    this.#config.onRuntimeWarning(
      Object.freeze({
        code: 'foreign-cors-header',
        option: OPTION_OF_HEADER[name] ?? name,
        value: found,
        header: name,
        message:
          `another CORS layer set ${name}: ${found} on a response to ${to}; corsguard ${outcome}. ` +
          "Remove the other layer (Nest's cors: true or enableCors(), the cors package, CORS headers set in a handler, " +
          "a proxy's add_header) and configure CORS in corsguard's options only.",
      }),
    );
  }

  /**
   * Writes the headers of a preflight's answer (send it with the answer's status and body).
   * For an allowed origin, `Access-Control-Allow-Origin` and the allow lists, so that a browser
   * names the method or header it refuses; for a denied origin, no CORS header at all, whoever
   * set it.
   */
  writePreflight<T>(target: T, writer: HeaderWriter<T>, request: CorsRequest, answer: PreflightAnswer): void {
    const c = this.#config;
    const origin = request.origin!;
    if (c.preflightVary !== undefined) writer.appendVary(target, c.preflightVary);
    if (answer.refusedBy === 'origin') {
      if (writer.get === undefined) for (const name of CORS_RESPONSE_HEADERS) writer.remove(target, name);
      else
        for (let i = 0; i < CORS_RESPONSE_HEADERS.length; i++)
          this.#settle(target, writer, CORS_RESPONSE_HEADERS[i]!, CORS_RESPONSE_HEADERS_LOWER[i]!, undefined, origin);
      return;
    }
    writer.set(target, HEADER.allowOrigin, c.anyOrigin ? '*' : origin);
    if (c.credentials) writer.set(target, HEADER.allowCredentials, 'true');
    if (answer.refusedBy !== undefined) {
      // The origin passed, so answer 2xx with the real allow lists: the browser then reports
      // the method or header as the failing step instead of a missing Allow-Origin.
      if (answer.refusedBy === 'method') writer.set(target, HEADER.allowMethods, this.#methodRefusalAllowMethods);
      else if (c.methods !== undefined && c.allowMethodsValue !== undefined) writer.set(target, HEADER.allowMethods, c.allowMethodsValue);
      if (c.headers !== undefined && c.allowHeadersValue !== undefined) writer.set(target, HEADER.allowHeaders, c.allowHeadersValue);
      return;
    }
    const allowMethods = c.allowMethodsValue ?? (c.methods === undefined ? request.requestMethod : undefined);
    if (allowMethods !== undefined) writer.set(target, HEADER.allowMethods, allowMethods);
    const requestHeaders = request.requestHeaders;
    if (requestHeaders !== undefined && requestHeaders !== '') {
      writer.set(target, HEADER.allowHeaders, c.allowHeadersValue ?? requestHeaders);
    }
    if (c.maxAgeValue !== undefined) writer.set(target, HEADER.maxAge, c.maxAgeValue);
  }

  /** The answer to a preflight from an allowed origin. Steps follow the browser's order: method, then headers. */
  #preflightForAllowedOrigin(requestMethod: string, requestHeaders: string | undefined): PreflightAnswer {
    const c = this.#config;
    if (requestMethod.length <= 4 && SAFELISTED_METHODS.has(requestMethod)) {
      // Always allowed.
    } else if (requestMethod.length > this.#longestAllowedMethod) {
      // Refused before any lookup, which would read the whole value.
      const reason =
        requestMethod.length > MAX_ECHOED_METHOD_LENGTH
          ? `the requested method is longer than ${MAX_ECHOED_METHOD_LENGTH} characters`
          : `${describeToken(requestMethod, 'method')} is not allowed`;
      return this.#methodRefusal(reason);
    } else if (c.methods === undefined ? !isToken(requestMethod) || isForbiddenMethod(requestMethod) : !c.methods.has(requestMethod)) {
      return this.#methodRefusal(`${describeToken(requestMethod, 'method')} is not allowed`);
    }
    if (requestHeaders !== undefined && requestHeaders !== '') {
      const refused = this.#checkRequestHeaders(requestHeaders);
      if (refused !== undefined) return refused;
    }
    return this.#preflightAllowed;
  }

  #methodRefusal(reason: string): PreflightAnswer {
    return refusal(200, `CORS preflight refused: ${reason}. Allowed methods: ${this.#allowedMethodsText}.\n`, reason, 'method');
  }

  /**
   * The refusal an `Access-Control-Request-Headers` value earns, or undefined when every
   * name in it is allowed. Browsers send the same few lists over and over, so verdicts on
   * short values are remembered (bounded like the origin memo); a value too long to be
   * worth reading is refused without being looked at, let alone remembered.
   */
  #checkRequestHeaders(value: string): PreflightAnswer | undefined {
    const c = this.#config;
    if (value.length > c.requestHeadersMaxLength) return this.#malformedRequestHeaders;
    const memo = this.#requestHeadersMemo;
    const known = memo.get(value);
    if (known !== undefined) return known ?? undefined;
    const verdict = checkRequestHeaderList(
      value,
      c.headers,
      c.requestHeadersMaxLength,
      c.authorizationAllowed ? undefined : 'authorization',
    );
    let refused: PreflightAnswer | undefined;
    if (!verdict.ok) {
      if (verdict.name === undefined) {
        refused = this.#malformedRequestHeaders;
      } else {
        let reason = `${describeToken(verdict.name, 'header')} is not allowed`;
        if (verdict.name === 'authorization' && c.headers === undefined) {
          reason += " ('*' never covers Authorization: list it in allowHeaders)";
        }
        refused = this.#requestHeadersRefusal(reason);
      }
    }
    if (memo.size >= REQUEST_HEADERS_MEMO_LIMIT) memo.clear();
    memo.set(value, refused ?? null);
    return refused;
  }

  #requestHeadersRefusal(reason: string): PreflightAnswer {
    return refusal(
      200,
      `CORS preflight refused: ${reason}. Allowed request headers: ${this.#allowedHeadersText}.\n`,
      reason,
      'request-headers',
    );
  }
}
