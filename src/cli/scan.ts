/**
 * `corsguard scan`: sends requests with crafted origins and reports which misconfiguration
 * classes the server falls into (cors-design-reference.md §5: the PortSwigger classes, and
 * the probes of Corsy and CORScanner). Each crafted origin is sent twice: on the request itself
 * (what a page can read), and on a preflight for a non-simple request (what a page can send:
 * PUT, DELETE, JSON, Authorization). A probe hits when the server answers with its origin,
 * byte for byte, in Access-Control-Allow-Origin, and a preflight hits when a browser would also
 * let the non-simple request through: that is what a browser accepts.
 */
import { normalizeMethod, SAFELISTED_METHODS } from '../protocol/fetch-standard.js';
import { parseTokenList, varyTokens } from '../protocol/header-list.js';
import { sendRequest, type ReceivedResponse, type SentRequest } from './http.js';

export const FINDING_IDS = [
  'origin-reflected',
  'null-origin-trusted',
  'prefix-match',
  'suffix-match',
  'substring-match',
  'unescaped-dot',
  'special-characters',
  'third-party-origin-trusted',
  'http-origin-trusted',
  'any-subdomain-trusted',
  'vary-origin-missing',
  'wildcard-with-credentials',
  'wildcard-origin',
] as const;

export type FindingId = (typeof FINDING_IDS)[number];
export type Severity = 'high' | 'medium' | 'low';

/** Classes whose probes each try one crafted origin. */
type OriginClass = Exclude<FindingId, 'vary-origin-missing' | 'wildcard-with-credentials' | 'wildcard-origin'>;

export interface Finding {
  readonly id: FindingId;
  readonly severity: Severity;
  /** Which request proved it: the request itself, or (alone) a preflight. */
  readonly request: 'actual' | 'preflight';
  /** The Origin that proved it ('' when no Origin was sent). */
  readonly origin: string;
  /** Whether the server also sent Access-Control-Allow-Credentials: true. */
  readonly credentials: boolean;
  readonly allowOrigin: string | undefined;
  /** The preflight that let a crafted origin through, when one did (else null). */
  readonly preflight: PreflightProof | null;
  readonly message: string;
  readonly attacker: string;
  readonly fix: string;
}

/** A preflight from a crafted origin that a browser would pass. */
export interface PreflightProof {
  readonly origin: string;
  readonly requestMethod: string;
  readonly requestHeaders: string;
  readonly allowOrigin: string;
  readonly credentials: boolean;
  readonly allowMethods: string | undefined;
  readonly allowHeaders: string | undefined;
  /** The non-simple methods the answer lets that origin send. */
  readonly methods: readonly string[];
  /** The requested headers the answer lets that origin send. */
  readonly headers: readonly string[];
}

export interface ScanOptions {
  readonly url: string;
  /** The origin the API is meant to serve; probes are derived from it. */
  readonly trustedOrigin: string;
  /** The registrable domain of the trusted origin (default: its last two labels). */
  readonly domain?: string | undefined;
  readonly method: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly timeoutMs: number;
  readonly onProgress?: ((done: number, total: number, origin: string) => void) | undefined;
}

export interface ProbeResult {
  readonly class: OriginClass | 'trusted' | 'no-origin';
  /** `actual`: the request with --method; `preflight`: an OPTIONS preflight for PREFLIGHT_HEADER_NAMES. */
  readonly request: 'actual' | 'preflight';
  readonly origin: string | undefined;
  readonly status: number;
  readonly allowOrigin: string | undefined;
  readonly allowCredentials: boolean;
  readonly allowMethods: string | undefined;
  readonly allowHeaders: string | undefined;
  readonly vary: boolean;
}

export interface ScanReport {
  readonly url: string;
  readonly trustedOrigin: string;
  readonly domain: string;
  /** Whether the server allows the trusted origin at all (else most probes prove nothing). */
  readonly trustedOriginAllowed: boolean;
  readonly probes: readonly ProbeResult[];
  readonly findings: readonly Finding[];
}

const ATTACKER = 'attacker.example';

