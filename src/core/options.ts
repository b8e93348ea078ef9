/**
 * What a user configures: which requests the CORS protocol of the Fetch standard lets through
 * (https://fetch.spec.whatwg.org/#http-cors-protocol), each option deciding one response header.
 * The README maps the names of Starlette's CORSMiddleware and the Node CORS packages to these.
 */
import type { CorsWarningCode } from './codes.js';
import type { CorsRequest } from './request.js';

// ---- Per-request context (issue 13, item 2): what the predicate and onDecision see. ----

/**
 * Decides whether an origin is allowed, for allow lists that live in a database or depend on
 * a tenant. It receives only syntactically valid origins (or `null`), never garbage, and the
 * request (`request.host`, `request.path`, `request.method`, `request.header(name)`, and
 * `request.context`, the framework's own object: Express and node `req`, Koa `ctx`, Fastify
 * `request`, Hono `c` (so Workers' `c.env` is reachable), the fetch `Request`, the Lambda
 * event). A throw, a rejection or a timeout denies the origin and is reported through `onError`.
 */
export type OriginPredicate = (origin: string, request: CorsRequest) => boolean | Promise<boolean>;

/** What `onDecision` receives for each request with an Origin. */
export interface CorsDecision {
  readonly kind: 'preflight' | 'actual';
  readonly origin: string;
  readonly allowed: boolean;
  /** Plain-words reason, e.g. `origin allowed` or `header x-api-key is not allowed`. */
  readonly reason: string;
  /** For preflights, the status the response gets. */
  readonly status?: number;
  /** The request's method (`OPTIONS` for a preflight). */
  readonly method?: string;
  /** The request's path, without its query, where the adapter knows it. */
  readonly path?: string;
  /** For preflights, `Access-Control-Request-Method`. */
  readonly requestMethod?: string;
  /** For preflights that carry it, `Access-Control-Request-Headers`. */
  readonly requestHeaders?: string;
}

// ---- end of the per-request context block ----

/**
 * The options. At least one of `allowOrigins`, `allowOriginRegex` and `allowOriginPredicate` is
 * required: without one no origin could ever be allowed, so `cors({})` and `app.use(cors)` (the
 * factory not called) fail to compile. JavaScript callers get the same refusal at construction.
 */
export type CorsOptions = CorsOptionFields &
  ({ allowOrigins: string | readonly string[] } | { allowOriginRegex: string | RegExp } | { allowOriginPredicate: OriginPredicate });

