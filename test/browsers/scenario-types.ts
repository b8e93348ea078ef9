/**
 * The shape of a browser conformance scenario. Plain, JSON-safe data: the same table drives
 * the real-browser suite and can be replayed through `corsguard check`.
 */

/** The browser engines the suite drives. */
export type EngineName = 'chromium' | 'firefox' | 'webkit';
export const ENGINE_NAMES: readonly EngineName[] = ['chromium', 'firefox', 'webkit'];

/**
 * Where the calling page lives, relative to the API at `http://localhost:<api port>`:
 * - `same-origin`: on the API server itself (`http://localhost:<api port>/page.html`): fetch uses no
 *   CORS at all (`{page}` in `allowOrigins` is not available for it).
 * - `cross-site`: `http://127.0.0.1:<page port>` (another site; cookies are third-party).
 * - `same-site`: `http://localhost:<page port>` (same site, another origin; SameSite=Lax cookies flow).
 * - `file`: a `file://` page (the browser sends `Origin: null`).
 * - `sandboxed-iframe`: a `<iframe sandbox="allow-scripts">` inside the cross-site page (`Origin: null`).
 */
export type PageKind = 'cross-site' | 'same-site' | 'file' | 'sandboxed-iframe' | 'same-origin';

/**
 * Stands for the calling page's origin inside `options.allowOrigins` (its port is only known at
 * run time). `file` and `sandboxed-iframe` pages have the origin `null`, so they use `'null'`.
 */
export const PAGE_ORIGIN = '{page}';

/** corsguard options as plain data (no functions): the subset of CorsOptions a table can hold. */
export interface ScenarioOptions {
  readonly allowOrigins?: string | readonly string[];
  readonly allowOriginRegex?: string;
  readonly allowCredentials?: boolean;
  readonly allowMethods?: string | readonly string[];
  readonly allowHeaders?: string | readonly string[];
  readonly exposeHeaders?: string | readonly string[];
  readonly maxAge?: number;
  readonly preflightStatus?: number;
  readonly dangerouslyAllowNullOrigin?: boolean;
}

/**
 * Routes of the test API (the same in every server):
 * - `items`: 200 JSON `{route, method, authorization, apiKey, cookie, contentHeaders}` (the request's
 *   `Content-*` headers among Type, Language, Encoding, Location and Disposition, by name), with `X-Total-Count: 42` and `Custom-Header: hello`.
 * - `error`: the handler returns 500 with JSON `{"error":"database unavailable"}` and `X-Request-Id: req-500`.
 * - `missing` (any unknown route): 404 with JSON `{"error":"not found"}` and `X-Request-Id: req-404`.
 * - `throw`: the handler throws synchronously; `reject`: its promise rejects (corsguard answers 500).
 * - `login`: 200 JSON, sets the cookie `session=<scenario id>` (`Path` scoped to the scenario, `SameSite=Lax`, `HttpOnly`).
 * - `login-unmarked`: the same cookie without a SameSite attribute (each browser applies its own default).
 * - `login-none`: the same cookie with `SameSite=None; Secure` (a third-party cookie for a cross-site page; `localhost` counts as secure).
 * - `redirect`: 307 to `items` on the same API (a redirect keeps the method and body).
 * - `redirect-away`: 307 to `items` on the same server under its other name (`127.0.0.1`): another origin,
 *   so the browser sends `Origin: null` after the redirect.
 * - `whoami`: 200 JSON `{cookie}` with the Cookie header the API received (or null).
 * - `redirect-302`, `redirect-303`: a 302 / 303 to `items` on the same API (a POST becomes a GET).
 * - `redirect-userinfo`: 307 to `items` on the same API, with `user:secret@` in the URL.
 * - `redirect-data`: 307 to `data:text/plain,redirected`.
 * - `redirect-two-locations`: 307 with two `Location` lines, `items` then `whoami`, and
 *   `Access-Control-Allow-Origin: *` (answered in front of corsguard: the frameworks built on
 *   fetch's `Headers` can only send one joined line).
 */
