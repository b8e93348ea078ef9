/**
 * The attack-origin table: every Origin the CORS scanners send (Corsy, CORScanner; see
 * cors-design-reference.md §5.2 and §5.3) and the classic parser tricks, against two strict,
 * credentialed configurations, sent as raw bytes over real sockets through every adapter.
 * None is allowed (except what a subdomain pattern allows by design), none crashes a server,
 * and no input ever appears unvalidated in a response header.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { CorsPolicy, type PreflightAnswer } from '../../src/core/policy.js';
import type { CorsOptionFields, CorsOptions } from '../../src/core/options.js';
import { drive } from '../support/drive-policy.js';
// The CORScanner list `corsguard scan` probes with, so the attack table and the scan cannot drift apart.
import { SPECIAL_CHARACTERS } from '../../src/cli/scan.js';
import { ADAPTERS, corsFields, fieldGet, mapHeaderWriter, parseResponse, rawExchange, rawRequest, type RunningServer } from './support.js';

const common: CorsOptionFields = {
  allowCredentials: true,
  allowMethods: ['PUT'],
  allowHeaders: ['Authorization'],
  exposeHeaders: ['X-Total-Count'],
  strict: true,
};

/** The target of the scans is https://www.example.com. */
const CONFIGS = {
  exact: { ...common, allowOrigins: ['https://www.example.com'] },
  subdomains: { ...common, allowOrigins: ['https://example.com', 'https://*.example.com'] },
} satisfies Record<string, CorsOptions>;
type ConfigName = keyof typeof CONFIGS;

interface AttackRow {
  /** The Origin value (a JS string; sent on the wire as UTF-8). */
  readonly origin: string;
  readonly source: string;
  /** Configurations that allow it by design. */
  readonly allowedBy?: readonly ConfigName[];
  /** Send these Origin lines instead of one (for duplicate headers). */
  readonly lines?: readonly string[];
}

