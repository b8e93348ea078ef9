/**
 * The reason and the fix `corsguard` gives for each configured origin that can never match what a
 * browser sends (the policy throws them at construction; `check` prints them). Both are asserted in
 * full: a user copies the fix.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfiguredOrigin } from './origin.js';

type Case = readonly [entry: string, reason: string, fix: string];

function assertProblems(cases: readonly Case[]): void {
  for (const [entry, reason, fix] of cases) {
    assert.deepEqual(parseConfiguredOrigin(entry), { reason, fix }, JSON.stringify(entry));
  }
}

const NO_SCHEME = 'it has no scheme, and browsers always send one';
const NOT_A_SCHEME_FIX = "start the origin with 'https://' or 'http://'";
const LOWER_CASE_SCHEME = 'browsers send the scheme and host in lower case and compare origins byte for byte';
const PATH = 'it has a path, query or fragment, and an Origin header never does';
const USER_INFO = 'it has user information (user@), which an Origin header never carries';
const NO_PORT_EXISTS = 'use a port from 1 to 65535';
const ONLY_TWO_WILDCARDS =
  "the only wildcards corsguard understands are a leading '*.' in the host ('https://*.example.com') " +
  "and ':*' as the port ('http://localhost:*'); any other '*' would match hosts you do not own";
const WILDCARD_FIX = 'list the origins, use one of the two patterns, or use allowOriginRegex';
const NO_HOST: [string, string] = ['it has no host', "write a host, as in 'https://example.com'"];
const PUNYCODE = 'browsers send host names in their punycode (xn--) form';
const LOWER_CASE_HOST = 'browsers send host names in lower case and compare origins byte for byte';
const TRAILING_DOT =
  "a trailing dot makes a different origin, which browsers send only from pages opened at the dotted name (new URL('https://example.com.').origin keeps the dot), and corsguard denies such origins whatever the configuration";
const INVALID: [string, string] = ['it is not a valid origin', "write scheme://host[:port], as in 'https://example.com'"];

test('origin problems: white space, null in another case, no scheme, not a scheme, upper case, file:', () => {
  assertProblems([
    [' https://example.com', 'it has leading or trailing white space, or is empty', "write 'https://example.com'"],
    ['https://example.com\n', 'it has leading or trailing white space, or is empty', "write 'https://example.com'"],
    ['', 'it has leading or trailing white space, or is empty', "write ''"],
    ['NULL', 'the opaque origin is sent as lower-case null', "write 'null'"],
    ['Null', 'the opaque origin is sent as lower-case null', "write 'null'"],
    ['example.com', NO_SCHEME, "write 'https://example.com' (or 'http://example.com' for a plain-HTTP site)"],
    ['//example.com', NO_SCHEME, "write 'https://example.com' (or 'http://example.com' for a plain-HTTP site)"],
    ['example.com:8080', NO_SCHEME, "write 'https://example.com:8080' (or 'http://example.com:8080' for a plain-HTTP site)"],
    ['ht_tp://x', "'ht_tp' is not a URL scheme", NOT_A_SCHEME_FIX],
    ['1http://x', "'1http' is not a URL scheme", NOT_A_SCHEME_FIX],
    ['http s://x', "'http s' is not a URL scheme", NOT_A_SCHEME_FIX],
    ['HTTPS://example.com', LOWER_CASE_SCHEME, "write 'https://example.com'"],
    ['Https://Example.com:443', LOWER_CASE_SCHEME, "write 'https://example.com'"],
    ['HTTPS://example.com/', LOWER_CASE_SCHEME, "write 'https://example.com'"],
    [
      'file:///home/me/index.html',
      "pages loaded from file: URLs send 'Origin: null', never a file:// origin",
      "write 'null' (and read the warning it produces)",
    ],
  ]);
});

test('origin problems: a path, a trailing slash, user information, a broken IPv6 address, an empty port', () => {
  assertProblems([
    ['https://example.com/', 'it has a trailing slash, and an Origin header never does', "write 'https://example.com'"],
    ['https://example.com/app', PATH, "write 'https://example.com'"],
    ['https://example.com:8443/', 'it has a trailing slash, and an Origin header never does', "write 'https://example.com:8443'"],
    ['https://example.com?x', PATH, "write 'https://example.com'"],
    ['https://example.com#x', PATH, "write 'https://example.com'"],
    ['https://user:pw@example.com', USER_INFO, "write 'https://example.com'"],
    ['https://a@b@example.com:8443', USER_INFO, "write 'https://example.com:8443'"],
    ['http://[::1', 'its IPv6 address has no closing bracket', 'write the address as [::1]'],
    ['http://[::1]x', 'unexpected text after the IPv6 address', 'remove it'],
    ['https://example.com:', 'it ends with a colon and no port', "write 'https://example.com'"],
  ]);
});

test('origin problems: ports that are no number, have leading zeros, do not exist, or are the default', () => {
  assertProblems([
    [
      'https://example.com:8*',
      "'8*' is not a port; the only wildcard allowed in a port is ':*'",
      "write a port number, or 'https://example.com:*' for any port",
    ],
    [
      'https://example.com:+1',
      "'+1' is not a port; the only wildcard allowed in a port is ':*'",
      "write a port number, or 'https://example.com:*' for any port",
    ],
    ['https://example.com:08080', 'browsers send ports without leading zeros', "write 'https://example.com:8080'"],
    ['https://example.com:00', 'browsers send ports without leading zeros', "write 'https://example.com:0'"],
    ['https://example.com:0', 'port 0 does not exist', NO_PORT_EXISTS],
    ['https://example.com:65536', 'port 65536 does not exist', NO_PORT_EXISTS],
    ['https://example.com:443', 'browsers leave out the default port 443 of https:', "write 'https://example.com'"],
    ['http://example.com:80', 'browsers leave out the default port 80 of http:', "write 'http://example.com'"],
    ['ws://example.com:80', 'browsers leave out the default port 80 of ws:', "write 'ws://example.com'"],
    ['wss://example.com:443', 'browsers leave out the default port 443 of wss:', "write 'wss://example.com'"],
    ['ftp://example.com:21', 'browsers leave out the default port 21 of ftp:', "write 'ftp://example.com'"],
  ]);
  for (const entry of ['https://example.com:65535', 'https://example.com:1', 'http://example.com:443', 'https://example.com:80']) {
    assert.equal((parseConfiguredOrigin(entry) as { kind?: string }).kind, 'exact', entry);
  }
});

test('origin problems: other wildcards, no host, a host not in punycode or lower case, a trailing dot, an IP with subdomains', () => {
  assertProblems([
    ['https://*example.com', ONLY_TWO_WILDCARDS, WILDCARD_FIX],
    ['https://a.*.example.com', ONLY_TWO_WILDCARDS, WILDCARD_FIX],
    ['https://*', ONLY_TWO_WILDCARDS, WILDCARD_FIX],
    ['https://', ...NO_HOST],
    ['https://*.', ...NO_HOST],
    ['https://*.:8443', ...NO_HOST],
    ['https://bücher.example', PUNYCODE, "write 'https://xn--bcher-kva.example'"],
    ['https://*.bücher.example:8443', PUNYCODE, "write 'https://*.xn--bcher-kva.example:8443'"],
    ['https://exa mple.com', PUNYCODE, 'write the host in ASCII'],
    ['https://exa\tmple.com', PUNYCODE, 'write the host in ASCII'],
    ['https://exa\x7fmple.com', PUNYCODE, 'write the host in ASCII'],
    ['https://Example.COM', LOWER_CASE_HOST, "write 'https://example.com'"],
    ['https://*.Example.com:*', LOWER_CASE_HOST, "write 'https://*.example.com:*'"],
    ['https://example.com.', TRAILING_DOT, "write 'https://example.com'"],
    ['https://example.com.:8443', TRAILING_DOT, "write 'https://example.com:8443'"],
    ['https://*.example.com.', TRAILING_DOT, "write 'https://*.example.com'"],
    ['https://*.[::1]:8443', 'an IP address has no subdomains', 'list the address without *.'],
    // Without a port, the colons inside the brackets were once read as the port's.
    ['https://*.[::1]', 'an IP address has no subdomains', 'list the address without *.'],
    ['http://*.[::1]:*', 'an IP address has no subdomains', 'list the address without *.'],
    ['https://*.[::1', 'its IPv6 address has no closing bracket', 'write the address as [::1]'],
  ]);
});

test('origin problems: what the URL parser would serialize otherwise, or not at all', () => {
  assertProblems([
    ['http://0x7f.0.0.1', "browsers would send it as 'http://127.0.0.1'", "write 'http://127.0.0.1'"],
    ['http://0x7f.0.0.1:*', "browsers would send it as 'http://127.0.0.1'", "write 'http://127.0.0.1:*'"],
    ['http://[0:0:0:0:0:0:0:1]', "browsers would send it as 'http://[::1]'", "write 'http://[::1]'"],
    ['https://*.ex%41mple.com', "browsers would send it as 'https://*.example.com'", "write 'https://*.example.com'"],
    // With any port too, the fix keeps the pattern's `*.` (it once suggested 'https://a.example.com:*').
    ['https://*.ex%41mple.com:*', "browsers would send it as 'https://*.example.com'", "write 'https://*.example.com:*'"],
    ['http://exa^mple.com', ...INVALID],
    ['chrome-extension://ab!c', ...INVALID],
    ['https://ex~ample.com', 'it is not a valid origin', 'write scheme://host[:port]'],
  ]);
});
