/**
 * Local Network Access (WICG draft, formerly Private Network Access): a page whose origin is on
 * the public internet that fetches a loopback or local-network (private) address, or a
 * local-network page that fetches loopback. Chromium 142 and later send such a request only if the
 * user grants the page the permission (one `local-network-access` prompt; `local-network` and
 * `loopback-network` from Chromium 145), which only a secure context may ask for; a page that is
 * not a secure context is blocked outright. Measured in Chromium 156 with `check --real`: from
 * https://app.example.com to http://127.0.0.1 and to http://[fd00::2], blocked with "Permission was
 * denied ..." (automation has no one to answer the prompt); from http://app.example.com, blocked
 * with "The request client is not a secure context ...". Firefox ESR 153 sent both (Firefox has
 * the checks behind prefs, network.lna.*, off by default as of mid-2026); WebKit has no such
 * check that we know of (not measured: `check --real` cannot place a WebKitGTK page at another
 * origin). No response header and no corsguard option lifts it: the check runs before anything is
 * sent.
 *
 * It is a warning, not an error, and `check` does not add it to its verdicts yet: a user who
 * grants the permission gets the response, and the common case (checking a development server on
 * loopback with the production origin, as `check`'s own tests do) says nothing about production.
 * The origin's address space is read from its host: an IP literal is classified, `localhost` is
 * loopback, a `.local` name is local, and any other name counts as public (the browser uses the
 * address the page came from, which only DNS knows). A URL host that is a name other than
 * `localhost` or `.local` is left alone for the same reason.
 */
import { type ConsoleMessage, CHROMIUM_LNA_DENIED, CHROMIUM_LNA_INSECURE, CHROMIUM_POLICY, CHROMIUM_PREFIX } from './console-messages.js';
import { isLoopbackHost } from '../protocol/origin.js';
import { problem, type Problem } from './problems.js';

export type AddressSpace = 'loopback' | 'local' | 'public';

const PRIVACY: Readonly<Record<AddressSpace, number>> = { public: 0, local: 1, loopback: 2 };

/** The four numbers of a dotted IPv4 literal, or undefined. */
function ipv4(host: string): readonly number[] | undefined {
  const parts: number[] = [];
  let value = -1;
  for (let i = 0; i <= host.length; i++) {
    const code = i < host.length ? host.charCodeAt(i) : 0x2e;
    if (code === 0x2e) {
      if (value === -1 || parts.length === 4) return undefined;
      parts.push(value);
      value = -1;
    } else if (code >= 0x30 && code <= 0x39 && value < 256) {
      value = (value === -1 ? 0 : value * 10) + (code - 0x30);
    } else {
      return undefined;
    }
  }
  return parts.length === 4 && parts.every((n) => n <= 255) ? parts : undefined;
}

function ipv4Space([a, b]: readonly number[]): AddressSpace {
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b! >= 16 && b! <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254)) return 'local';
  return 'public';
}

/**
 * The address space of a URL host as the WHATWG URL parser serializes it (IPv6 in brackets, lower
 * case), or undefined for a DNS name whose address only a lookup would tell.
 */
export function addressSpaceOfHost(hostname: string): AddressSpace | undefined {
  const host = hostname.toLowerCase();
  if (isLoopbackHost(host)) return 'loopback';
  if (host.endsWith('.local')) return 'local';
  const v4 = ipv4(host);
  if (v4 !== undefined) return ipv4Space(v4);
  if (!host.startsWith('[') || !host.endsWith(']')) return undefined;
  const v6 = host.slice(1, -1);
  if (v6.startsWith('::ffff:')) {
    const mapped = ipv4(v6.slice(7));
    return mapped === undefined ? 'public' : ipv4Space(mapped);
  }
  // Chromium: local is any IPv6 address outside ::1 (loopback), 2000::/3 (global unicast) and ff00::/8 (multicast).
  const first = Number.parseInt(v6.slice(0, v6.indexOf(':') === -1 ? v6.length : v6.indexOf(':')) || '0', 16);
  if ((first >= 0x2000 && first <= 0x3fff) || first >= 0xff00) return 'public';
  return 'local';
}

/** Whether a page at `origin` is a secure context (https, or a loopback http page). */
function isSecureOrigin(origin: URL): boolean {
  return origin.protocol === 'https:' || (origin.protocol === 'http:' && isLoopbackHost(origin.hostname));
}

export interface LocalNetworkRequest {
  /** The page's address space, read from its origin's host. */
  readonly from: 'public' | 'local';
  /** The URL's address space. */
  readonly to: 'local' | 'loopback';
  /** Whether the page may ask the user (a secure context); if not, Chromium blocks it outright. */
  readonly canAsk: boolean;
}

/** The Local Network Access facts of a request from a page at `origin` to `url`, or undefined when it is not one. */
export function localNetworkRequest(origin: string, url: string): LocalNetworkRequest | undefined {
  let page: URL;
  let target: URL;
  try {
    page = new URL(origin);
    target = new URL(url);
  } catch {
    return undefined;
  }
  const from = addressSpaceOfHost(page.hostname) ?? 'public';
  const to = addressSpaceOfHost(target.hostname);
  if (to === undefined || from === 'loopback' || to === 'public' || PRIVACY[to] <= PRIVACY[from]) return undefined;
  return { from, to, canAsk: isSecureOrigin(page) };
}

/** The local-network-access warning (Chromium's only) for a request from `origin` to `url`, or undefined. */
export function localNetworkAccessProblem(origin: string, url: string): Problem | undefined {
  const request = localNetworkRequest(origin, url);
  if (request === undefined) return undefined;
  const target = request.to === 'loopback' ? 'a loopback address (this machine)' : 'a local-network (private) address';
  return problem(
    'local-network-access',
    request.canAsk
      ? `a ${request.from} page calling ${target}: Chromium 142+ asks the user for the Local Network Access permission first and blocks the request if it is refused or cannot be asked (automated browsers); Firefox and WebKit send it`
      : `a ${request.from} page that is not a secure context calling ${target}: Chromium 142+ blocks it without asking (Local Network Access); Firefox and WebKit send it`,
    'call the API at an address in the same space as the page (a public address in production, or serve the page from localhost while developing); from an https page the user can grant the permission; no server header or corsguard option lifts it',
  );
}

/** What Chromium prints when it blocks the request for Local Network Access, or undefined. */
export function localNetworkAccessConsoleMessage(origin: string, url: string): ConsoleMessage | undefined {
  const request = localNetworkRequest(origin, url);
  if (request === undefined) return undefined;
  const reason = `${request.canAsk ? CHROMIUM_LNA_DENIED : CHROMIUM_LNA_INSECURE}${request.to}\`${request.canAsk ? ' address space.' : '.'}`;
  return {
    engine: 'chromium',
    problem: 'local-network-access',
    text: `${CHROMIUM_PREFIX}'${url}' from origin '${origin}'${CHROMIUM_POLICY}${reason}`,
    followUp: ['Failed to load resource: net::ERR_FAILED'],
  };
}
