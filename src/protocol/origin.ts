/**
 * Origin grammar: what a browser puts in the `Origin` header (the ASCII serialization of an
 * origin, or `null`), and what a configured origin or origin pattern must look like to ever
 * match one.
 */
import { MAX_ORIGIN_LENGTH } from './fetch-standard.js';

/** The parts of a serialized origin. `port` is '' when the scheme's default port is used. */
export interface OriginParts {
  readonly scheme: string;
  readonly host: string;
  readonly port: string;
}

const DEFAULT_PORTS: Readonly<Record<string, string>> = {
  http: '80',
  https: '443',
  ws: '80',
  wss: '443',
  ftp: '21',
};

/** Schemes whose origins the URL standard defines as tuples (others are opaque in `new URL`). */
const SPECIAL_SCHEMES: ReadonlySet<string> = new Set(['http', 'https', 'ws', 'wss', 'ftp']);

function isLowerAlpha(c: number): boolean {
  return c >= 0x61 && c <= 0x7a;
}
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isCanonicalOrigin(value: string): boolean {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}

/**
 * Parses a request's `Origin` value as a browser serializes it, in one bounded pass.
 * Returns undefined for anything a browser would not send: over-long values, upper case,
 * a path or trailing slash, a default port, white space, two joined values (`a, b`),
 * control characters. `null` is not an origin tuple and also returns undefined.
 */
export function parseSerializedOrigin(value: string): OriginParts | undefined {
  const length = value.length;
  if (length > MAX_ORIGIN_LENGTH || length < 4) return undefined;
  // scheme = lower-alpha *( lower-alpha / digit / "+" / "-" / "." )
  if (!isLowerAlpha(value.charCodeAt(0))) return undefined;
  let i = 1;
  for (; i < length; i++) {
    const c = value.charCodeAt(i);
    if (isLowerAlpha(c) || isDigit(c) || c === 0x2b || c === 0x2d || c === 0x2e) continue;
    break;
  }
  const schemeEnd = i;
  if (value.charCodeAt(i) !== 0x3a || value.charCodeAt(i + 1) !== 0x2f || value.charCodeAt(i + 2) !== 0x2f) {
    return undefined;
  }
  i += 3;
  const hostStart = i;
  // Hosts the grammar alone cannot check (IP addresses, punycode), confirmed below.
  let confirmWithUrl = false;
  if (value.charCodeAt(i) === 0x5b) {
    // IPv6 literal: browsers send it compressed, in lower case, and in hex only (the URL
    // standard's IPv6 serializer writes an embedded IPv4 address as two hex pieces: [::1.2.3.4]
    // is sent as [::102:304], for every scheme).
    i++;
    for (; i < length; i++) {
      const c = value.charCodeAt(i);
      if (isDigit(c) || (c >= 0x61 && c <= 0x66) || c === 0x3a) continue;
      break;
    }
    if (value.charCodeAt(i) !== 0x5d || i === hostStart + 1) return undefined;
    i++;
    confirmWithUrl = true;
  } else {
    // A registrable name, a dotted IPv4 address, or a label with `_` (which browsers allow).
    let previous = 0x2e;
    let labelStart = i;
    for (; i < length; i++) {
      const c = value.charCodeAt(i);
      if (isLowerAlpha(c) || isDigit(c) || c === 0x2d || c === 0x5f) {
        if (previous === 0x2e) {
          labelStart = i;
          // `xn--` labels are punycode, which the URL parser validates.
          if (c === 0x78 && value.charCodeAt(i + 1) === 0x6e && value.charCodeAt(i + 2) === 0x2d && value.charCodeAt(i + 3) === 0x2d) {
            confirmWithUrl = true;
          }
        }
        previous = c;
        continue;
      }
      if (c === 0x2e) {
        if (previous === 0x2e) return undefined; // empty label
        previous = c;
        continue;
      }
      break;
    }
    if (i === hostStart || previous === 0x2e) return undefined; // empty host or trailing dot
    // A last label that starts with a digit makes the URL parser read the host as IPv4
    // (`1.2.3`, `0x7f.1` and `1.2.3.04` all mean something else).
    if (isDigit(value.charCodeAt(labelStart))) confirmWithUrl = true;
  }
  const hostEnd = i;
  let port = '';
  if (i < length) {
    if (value.charCodeAt(i) !== 0x3a) return undefined;
    const portStart = ++i;
    if (i === length || value.charCodeAt(i) === 0x30) return undefined; // empty or leading zero
    for (; i < length; i++) {
      if (!isDigit(value.charCodeAt(i))) return undefined;
    }
    if (i - portStart > 5) return undefined;
    port = value.slice(portStart);
    if (Number(port) > 65535) return undefined;
  }
  const scheme = value.slice(0, schemeEnd);
  if (port !== '' && DEFAULT_PORTS[scheme] === port) return undefined;
  // Browsers serialize IP addresses and punycode canonically ([::1], not [0:0::1]; 127.0.0.1,
  // not 0x7f.1): the platform's WHATWG URL parser decides whether this is that serialization.
  if (confirmWithUrl && SPECIAL_SCHEMES.has(scheme) && !isCanonicalOrigin(value)) return undefined;
  return { scheme, host: value.slice(hostStart, hostEnd), port };
}