/** Characters that lax origin parsers (and old Safari) accept after a trusted host. */
export const SPECIAL_CHARACTERS = [
  '_',
  '-',
  '"',
  '{',
  '}',
  '+',
  '^',
  '%60',
  '!',
  '~',
  '`',
  ';',
  '|',
  '&',
  "'",
  '(',
  ')',
  '*',
  ',',
  '$',
  '=',
  '%0b',
];

/** Hosts anyone can publish on, which allow lists sometimes trust. */
export const THIRD_PARTY_ORIGINS = [
  'https://corsguard-probe.github.io',
  'https://corsguard-probe.gitlab.io',
  'https://corsguard-probe.pages.dev',
  'https://corsguard-probe.vercel.app',
  'https://corsguard-probe.netlify.app',
  'https://corsguard-probe.herokuapp.com',
  'https://codepen.io',
  'https://jsfiddle.net',
  'http://jsbin.com',
  'https://repl.it',
  'http://www.webdevout.net',
];

/**
 * The headers the preflights ask for (sorted and lower-cased, as a browser writes them): a
 * page's fetch() with a JSON body, an Authorization header and a header of its own.
 */
export const PREFLIGHT_HEADER_NAMES: readonly string[] = ['authorization', 'content-type', 'x-corsguard-probe'];
const PREFLIGHT_HEADERS = PREFLIGHT_HEADER_NAMES.join(',');

/** The preflights ask for --method (as fetch() normalizes it) when a preflight precedes it, else PUT. */
export function preflightMethod(method: string): string {
  const normalized = normalizeMethod(method);
  return SAFELISTED_METHODS.has(normalized) ? 'PUT' : normalized;
}

interface Probe {
  readonly class: OriginClass;
  readonly origin: string;
}

/** The default registrable domain: the last two labels of a name, or the host itself. */
export function guessDomain(host: string): string {
  if (host.startsWith('[') || /^[0-9.]+$/.test(host)) return host;
  const labels = host.split('.');
  return labels.length <= 2 ? host : labels.slice(-2).join('.');
}

/** The crafted origins, in the order they are sent. */
export function craftProbes(trustedOrigin: string, domain: string): Probe[] {
  const url = new URL(trustedOrigin);
  const scheme = url.protocol.slice(0, -1);
  const host = url.hostname;
  const port = url.port === '' ? '' : `:${url.port}`;
  const probes: Probe[] = [
    { class: 'origin-reflected', origin: `https://${ATTACKER}` },
    { class: 'null-origin-trusted', origin: 'null' },
    { class: 'prefix-match', origin: `${scheme}://${host}.${ATTACKER}${port}` },
    { class: 'suffix-match', origin: `${scheme}://attacker${domain}${port}` },
    { class: 'suffix-match', origin: `${scheme}://attacker-${domain}${port}` },
    { class: 'substring-match', origin: `${scheme}://${domain.slice(1)}${port}` },
    { class: 'substring-match', origin: `${scheme}://${host.slice(0, -1)}${port}` },
  ];
  for (let i = host.indexOf('.'); i !== -1; i = host.indexOf('.', i + 1)) {
    probes.push({ class: 'unescaped-dot', origin: `${scheme}://${host.slice(0, i)}x${host.slice(i + 1)}${port}` });
  }
  for (const c of SPECIAL_CHARACTERS) {
    probes.push({ class: 'special-characters', origin: `${scheme}://${host}${c}.${ATTACKER}${port}` });
  }
  for (const origin of THIRD_PARTY_ORIGINS) probes.push({ class: 'third-party-origin-trusted', origin });
  if (scheme === 'https') probes.push({ class: 'http-origin-trusted', origin: `http://${host}${port}` });
  probes.push({ class: 'any-subdomain-trusted', origin: `${scheme}://corsguard-probe.${host}${port}` });
  if (domain !== host) probes.push({ class: 'any-subdomain-trusted', origin: `${scheme}://corsguard-probe.${domain}${port}` });
  return probes.filter((p) => p.origin !== trustedOrigin);
}