export type ApiRoute =
  | 'items'
  | 'error'
  | 'missing'
  | 'throw'
  | 'reject'
  | 'login'
  | 'login-unmarked'
  | 'login-none'
  | 'whoami'
  | 'redirect'
  | 'redirect-away'
  | 'redirect-302'
  | 'redirect-303'
  | 'redirect-userinfo'
  | 'redirect-data'
  | 'redirect-two-locations';

export interface ScenarioRequest {
  readonly method: string;
  readonly route: ApiRoute;
  /** Request headers the page sets; as a list of pairs to set one name twice. */
  readonly headers?: Readonly<Record<string, string>> | readonly (readonly [string, string])[];
  /** `fetch`'s credentials mode; the browser default is `same-origin`. */
  readonly credentials?: 'omit' | 'same-origin' | 'include';
  readonly body?: string;
  /** `fetch`'s cache mode (default `default`). Some engines skip the preflight cache for `no-store`. */
  readonly cache?: 'default' | 'no-store' | 'reload' | 'no-cache';
  /** Response headers the page tries to read with `response.headers.get()`. */
  readonly readHeaders?: readonly string[];
  /**
   * `xhr-upload`: an XMLHttpRequest with an upload progress listener (which sets the standard's
   * use-CORS-preflight flag) instead of fetch. The page reads no headers then.
   */
  readonly api?: 'fetch' | 'xhr-upload';
}

/** What a user of the page would notice, for one request. */
export interface RequestExpectation {
  /** `succeeds`: fetch resolves and the page reads the response; `blocked`: fetch rejects with a network error. */
  readonly outcome: 'succeeds' | 'blocked';
  /** Status the page sees (only when it succeeds). */
  readonly status?: number;
  /** Text the response body the page reads must contain (only when it succeeds). */
  readonly bodyIncludes?: string;
  /** Text the body must not contain. */
  readonly bodyExcludes?: string;
  /** For each name in `readHeaders`: the value the page reads, or null when the browser hides it. */
  readonly readable?: Readonly<Record<string, string | null>>;
  /** How many times the API handler ran for this request (0 or 1). */
  readonly handlerRuns: number;
  /** How many preflights the server saw for this request. */
  readonly preflights: number;
  /**
   * The Origin the server sees last: by default the page's (`null` for file and sandboxed
   * pages); `null` after a redirect to another origin, which the browser marks as tainted.
   */
  readonly originSent?: 'null';
}

export interface ScenarioStep {
  readonly request: ScenarioRequest;
  readonly expect: RequestExpectation;
  /** Only where engines genuinely differ: replaces fields of `expect` for that engine, with the reason. */
  readonly engines?: Partial<Record<EngineName, { readonly expect: Partial<RequestExpectation>; readonly why: string }>>;
}

/** One response of a hand-written server, written byte for byte (header names as given). */
export interface RawAnswer {
  readonly status: number;
  readonly lines: readonly (readonly [string, string])[];
  readonly body?: string;
}

/**
 * A server that is not corsguard, for what browsers do with answers corsguard never sends
 * (`Access-Control-Max-Age: -1`, a space before a header's colon, a 204 with a body).
 */
export interface RawServer {
  /** The answer to a preflight (OPTIONS with Access-Control-Request-Method). */
  readonly preflight?: RawAnswer;
  /** The answer to every other request (it counts as a handler run). */
  readonly actual: RawAnswer;
}

export interface Scenario {
  /** Stable kebab-case id, also used in URLs and cookie paths. */
  readonly id: string;
  /** One line a developer understands. */
  readonly title: string;
  /** Which example or common issue of the FastAPI CORS guide (or which corsguard rule) it covers. */
  readonly covers: string;
  readonly options: ScenarioOptions;
  readonly page: PageKind;
  /** Requests made in order, from the same page. */
  readonly steps: readonly ScenarioStep[];
  /** When set, this server answers instead of corsguard (`options` is then unused). */
  readonly rawServer?: RawServer;
}