/** Every option, each one optional; {@link CorsOptions} adds the requirement of an origin option. */
export interface CorsOptionFields {
  /**
   * Origins allowed to read responses: exact origins (`https://example.com`), subdomain
   * patterns (`https://*.example.com`), port patterns (`http://localhost:*`), the literal
   * `'null'` (refused unless `dangerouslyAllowNullOrigin`), or `'*'` for every origin. Decides
   * `Access-Control-Allow-Origin`, which the CORS check compares with the request's `Origin`.
   */
  allowOrigins?: string | readonly string[];
  /**
   * A regular expression the request's serialized origin must match in full, scheme included.
   * Refused: a source that does not compile on its own, an unescaped
   * dot between host labels, a source that can never match a whole origin, and a repeated
   * group that can match one text in several ways (exponential backtracking). One found to match
   * `null`, hosts under a public suffix, or (with credentials) plain-http origins is refused unless
   * that risk is accepted by name (`dangerously…`).
   */
  allowOriginRegex?: string | RegExp;
  /** A synchronous or asynchronous decision for origins not allowed by the options above. */
  allowOriginPredicate?: OriginPredicate;
  /**
   * Answer requests whose credentials mode is `include` (cookies, HTTP authentication) with
   * `Access-Control-Allow-Credentials: true`, without which the CORS check fails them. Default false.
   */
  allowCredentials?: boolean;
  /**
   * Methods allowed beyond the CORS-safelisted GET, HEAD and POST, or `'*'`.
   * Default: none (only the safelisted methods). Decides `Access-Control-Allow-Methods` in the
   * answer to a CORS-preflight request.
   */
  allowMethods?: string | readonly string[];
  /**
   * Request headers allowed beyond the CORS-safelisted ones, or `'*'`. Default none. Decides
   * `Access-Control-Allow-Headers` in the answer to a CORS-preflight request.
   */
  allowHeaders?: string | readonly string[];
  /**
   * Response headers scripts may read beyond the CORS-safelisted ones, or `'*'` (not with
   * credentials): `Access-Control-Expose-Headers`.
   */
  exposeHeaders?: string | readonly string[];
  /**
   * Seconds a browser may cache a preflight answer (0 to 86400). Default: not sent, so browsers
   * use 5 seconds (the Fetch standard's default for the CORS-preflight cache). `0` disables
   * caching. `Access-Control-Max-Age`.
   */
  maxAge?: number;
  /** Status of a successful preflight response, 200 to 299. Default 204. */
  preflightStatus?: number;
  /**
   * Milliseconds an asynchronous `allowOriginPredicate` may take before the origin is denied.
   * Default 1000; at most 2147483647 (2^31 - 1), the longest delay `setTimeout` keeps.
   */
  originPredicateTimeout?: number;
  /**
   * Accept the risk of allowing the origin `null` (an `allowOrigins` entry `'null'`, or an
   * `allowOriginRegex` that matches it): every sandboxed iframe and `data:` page on any site sends
   * `Origin: null`, so it trusts every site that wants to be trusted. Refused without it. Default false.
   */
  dangerouslyAllowNullOrigin?: boolean;
  /**
   * Accept the risk of allowing credentials to origins that are not potentially trustworthy
   * (plain `http`; `http://localhost`, `*.localhost`, `127.0.0.0/8` and `[::1]` are trustworthy and
   * need no opt-in): anyone on the network path can inject script into such a page and read
   * credentialed responses. Refused without it. Default false.
   */
  dangerouslyAllowInsecureOriginsWithCredentials?: boolean;
  /**
   * Accept the risk of a subdomain pattern (`https://*.github.io`) or an `allowOriginRegex` that
   * covers a public suffix, where anyone can register a subdomain (Public Suffix List). Refused
   * without it. Default false.
   */
  dangerouslyAllowPublicSuffixWildcards?: boolean;
  /**
   * Turn configuration warnings (settings that work but are probably not what was meant, such as a
   * lower-case `allowMethods` entry) into errors. Risks are refused anyway, unless accepted by name
   * with a `dangerously…` option. Default false.
   */
  strict?: boolean;
  /**
   * Receives configuration warnings at construction, and once per header name a
   * `foreign-cors-header` warning when another CORS layer set a CORS header on a response
   * corsguard answers. Default: `console.warn`.
   */
  onWarning?: (warning: CorsWarning) => void;
  /**
   * Receives errors corsguard caught: a handler that threw or rejected (answered with a 500
   * that keeps its CORS headers), or an origin predicate that failed. Default: `console.error`.
   */
  onError?: (error: unknown, context: CorsErrorContext) => void;
  /** Debug hook: called with the decision and its reason for every CORS request. */
  onDecision?: (decision: CorsDecision) => void;
  /**
   * A candidate policy decided beside this one for every CORS request, the way CSP has
   * `Content-Security-Policy-Report-Only`: it writes nothing, and each request whose verdict it
   * would change is reported to `onChange`, so a stricter policy can be tried in production
   * before it is enforced.
   */
  reportOnly?: CorsReportOnly;
}

/** The `reportOnly` option: a candidate policy and where its differences go. */
export interface CorsReportOnly {
  /**
   * The candidate's options, validated at startup like these (its problems are reported under
   * `reportOnly.options.<option>`). Without hooks of its own: its origin predicate's failures go
   * to this policy's `onError`, its changes to `onChange`.
   */
  readonly options: CorsOptions;
  /**
   * Called for each CORS request whose verdict the candidate would change, once the candidate has
   * decided (after the response, if its origin predicate is asynchronous). A throw goes to
   * `onError` (source `hook`) and changes nothing.
   */
  readonly onChange: (change: CorsVerdictChange) => void;
}

/** What a policy answers one CORS request. */
export interface CorsVerdict {
  readonly allowed: boolean;
  /** Plain-words reason, as in CorsDecision. */
  readonly reason: string;
  /** For preflights, the status the response gets. */
  readonly status?: number;
}

/** A request the report-only candidate would answer otherwise than the enforced policy. */
export interface CorsVerdictChange {
  readonly kind: 'preflight' | 'actual';
  readonly origin: string;
  /** The request's method; for a preflight, the method it asks for (`Access-Control-Request-Method`). */
  readonly method?: string;
  /** The request's path, without its query, where the adapter knows it. */
  readonly path?: string;
  /** What was sent. */
  readonly enforced: CorsVerdict;
  /** What the candidate would have sent. */
  readonly candidate: CorsVerdict;
}

export interface CorsErrorContext {
  /**
   * Where the error came from: the request handler, the origin predicate, or one of the
   * `onError`/`onWarning`/`onDecision` hooks themselves (a throwing hook never breaks a request).
   */
  readonly source: 'handler' | 'origin-predicate' | 'hook';
  readonly method?: string;
  readonly url?: string;
  readonly origin?: string;
}

export interface CorsWarning {
  /** Stable identifier, for programs; each is listed with its meaning in docs/codes.md. */
  readonly code: CorsWarningCode;
  /** The option concerned (for `foreign-cors-header`, the one that decides that header). */
  readonly option: string;
  /** The configured value; for `foreign-cors-header`, the other layer's header value, as it was. */
  readonly value: string;
  /** For `foreign-cors-header`: the header's name, e.g. `Access-Control-Allow-Origin`. */
  readonly header?: string;
  readonly message: string;
}