interface ClassText {
  readonly message: string;
  readonly attacker: string;
  readonly fix: string;
  /** Severity with credentials, and without. */
  readonly severity: readonly [Severity, Severity];
}

const CLASS_TEXT: Readonly<Record<OriginClass, ClassText>> = {
  'origin-reflected': {
    message: 'any origin is allowed: the server echoes whatever Origin it receives',
    attacker:
      "any web site a user visits can read this API's responses in the background, with the user's cookies when credentials are allowed (account data, API keys, CSRF tokens)",
    fix: "replace origin reflection (cors: origin: true, a callback that always allows) with an explicit list of origins, e.g. corsguard's allowOrigins: ['https://app.example.com']",
    severity: ['high', 'medium'],
  },
  'null-origin-trusted': {
    message: "the origin 'null' is allowed",
    attacker: "any site can send Origin: null from a sandboxed iframe or a data: URL, so trusting 'null' is trusting every site",
    fix: "remove 'null' from the allowed origins (serve local files from http://localhost instead)",
    severity: ['high', 'medium'],
  },
  'prefix-match': {
    message: 'origins that merely start with the trusted host are allowed',
    attacker: 'an attacker registers a domain such as app.example.com.attacker.example and reads the API from it',
    fix: 'compare the whole origin exactly (a Set of origins), or anchor a regular expression at both ends with ^ and $',
    severity: ['high', 'medium'],
  },
  'suffix-match': {
    message: 'origins that merely end with the trusted domain are allowed',
    attacker: 'an attacker registers a domain such as attackerexample.com and reads the API from it',
    fix: "match subdomains with a leading dot ('.example.com') or a pattern like https://*.example.com, never a bare suffix",
    severity: ['high', 'medium'],
  },
  'substring-match': {
    message: 'origins that are only part of the trusted origin (or contain part of it) are allowed',
    attacker: 'an attacker registers a shorter look-alike such as xample.com or app.example.co and reads the API from it',
    fix: 'compare whole origins for equality (not includes()/indexOf())',
    severity: ['high', 'medium'],
  },
  'unescaped-dot': {
    message: "a regular expression with an unescaped '.' lets a dot be any character",
    attacker: 'an attacker registers a domain like appxexample.com, which the regex accepts, and reads the API from it',
    fix: 'escape dots in origin regular expressions (app\\.example\\.com) and anchor them with ^ and $, or use an exact list',
    severity: ['high', 'medium'],
  },
  'special-characters': {
    message: 'origins with special characters after the trusted host are allowed (a lax origin parser)',
    attacker:
      "browsers that accept such host names (Safari has accepted '}' and '`'; '_' works in Chrome and Firefox) let an attacker's subdomain such as app.example.com_.attacker.example read the API",
    fix: 'parse origins strictly and compare the whole origin exactly; never match with a regex that stops at a word boundary',
    severity: ['high', 'medium'],
  },
  'third-party-origin-trusted': {
    message: 'an origin on a shared hosting or code-sharing site is allowed',
    attacker: 'anyone can publish a page on such hosts (github.io, codepen.io, jsfiddle.net, vercel.app...) and read the API from it',
    fix: 'allow only origins you control; for a preview host, list the exact origin, never the whole platform',
    severity: ['high', 'medium'],
  },
  'http-origin-trusted': {
    message: 'the plain-http version of the trusted origin is allowed',
    attacker:
      'a network attacker (public Wi-Fi) can inject script into the http page, or an http subdomain with XSS can be used, to read this https API',
    fix: 'allow only https origins in production',
    severity: ['medium', 'low'],
  },
  'any-subdomain-trusted': {
    message: 'any subdomain is allowed',
    attacker:
      'one XSS on any subdomain, or a subdomain takeover (a dangling DNS record to a deleted cloud resource), is enough to read the API',
    fix: 'list the subdomains that need access instead of a wildcard, or make sure every subdomain is under your control',
    severity: ['medium', 'low'],
  },
};

function isAllowed(result: ProbeResult): boolean {
  return result.origin !== undefined && result.allowOrigin === result.origin;
}