const ROWS: readonly AttackRow[] = [
  // Controls: the configured origins themselves, so the table can tell "allowed" from "silent".
  { origin: 'https://www.example.com', source: 'Corsy precondition', allowedBy: ['exact', 'subdomains'] },
  { origin: 'https://example.com', source: "Corsy origin reflected (example.com is Corsy's attacker)", allowedBy: ['subdomains'] },
  // Corsy, root = www.example.com
  { origin: 'https://www.example.com.example.com', source: 'Corsy post-domain wildcard', allowedBy: ['subdomains'] },
  { origin: 'https://d3vwww.example.com', source: 'Corsy pre-domain wildcard', allowedBy: ['subdomains'] },
  { origin: 'null', source: 'Corsy/CORScanner null origin' },
  { origin: 'https://www.example.com_.example.com', source: 'Corsy unrecognized underscore', allowedBy: ['subdomains'] },
  { origin: 'https://www.example.com%60.example.com', source: 'Corsy broken parser' },
  { origin: 'https://wwwxexample.com', source: 'Corsy unescaped regex dot' },
  { origin: 'http://www.example.com', source: 'Corsy http origin / CORScanner https_trust_http' },
  // CORScanner, target https://www.example.com
  { origin: 'https://evil.com', source: 'CORScanner reflect_origin' },
  { origin: 'https://www.example.com.evil.com', source: 'CORScanner prefix_match' },
  { origin: 'https://evilexample.com', source: 'CORScanner suffix_match' },
  { origin: 'https://xample.com', source: 'CORScanner include_match' },
  { origin: 'https://www.exampleacom', source: 'CORScanner not_escape_dot' },
  { origin: 'https://whatever.github.io', source: 'CORScanner third party' },
  { origin: 'http://jsbin.com', source: 'CORScanner third party' },
  { origin: 'https://codepen.io', source: 'CORScanner third party' },
  { origin: 'https://jsfiddle.net', source: 'CORScanner third party' },
  { origin: 'http://www.webdevout.net', source: 'CORScanner third party' },
  { origin: 'https://repl.it', source: 'CORScanner third party' },
  ...SPECIAL_CHARACTERS.map((c) => ({ origin: `https://www.example.com${c}.evil.com`, source: `CORScanner special character ${c}` })),
  { origin: 'https://evil.www.example.com', source: 'CORScanner trust_any_subdomain', allowedBy: ['subdomains'] as const },
  // Canonical-form tricks
  { origin: 'HTTPS://www.example.com', source: 'upper-case scheme' },
  { origin: 'https://WWW.EXAMPLE.COM', source: 'upper-case host' },
  { origin: 'https://www.Example.com', source: 'mixed-case host' },
  { origin: 'https://EVIL.www.example.com', source: 'upper-case subdomain' },
  { origin: 'https://www.example.com/', source: 'trailing slash' },
  { origin: 'https://www.example.com/path', source: 'path' },
  { origin: 'https://www.example.com:443', source: 'explicit default port' },
  { origin: 'https://www.example.com:0443', source: 'port with a leading zero' },
  { origin: 'https://www.example.com.', source: 'trailing dot in the host' },
  { origin: 'https://evil.example.com.', source: 'trailing dot on a subdomain' },
  { origin: 'https://www.ex\u0430mple.com', source: 'Unicode look-alike (Cyrillic а)' },
  { origin: 'https://www.xn--exmple-4nf.com', source: 'punycode of the look-alike' },
  { origin: 'https://evil.ex\u0430mple.com', source: 'Unicode look-alike parent' },
  { origin: 'https://www.example.com@evil.com', source: 'userinfo' },
  { origin: 'https://evil.com#@www.example.com', source: 'fragment before @' },
  { origin: 'https://www.example.com, https://evil.com', source: 'a joined list in one header' },
  { origin: 'https://www.example.com', source: 'two Origin headers', lines: ['https://www.example.com', 'https://www.example.com'] },
  { origin: 'https://evil.com', source: 'two Origin headers, evil first', lines: ['https://evil.com', 'https://www.example.com'] },
  { origin: `https://${'a'.repeat(10 * 1024)}.example.com`, source: '10 KB origin under the pattern' },
  { origin: `https://www.example.com${' '.repeat(1)}x`, source: 'inner space' },
  { origin: 'https://www.exa\tmple.com', source: 'inner tab' },
  { origin: 'https://www.example.com\u0000', source: 'NUL' },
  { origin: 'https://www.example.com\u000b.evil.com', source: 'vertical tab' },
  { origin: 'https://www.example.com\u001f', source: 'unit separator' },
  { origin: 'https://www.example.com\u007f', source: 'DEL' },
  { origin: 'https://evil.com\rX-Injected: 1', source: 'bare CR' },
  { origin: 'https://evil.com\nX-Injected: 1', source: 'bare LF' },
  { origin: 'https://evil.com\r\nAccess-Control-Allow-Origin: *', source: 'CR LF injecting a header' },
  { origin: 'https://evil.com\r\n https://www.example.com', source: 'obsolete line folding' },
  { origin: 'https://www.example.com%0d%0aX-Injected:%201', source: 'percent-encoded CR LF' },
  { origin: 'https://[::1].example.com', source: 'IPv6 literal as a label' },
  { origin: 'https://127.0.0.1', source: 'IP address' },
  { origin: 'file://www.example.com', source: 'file scheme' },
  { origin: 'javascript://www.example.com', source: 'javascript scheme' },
  { origin: '', source: 'empty' },
];

const isAllowed = (row: AttackRow, config: ConfigName) => row.allowedBy?.includes(config) === true;

test('the table lists every scanner class and trick of the brief', () => {
  assert.ok(ROWS.length >= 70);
  for (const c of SPECIAL_CHARACTERS) assert.ok(ROWS.some((r) => r.source.endsWith(`special character ${c}`)));
});