/** How an entry of `allowOrigins` is understood. */
export type ConfiguredOrigin =
  | { readonly kind: 'any' }
  | { readonly kind: 'null' }
  | { readonly kind: 'exact'; readonly origin: string; readonly parts: OriginParts }
  | {
      readonly kind: 'pattern';
      readonly scheme: string;
      /** The host, or for a subdomain pattern the part after `*.`. */
      readonly host: string;
      readonly anySubdomain: boolean;
      /** A fixed port ('' for the default one), or '*' for any port. */
      readonly port: string;
    };

/** Why a configured origin can never match, and what to write instead. */
export interface OriginProblem {
  readonly reason: string;
  readonly fix: string;
}

function problem(reason: string, fix: string): OriginProblem {
  return { reason, fix };
}

/** The punycode form of a host, through the platform's WHATWG URL parser. */
function toAsciiHost(host: string): string | undefined {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return undefined;
  }
}

/**
 * Checks one configured origin or origin pattern. The result is either how it is understood,
 * or the reason it could never match what a browser sends, with the fix.
 */
export function parseConfiguredOrigin(entry: string): ConfiguredOrigin | OriginProblem {
  if (entry === '*') return { kind: 'any' };
  if (entry === 'null') return { kind: 'null' };
  if (entry.trim() !== entry || entry.length === 0) {
    return problem('it has leading or trailing white space, or is empty', `write '${entry.trim()}'`);
  }
  if (entry.toLowerCase() === 'null') {
    return problem('the opaque origin is sent as lower-case null', "write 'null'");
  }
  const scheme = parseScheme(entry);
  if (typeof scheme !== 'string') return scheme;
  const authority = splitAuthority(scheme, entry.slice(scheme.length + 3));
  if ('reason' in authority) return authority;
  const { host, port } = authority;
  const portProblem = checkPort(scheme, host, port);
  if (portProblem !== undefined) return portProblem;
  const anySubdomain = host.startsWith('*.');
  const concreteHost = anySubdomain ? host.slice(2) : host;
  const anyPort = port === '*';
  const hostProblem =
    checkHost(entry, scheme, host, concreteHost, anySubdomain, port) ??
    checkSerializable(scheme, `${anySubdomain ? 'a.' : ''}${concreteHost}${port === '' || anyPort ? '' : `:${port}`}`, anyPort);
  if (hostProblem !== undefined) return hostProblem;
  if (!anySubdomain && !anyPort) {
    const parts = parseSerializedOrigin(entry);
    if (parts === undefined) return problem('it is not a valid origin', 'write scheme://host[:port]');
    return { kind: 'exact', origin: entry, parts };
  }
  return { kind: 'pattern', scheme, host: concreteHost, anySubdomain, port };
}