/** Runs the probes, one at a time, and derives the findings. */
export async function runScan(
  options: ScanOptions,
  send: (req: SentRequest, timeoutMs: number) => Promise<ReceivedResponse> = sendRequest,
): Promise<ScanReport> {
  const trusted = new URL(options.trustedOrigin);
  const domain = options.domain ?? guessDomain(trusted.hostname);
  const crafted = craftProbes(options.trustedOrigin, domain);
  const all: { class: ProbeResult['class']; request: ProbeResult['request']; origin: string | undefined }[] = [
    { class: 'trusted', request: 'actual', origin: options.trustedOrigin },
    { class: 'no-origin', request: 'actual', origin: undefined },
    ...crafted.map((p) => ({ ...p, request: 'actual' as const })),
    ...crafted.map((p) => ({ ...p, request: 'preflight' as const })),
  ];
  const results: ProbeResult[] = [];
  for (const [index, probe] of all.entries()) {
    options.onProgress?.(index, all.length, `${probe.request === 'preflight' ? 'OPTIONS ' : ''}${probe.origin ?? '(no Origin)'}`);
    // A browser's preflight carries no credentials and none of the page's headers.
    const headers: [string, string][] =
      probe.request === 'preflight'
        ? [
            ['Access-Control-Request-Method', preflightMethod(options.method)],
            ['Access-Control-Request-Headers', PREFLIGHT_HEADERS],
          ]
        : options.headers.map(([n, v]): [string, string] => [n, v]);
    if (probe.origin !== undefined) headers.push(['Origin', probe.origin]);
    const method = probe.request === 'preflight' ? 'OPTIONS' : options.method;
    const response = await send({ method, url: options.url, headers }, options.timeoutMs);
    const vary = response.headers['vary'];
    const tokens = vary === undefined ? [] : varyTokens(vary);
    results.push({
      class: probe.class,
      request: probe.request,
      origin: probe.origin,
      status: response.status,
      allowOrigin: response.headers['access-control-allow-origin'],
      allowCredentials: response.headers['access-control-allow-credentials'] === 'true',
      allowMethods: response.headers['access-control-allow-methods'],
      allowHeaders: response.headers['access-control-allow-headers'],
      vary: tokens.includes('origin') || tokens.includes('*'),
    });
  }
  options.onProgress?.(all.length, all.length, '');
  return {
    url: options.url,
    trustedOrigin: options.trustedOrigin,
    domain,
    trustedOriginAllowed: isAllowed(results[0]!),
    probes: results,
    findings: findingsOf(results, domain, preflightMethod(options.method)),
  };
}

function finding(
  id: FindingId,
  severity: Severity,
  result: ProbeResult,
  message: string,
  attacker: string,
  fix: string,
  preflight: PreflightProof | null = null,
): Finding {
  return {
    id,
    severity,
    request: result.request,
    origin: result.origin ?? '',
    credentials: result.allowCredentials,
    allowOrigin: result.allowOrigin,
    preflight,
    message,
    attacker,
    fix,
  };
}

function hostOf(origin: string): string {
  const start = origin.indexOf('://');
  return start === -1 ? origin : origin.slice(start + 3);
}

/**
 * Whether a hit is already explained by a broader class that also hit: reflection explains
 * everything, a prefix match explains special characters after the host, and a suffix match
 * explains an unescaped dot that still ends with the domain.
 */
function explained(hit: ProbeResult, hitClasses: ReadonlySet<string>, domain: string): boolean {
  if (hit.class === 'origin-reflected') return false;
  if (hitClasses.has('origin-reflected')) return true;
  if (hit.class === 'special-characters') return hitClasses.has('prefix-match');
  if (hit.class === 'unescaped-dot') return hitClasses.has('suffix-match') && hostOf(hit.origin ?? '').endsWith(domain);
  return false;
}

/**
 * What a preflight answer lets its origin send, as a browser's CORS-preflight fetch decides it
 * (Fetch §4.8): an ok status, the origin echoed (and Access-Control-Allow-Credentials: true
 * when it says so), then the non-simple methods the list names and the requested headers it grants
 * ('*' counts only without credentials, and never for Authorization). Undefined when the
 * browser would pass no non-simple request from that origin.
 */