test('policy level: each crafted origin is decided as the table says, and nothing unvalidated is written', () => {
  for (const [name, options] of Object.entries(CONFIGS) as Array<[ConfigName, CorsOptions]>) {
    const policy = new CorsPolicy(options);
    for (const row of ROWS) {
      const origin = row.lines === undefined ? row.origin : row.lines.join(', ');
      const expected = row.lines === undefined && isAllowed(row, name);
      const actual = new Map<string, string>();
      assert.equal(drive(policy, actual, mapHeaderWriter, 'GET', origin, undefined, undefined), undefined);
      const preflight = new Map<string, string>();
      const result = drive(policy, preflight, mapHeaderWriter, 'OPTIONS', origin, 'PUT', 'authorization') as PreflightAnswer;
      assert.equal(result.allowed, expected, `${name}: ${row.source}: ${JSON.stringify(origin)}`);
      for (const headers of [actual, preflight]) {
        assert.equal(headers.get('access-control-allow-origin'), expected ? origin : undefined, `${name}: ${row.source}`);
        for (const [field, value] of headers) {
          assert.ok(/^[\x20-\x7e]*$/.test(value), `${field} carries only visible ASCII: ${JSON.stringify(value)}`);
          if (!expected && origin.length >= 8) assert.ok(!value.includes(origin), `${field} does not echo ${row.source}`);
        }
      }
    }
  }
});

const servers: RunningServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

function requestBytes(row: AttackRow, preflight: boolean): Buffer {
  const lines = (row.lines ?? [row.origin]).map((value) => ['Origin', value] as const);
  const headers = preflight
    ? [...lines, ['Access-Control-Request-Method', 'PUT'] as const, ['Access-Control-Request-Headers', 'authorization'] as const]
    : lines;
  // Header values go out as UTF-8, as a raw client would send a Unicode host.
  const head = rawRequest(
    preflight ? 'OPTIONS' : 'GET',
    '/r',
    headers.map(([n, v]) => [n, Buffer.from(v, 'utf8').toString('latin1')]),
  );
  return head;
}

for (const adapter of ADAPTERS) {
  test(`over raw HTTP through ${adapter.name}: none allowed beyond design, none crashes, nothing echoed`, async () => {
    for (const [name, options] of Object.entries(CONFIGS) as Array<[ConfigName, CorsOptions]>) {
      const server = await adapter.start(options);
      servers.push(server);
      for (const row of ROWS) {
        const expected = row.lines === undefined && isAllowed(row, name);
        const wire = Buffer.from(row.origin, 'utf8').toString('latin1');
        for (const preflight of [false, true]) {
          const label = `${adapter.name} / ${name} / ${preflight ? 'preflight' : 'GET'} / ${row.source}`;
          const callsBefore = server.handlerCalls();
          const response = parseResponse(await rawExchange(server.port, requestBytes(row, preflight)));
          if (expected) {
            assert.equal(response.status, preflight ? 204 : 200, label);
            assert.equal(fieldGet(response, 'access-control-allow-origin'), row.origin, label);
            assert.equal(fieldGet(response, 'access-control-allow-credentials'), 'true', label);
          } else {
            assert.deepEqual(corsFields(response), [], `${label}: no CORS header`);
            if (preflight) assert.ok(response.status >= 400, `${label}: refused (${response.status})`);
            else assert.ok(response.status === 200 || response.status === 400, `${label}: served or refused by HTTP (${response.status})`);
            if (wire.length >= 8) assert.ok(!response.head.includes(wire), `${label}: the origin does not appear in the response`);
          }
          if (preflight) assert.equal(server.handlerCalls(), callsBefore, `${label}: a preflight never reaches the handler`);
          for (const [field, value] of response.headers) {
            if (field !== 'access-control-allow-origin') assert.ok(!(wire.length >= 8 && value.includes(wire)), `${label}: ${field}`);
          }
        }
      }
      // Still serving after the whole table.
      const healthy = parseResponse(
        await rawExchange(
          server.port,
          rawRequest('GET', '/r', [['Origin', name === 'exact' ? 'https://www.example.com' : 'https://a.example.com']]),
        ),
      );
      assert.equal(healthy.status, 200);
      assert.notEqual(fieldGet(healthy, 'access-control-allow-origin'), null);
    }
  });
}