/** The scheme of a configured origin (before `://`), or why it cannot be one. */
function parseScheme(entry: string): string | OriginProblem {
  const schemeSeparator = entry.indexOf('://');
  if (schemeSeparator <= 0) {
    const bare = entry.replace(/^\/*/, '');
    return problem('it has no scheme, and browsers always send one', `write 'https://${bare}' (or 'http://${bare}' for a plain-HTTP site)`);
  }
  const scheme = entry.slice(0, schemeSeparator);
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*$/.test(scheme)) {
    return problem(`'${scheme}' is not a URL scheme`, "start the origin with 'https://' or 'http://'");
  }
  if (scheme !== scheme.toLowerCase()) {
    const lowered = parseConfiguredOrigin(entry.toLowerCase());
    return problem(
      'browsers send the scheme and host in lower case and compare origins byte for byte',
      isOriginProblem(lowered) ? lowered.fix : `write '${entry.toLowerCase()}'`,
    );
  }
  if (scheme === 'file') {
    return problem(
      "pages loaded from file: URLs send 'Origin: null', never a file:// origin",
      "write 'null' (and read the warning it produces)",
    );
  }
  return scheme;
}

/** Splits what follows `scheme://` into host and port (minding IPv6 brackets), refusing a path or user information. */
function splitAuthority(scheme: string, rest: string): { host: string; port: string } | OriginProblem {
  const pathStart = rest.search(/[/?#]/);
  if (pathStart !== -1) {
    const bare = `${scheme}://${rest.slice(0, pathStart)}`;
    const what = rest.slice(pathStart) === '/' ? 'a trailing slash' : 'a path, query or fragment';
    return problem(`it has ${what}, and an Origin header never does`, `write '${bare}'`);
  }
  if (rest.includes('@')) {
    const bare = `${scheme}://${rest.slice(rest.lastIndexOf('@') + 1)}`;
    return problem('it has user information (user@), which an Origin header never carries', `write '${bare}'`);
  }
  // An IPv6 host, or a subdomain pattern written over one (refused later, by checkHost): the
  // colons inside the brackets are not the port's.
  if (rest.startsWith('[') || rest.startsWith('*.[')) {
    const close = rest.indexOf(']');
    if (close === -1) return problem('its IPv6 address has no closing bracket', 'write the address as [::1]');
    const after = rest.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) return problem('unexpected text after the IPv6 address', 'remove it');
    return { host: rest.slice(0, close + 1), port: after.slice(1) };
  }
  const colon = rest.lastIndexOf(':');
  const host = colon === -1 ? rest : rest.slice(0, colon);
  const port = colon === -1 ? '' : rest.slice(colon + 1);
  if (colon !== -1 && port === '') {
    return problem('it ends with a colon and no port', `write '${scheme}://${host}'`);
  }
  return { host, port };
}

/** Why a port ('' for the default, '*' for any) can never be sent, or undefined. */
function checkPort(scheme: string, host: string, port: string): OriginProblem | undefined {
  if (port === '*' || port === '') return undefined;
  if (!/^[0-9]+$/.test(port)) {
    return problem(
      `'${port}' is not a port; the only wildcard allowed in a port is ':*'`,
      `write a port number, or '${scheme}://${host}:*' for any port`,
    );
  }
  if (port.length > 1 && port.startsWith('0')) {
    return problem('browsers send ports without leading zeros', `write '${scheme}://${host}:${Number(port)}'`);
  }
  const n = Number(port);
  if (n === 0 || n > 65535) return problem(`port ${port} does not exist`, 'use a port from 1 to 65535');
  if (DEFAULT_PORTS[scheme] === port) {
    return problem(`browsers leave out the default port ${port} of ${scheme}:`, `write '${scheme}://${host}'`);
  }
  return undefined;
}

/** Why a host (`concreteHost`, after any leading `*.`) can never be sent, or undefined. */
function checkHost(
  entry: string,
  scheme: string,
  host: string,
  concreteHost: string,
  anySubdomain: boolean,
  port: string,
): OriginProblem | undefined {
  if (concreteHost.includes('*')) {
    return problem(
      "the only wildcards corsguard understands are a leading '*.' in the host ('https://*.example.com') " +
        "and ':*' as the port ('http://localhost:*'); any other '*' would match hosts you do not own",
      'list the origins, use one of the two patterns, or use allowOriginRegex',
    );
  }
  if (concreteHost === '') return problem('it has no host', "write a host, as in 'https://example.com'");
  if (/[^\x21-\x7e]/.test(concreteHost)) {
    const ascii = /[\s\x00-\x1f\x7f]/.test(concreteHost) ? undefined : toAsciiHost(concreteHost);
    return problem(
      'browsers send host names in their punycode (xn--) form',
      ascii === undefined
        ? 'write the host in ASCII'
        : `write '${scheme}://${anySubdomain ? '*.' : ''}${ascii}${port === '' ? '' : `:${port}`}'`,
    );
  }
  if (concreteHost !== concreteHost.toLowerCase()) {
    return problem('browsers send host names in lower case and compare origins byte for byte', `write '${entry.toLowerCase()}'`);
  }
  if (concreteHost.endsWith('.')) {
    return problem(
      "a trailing dot makes a different origin, which browsers send only from pages opened at the dotted name (new URL('https://example.com.').origin keeps the dot), and corsguard denies such origins whatever the configuration",
      `write '${scheme}://${host.slice(0, -1)}${port === '' ? '' : `:${port}`}'`,
    );
  }
  if (anySubdomain && concreteHost.startsWith('[')) {
    return problem('an IP address has no subdomains', 'list the address without *.');
  }
  return undefined;
}

/**
 * Why `scheme://authority` (a pattern's `*.` written as `a.`, its `:*` left out) can never be
 * sent, or undefined. The WHATWG URL parser is what browsers use to serialize origins: an
 * origin that does not survive it unchanged (a non-canonical IP such as 0x7f.1 or [0:0::1], a
 * stray character) can never be sent.
 */
function checkSerializable(scheme: string, authority: string, anyPort: boolean): OriginProblem | undefined {
  const probe = `${scheme}://${authority}`;
  if (!SPECIAL_SCHEMES.has(scheme)) {
    if (parseSerializedOrigin(probe) !== undefined) return undefined;
    return problem('it is not a valid origin', "write scheme://host[:port], as in 'https://example.com'");
  }
  let serialized: string | undefined;
  try {
    serialized = new URL(probe).origin;
  } catch {
    serialized = undefined;
  }
  if (serialized === probe) return undefined;
  if (serialized === undefined || serialized === 'null') {
    return problem('it is not a valid origin', "write scheme://host[:port], as in 'https://example.com'");
  }
  // The probe wrote a pattern's `*.` as `a.`; the user reads and writes it as `*.`.
  const written = serialized.replace(`${scheme}://a.`, `${scheme}://*.`);
  return problem(`browsers would send it as '${written}'`, `write '${anyPort ? `${written}:*` : written}'`);
}

export function isOriginProblem(value: ConfiguredOrigin | OriginProblem): value is OriginProblem {
  return 'reason' in value;
}

/** Whether a host is loopback by the Secure Contexts rules (`localhost`, `*.localhost`, 127/8, ::1). */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Whether an origin with this scheme and host is a potentially trustworthy (secure) context. */
export function isSecureOrigin(scheme: string, host: string): boolean {
  return scheme === 'https' || scheme === 'wss' || isLoopbackHost(host);
}