export function preflightGrant(result: ProbeResult, requestMethod: string): PreflightProof | undefined {
  if (result.request !== 'preflight' || !isAllowed(result) || result.status < 200 || result.status > 299) return undefined;
  const methodList = result.allowMethods === undefined ? [] : parseTokenList(result.allowMethods);
  const headerList = result.allowHeaders === undefined ? [] : parseTokenList(result.allowHeaders);
  if (methodList === undefined || headerList === undefined) return undefined;
  const wildcard = (list: readonly string[]): boolean => !result.allowCredentials && list.includes('*');
  // Methods compare byte for byte, and fetch() can send only a method it leaves as written.
  const methods = methodList.filter((m) => m !== '*' && !SAFELISTED_METHODS.has(m) && normalizeMethod(m) === m);
  if (wildcard(methodList) && !methods.includes(requestMethod)) methods.push(requestMethod);
  const allowedHeaders = new Set(headerList.map((h) => h.toLowerCase()));
  const headers = PREFLIGHT_HEADER_NAMES.filter((h) => allowedHeaders.has(h) || (wildcard(headerList) && h !== 'authorization'));
  if (methods.length === 0 && headers.length === 0) return undefined;
  return {
    origin: result.origin!,
    requestMethod,
    requestHeaders: PREFLIGHT_HEADERS,
    allowOrigin: result.allowOrigin!,
    credentials: result.allowCredentials,
    allowMethods: result.allowMethods,
    allowHeaders: result.allowHeaders,
    methods,
    headers,
  };
}

/** The first hit of each class among `results`, leaving out hits a broader class explains. */
function firstHits(results: readonly ProbeResult[], hits: (r: ProbeResult) => boolean, domain: string): Map<OriginClass, ProbeResult> {
  const hit = results.filter((r) => r.class !== 'trusted' && r.class !== 'no-origin' && hits(r));
  const hitClasses = new Set(hit.map((r) => r.class));
  const first = new Map<OriginClass, ProbeResult>();
  for (const r of hit) {
    const cls = r.class as OriginClass;
    if (!first.has(cls) && !explained(r, hitClasses, domain)) first.set(cls, r);
  }
  return first;
}

const PREFLIGHT_ATTACKER =
  "a page on such an origin passes the browser's preflight, so it can send what a form cannot (PUT, DELETE, JSON bodies, Authorization) to the handler, with the user's cookies when credentials are allowed, and change data whether or not it can read the answer";

function grantText(grant: PreflightProof): string {
  const parts: string[] = [];
  if (grant.methods.length > 0) parts.push(`method${grant.methods.length > 1 ? 's' : ''} ${grant.methods.join(', ')}`);
  if (grant.headers.length > 0) parts.push(`header${grant.headers.length > 1 ? 's' : ''} ${grant.headers.join(', ')}`);
  return parts.join(' and ');
}

/** One finding for an origin class, proved by a request, a preflight, or both. */
function originFinding(
  cls: OriginClass,
  actual: ProbeResult | undefined,
  preflight: { readonly result: ProbeResult; readonly grant: PreflightProof } | undefined,
): Finding {
  const text = CLASS_TEXT[cls];
  const credentials = (actual?.allowCredentials ?? false) || (preflight?.grant.credentials ?? false);
  const severity = credentials ? text.severity[0] : text.severity[1];
  const grants = preflight === undefined ? '' : grantText(preflight.grant);
  const withCredentials = (yes: boolean): string => (yes ? ', with credentials' : '');
  if (actual === undefined) {
    return finding(
      cls,
      severity,
      preflight!.result,
      `${text.message}, in preflight answers (OPTIONS)${withCredentials(credentials)}, which grant ${grants}`,
      PREFLIGHT_ATTACKER,
      `${text.fix}; the code that answers preflights (OPTIONS) must apply the same allow list as every other response`,
      preflight!.grant,
    );
  }
  return finding(
    cls,
    severity,
    actual,
    `${text.message}${withCredentials(actual.allowCredentials)}` +
      (preflight === undefined
        ? ''
        : `; preflight answers (OPTIONS) too${withCredentials(preflight.grant.credentials)}, granting ${grants}`),
    preflight === undefined ? text.attacker : `${text.attacker}; and ${PREFLIGHT_ATTACKER}`,
    text.fix,
    preflight?.grant ?? null,
  );
}

const ORIGIN_CLASSES = Object.keys(CLASS_TEXT) as OriginClass[];

/**
 * Turns probe results into findings, one per class, proved by the first origin that hit on the
 * request and the first that passed a preflight.
 */
export function findingsOf(results: readonly ProbeResult[], domain: string, requestMethod: string): Finding[] {
  const findings: Finding[] = [];
  const actualHits = firstHits(
    results.filter((r) => r.request === 'actual'),
    isAllowed,
    domain,
  );
  const grants = new Map<ProbeResult, PreflightProof>();
  for (const r of results) {
    const grant = preflightGrant(r, requestMethod);
    if (grant !== undefined) grants.set(r, grant);
  }
  const preflightHits = firstHits(results, (r) => grants.has(r), domain);
  for (const cls of ORIGIN_CLASSES) {
    const actual = actualHits.get(cls);
    const preflight = preflightHits.get(cls);
    if (actual === undefined && preflight === undefined) continue;
    findings.push(originFinding(cls, actual, preflight && { result: preflight, grant: grants.get(preflight)! }));
  }

  // The answer depends on Origin when two requests got different CORS answers. Preflights are
  // left out: HTTP caches do not store answers to OPTIONS.
  const requests = results.filter((r) => r.request === 'actual');
  const answers = new Set(requests.map((r) => `${r.allowOrigin ?? ''}|${r.allowCredentials}`));
  if (answers.size > 1) {
    const noVary = requests.find((r) => !r.vary && r.allowOrigin !== undefined && r.allowOrigin !== '*') ?? requests.find((r) => !r.vary);
    if (noVary !== undefined) {
      findings.push(
        finding(
          'vary-origin-missing',
          'medium',
          noVary,
          `Access-Control-Allow-Origin depends on the request's Origin, but the response ${noVary.origin === undefined ? 'to a request without Origin' : `to ${noVary.origin}`} has no Vary: Origin`,
          "a shared cache (CDN, proxy) can store one origin's answer and serve it to another: pages of an allowed origin break, or a refused origin is served an allowing answer (cache poisoning)",
          'add Vary: Origin to every response whose CORS headers depend on Origin, including responses to requests without Origin and to refused origins',
        ),
      );
    }
  }

  // A wildcard is proved by a request when one has it, else by a preflight.
  const wildcard =
    requests.find((r) => r.allowOrigin === '*' && r.class !== 'trusted' && r.class !== 'no-origin') ??
    requests.find((r) => r.allowOrigin === '*') ??
    results.find((r) => r.allowOrigin === '*');
  if (wildcard !== undefined) {
    const where = wildcard.request === 'preflight' ? ' in preflight answers (OPTIONS)' : '';
    if (wildcard.allowCredentials) {
      findings.push(
        finding(
          'wildcard-with-credentials',
          'low',
          wildcard,
          `Access-Control-Allow-Origin is *${where} together with Access-Control-Allow-Credentials: true`,
          'browsers refuse credentialed reads with *, so the credentialed API is broken for your own pages; any site can still read what needs no cookies, including resources protected only by network location (intranet, IP allow lists)',
          'list the origins that need credentials and echo the matching one; keep * only for public data without credentials',
        ),
      );
    } else {
      findings.push(
        finding(
          'wildcard-origin',
          'low',
          wildcard,
          wildcard.request === 'preflight'
            ? `Access-Control-Allow-Origin is *${where}: every site can send requests that need no credentials, with the methods and headers they grant`
            : 'Access-Control-Allow-Origin is *: every site can read responses that need no credentials',
          'fine for public data; on an intranet or an IP-restricted API, any site the user visits can use their browser to read it',
          'keep * only for public data; list origins for anything behind a network boundary',
        ),
      );
    }
  }
  return findings;
}

export const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { high: 0, medium: 1, low: 2 };
