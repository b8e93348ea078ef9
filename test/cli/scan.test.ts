/**
 * `corsguard scan` end to end: the built executable against real servers on loopback. Strict
 * corsguard configurations give no findings; servers misconfigured with the `cors` package
 * or by hand are each caught in their class, on their requests or on their preflights. Every
 * finding id is proven here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestListener } from 'node:http';
import express from 'express';
import cors from 'cors';
import { withCors } from '../../src/node/index.js';
import type { CorsOptions } from '../../src/core/options.js';
import { FINDING_IDS } from '../../src/cli/scan.js';
import { listen } from '../support/server.js';
import { APP, corsguard, scripted } from './support.js';

const seen = new Set<string>();

interface ScanJson {
  trustedOriginAllowed: boolean;
  findings: {
    id: string;
    severity: string;
    request: string;
    origin: string;
    credentials: boolean;
    preflight: { origin: string; credentials: boolean; methods: string[]; headers: string[] } | null;
    message: string;
    attacker: string;
    fix: string;
  }[];
  probes: { request: string; origin?: string }[];
}

async function scan(listener: RequestListener, extra: readonly string[] = []): Promise<{ code: number; report: ScanJson }> {
  const server = await listen(listener);
  try {
    const run = await corsguard(['scan', `${server.url}/api/me`, '--origin', APP, '--json', ...extra]);
    assert.equal(run.stderr, '', 'no progress line when stderr is not a terminal');
    const report = JSON.parse(run.stdout) as ScanJson;
    for (const f of report.findings) seen.add(f.id);
    return { code: run.code, report };
  } finally {
    await server.close();
  }
}

const hello = (_req: unknown, res: { end(body: string): void }): void => res.end('{"user":"alice"}');

function corsguardServer(options: CorsOptions): RequestListener {
  return withCors(hello as RequestListener, { onWarning: () => {}, ...options });
}

/** A hand-written CORS layer: allows an origin when `trusts` says so, with Vary: Origin. */
function handWritten(trusts: (origin: string) => boolean, credentials = true): RequestListener {
  return scripted((req) => {
    const origin = req.headers.origin;
    const headers: [string, string][] = [['Vary', 'Origin']];
    if (origin !== undefined && trusts(origin)) {
      headers.push(['Access-Control-Allow-Origin', origin]);
      if (credentials) headers.push(['Access-Control-Allow-Credentials', 'true']);
    }
    return { headers, body: '{"user":"alice"}' };
  });
}

/**
 * Strict on every request but OPTIONS: only APP gets CORS headers. Preflights get whatever
 * `preflight` returns for their Origin, Access-Control-Request-Method and -Headers.
 */
function laxPreflights(preflight: (origin: string, method: string, headers: string) => [string, string][]): RequestListener {
  return scripted((req) => {
    const origin = req.headers.origin;
    if (req.method === 'OPTIONS' && origin !== undefined) {
      const method = String(req.headers['access-control-request-method'] ?? '');
      return {
        status: 204,
        headers: [['Vary', 'Origin'], ...preflight(origin, method, String(req.headers['access-control-request-headers'] ?? ''))],
      };
    }
    const headers: [string, string][] = [['Vary', 'Origin']];
    if (origin === APP) headers.push(['Access-Control-Allow-Origin', APP], ['Access-Control-Allow-Credentials', 'true']);
    return { headers, body: '{"user":"alice"}' };
  });
}

/** A preflight answer that reflects the origin and echoes the requested method and headers. */
function echoing(origin: string, method: string, headers: string, credentials: boolean): [string, string][] {
  const out: [string, string][] = [
    ['Access-Control-Allow-Origin', origin],
    ['Access-Control-Allow-Methods', method],
    ['Access-Control-Allow-Headers', headers],
  ];
  if (credentials) out.push(['Access-Control-Allow-Credentials', 'true']);
  return out;
}

function app(options: cors.CorsOptions): RequestListener {
  return express().use(cors(options)).get('/api/me', hello);
}

interface Case {
  readonly name: string;
  readonly server: () => RequestListener;
  /** [id, severity] of every finding, in any order. */
  readonly findings: readonly (readonly [string, string])[];
  /** The findings are proved by preflights alone (the server's other answers are strict). */
  readonly provedByPreflight?: boolean;
}

const CASES: readonly Case[] = [
  {
    name: 'corsguard with an exact origin and credentials: no findings',
    server: () => corsguardServer({ allowOrigins: [APP], allowCredentials: true, allowMethods: ['PUT'] }),
    findings: [],
  },
  {
    name: 'corsguard with two exact origins, no credentials: no findings',
    server: () => corsguardServer({ allowOrigins: [APP, 'https://admin.example.com'] }),
    findings: [],
  },
  {
    name: 'corsguard with credentials, PUT, DELETE, Authorization and Content-Type: no findings on requests or preflights',
    server: () =>
      corsguardServer({
        allowOrigins: [APP],
        allowCredentials: true,
        allowMethods: ['PUT', 'DELETE'],
        allowHeaders: ['Authorization', 'Content-Type'],
      }),
    findings: [],
  },
  {
    name: 'strict GETs, but preflights reflect any origin with credentials and echo the method and headers',
    server: () => laxPreflights((origin, method, headers) => echoing(origin, method, headers, true)),
    findings: [['origin-reflected', 'high']],
    provedByPreflight: true,
  },
  {
    name: 'strict GETs, but preflights reflect any origin without credentials',
    server: () => laxPreflights((origin, method, headers) => echoing(origin, method, headers, false)),
    findings: [['origin-reflected', 'medium']],
    provedByPreflight: true,
  },
  {
    name: "strict GETs, but preflights trust 'null' with credentials and a fixed list of methods",
    server: () =>
      laxPreflights((origin) =>
        origin === 'null' || origin === APP
          ? [
              ['Access-Control-Allow-Origin', origin],
              ['Access-Control-Allow-Credentials', 'true'],
              ['Access-Control-Allow-Methods', 'GET, PUT, DELETE'],
            ]
          : [],
      ),
    findings: [['null-origin-trusted', 'high']],
    provedByPreflight: true,
  },
  {
    name: 'preflights that reflect any origin but grant no method or header beyond a simple request: no findings',
    server: () =>
      laxPreflights((origin) => [
        ['Access-Control-Allow-Origin', origin],
        ['Access-Control-Allow-Credentials', 'true'],
        ['Access-Control-Allow-Methods', 'GET, POST'],
      ]),
    findings: [],
  },
  {
    name: "preflights that reflect any origin with credentials and answer '*': '*' grants nothing with credentials, so no findings",
    server: () =>
      laxPreflights((origin) => [
        ['Access-Control-Allow-Origin', origin],
        ['Access-Control-Allow-Credentials', 'true'],
        ['Access-Control-Allow-Methods', '*'],
        ['Access-Control-Allow-Headers', '*'],
      ]),
    findings: [],
  },
  {
    name: "strict GETs, but preflights answer '*' and grant PUT: the wildcard is reported as low",
    server: () =>
      laxPreflights(() => [
        ['Access-Control-Allow-Origin', '*'],
        ['Access-Control-Allow-Methods', 'PUT'],
      ]),
    findings: [['wildcard-origin', 'low']],
    provedByPreflight: true,
  },
  {
    name: 'cors({ origin: true, credentials: true }) reflects every origin',
    server: () => app({ origin: true, credentials: true }),
    findings: [['origin-reflected', 'high']],
  },
  {
    name: 'a hand-written server reflecting every origin without credentials',
    server: () => handWritten(() => true, false),
    findings: [['origin-reflected', 'medium']],
  },
  {
    name: "cors({ origin: ['null', APP], credentials: true }) trusts null",
    server: () => app({ origin: ['null', APP], credentials: true }),
    findings: [['null-origin-trusted', 'high']],
  },
  {
    name: 'origin.startsWith(trusted): prefix match',
    server: () => handWritten((o) => o.startsWith(APP)),
    findings: [['prefix-match', 'high']],
  },
  {
    name: "origin.endsWith('example.com'): suffix match (and any subdomain, and http)",
    server: () => handWritten((o) => o.endsWith('example.com')),
    findings: [
      ['suffix-match', 'high'],
      ['any-subdomain-trusted', 'medium'],
      ['http-origin-trusted', 'medium'],
    ],
  },
  {
    name: 'trusted.includes(origin): substring match',
    server: () => handWritten((o) => APP.includes(o)),
    findings: [['substring-match', 'high']],
  },
  {
    name: 'cors with /^https:\\/\\/app.example.com$/: unescaped dot',
    server: () => app({ origin: /^https:\/\/app.example.com$/, credentials: true }),
    findings: [['unescaped-dot', 'high']],
  },
  {
    name: 'cors with a regex that stops at domain characters: special-character bypass',
    server: () => app({ origin: /^https:\/\/([a-z0-9-]+\.)*example\.com(?![\w.-])/, credentials: true }),
    findings: [
      ['special-characters', 'high'],
      ['any-subdomain-trusted', 'medium'],
    ],
  },
  {
    name: 'cors with an unanchored regex /example\\.com/: prefix, suffix, subdomains and http',
    server: () => app({ origin: /example\.com/, credentials: true }),
    findings: [
      ['prefix-match', 'high'],
      ['suffix-match', 'high'],
      ['any-subdomain-trusted', 'medium'],
      ['http-origin-trusted', 'medium'],
    ],
  },
  {
    name: 'cors trusting the http twin of the https origin',
    server: () => app({ origin: [APP, 'http://app.example.com'], credentials: true }),
    findings: [['http-origin-trusted', 'medium']],
  },
  {
    name: 'corsguard with https://*.example.com: any subdomain (low without credentials)',
    server: () => corsguardServer({ allowOrigins: ['https://*.example.com'] }),
    findings: [['any-subdomain-trusted', 'low']],
  },
  {
    name: 'cors trusting codepen.io and *.github.io',
    server: () => app({ origin: [APP, 'https://codepen.io', /\.github\.io$/], credentials: true }),
    findings: [['third-party-origin-trusted', 'high']],
  },
  {
    name: 'a hand-written allow list without Vary: Origin',
    server: () =>
      scripted((req) => ({
        headers:
          req.headers.origin === APP
            ? [
                ['Access-Control-Allow-Origin', APP],
                ['Access-Control-Allow-Credentials', 'true'],
              ]
            : [],
      })),
    findings: [['vary-origin-missing', 'medium']],
  },
  {
    name: "cors({ origin: '*', credentials: true }): wildcard on a credentialed API",
    server: () => app({ origin: '*', credentials: true }),
    findings: [['wildcard-with-credentials', 'low']],
  },
  {
    name: "corsguard with allowOrigins '*': the wildcard is reported as low",
    server: () => corsguardServer({ allowOrigins: '*' }),
    findings: [['wildcard-origin', 'low']],
  },
];

for (const c of CASES) {
  test(`scan: ${c.name}`, async () => {
    const { code, report } = await scan(c.server());
    const got = report.findings.map((f) => `${f.id}:${f.severity}`).sort();
    assert.deepEqual(got, c.findings.map(([id, severity]) => `${id}:${severity}`).sort(), JSON.stringify(report.findings, null, 1));
    assert.equal(code, c.findings.some(([, s]) => s === 'high') ? 1 : 0);
    assert.ok(
      report.probes.some((p) => p.request === 'preflight'),
      'preflights were sent',
    );
    for (const f of report.findings) {
      assert.ok(f.message && f.attacker && f.fix, `${f.id} says what is wrong, what an attacker can do, and the fix`);
      if (f.id !== 'vary-origin-missing') assert.notEqual(f.origin, APP, 'proved by a crafted origin');
      assert.equal(f.request, c.provedByPreflight === true ? 'preflight' : 'actual', `${f.id}: the request that proved it`);
      if (f.request === 'preflight' && f.preflight !== null) {
        assert.equal(f.preflight.origin, f.origin);
        assert.ok(f.preflight.methods.includes('PUT'), `${f.id}: the preflight grants PUT`);
      }
    }
  });
}

test('scan: human output lists each finding with its proof; exit 2 when the server is down', async () => {
  const server = await listen(app({ origin: true, credentials: true }));
  try {
    const run = await corsguard(['scan', server.url, '--origin', APP]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /HIGH\s+origin-reflected/);
    assert.match(
      run.stdout,
      /proof: +Origin: https:\/\/attacker\.example -> Access-Control-Allow-Origin: https:\/\/attacker\.example, Access-Control-Allow-Credentials: true/,
    );
    assert.match(
      run.stdout,
      /proof: +OPTIONS with Origin: https:\/\/attacker\.example, Access-Control-Request-Method: PUT, Access-Control-Request-Headers: authorization,content-type,x-corsguard-probe -> Access-Control-Allow-Origin: https:\/\/attacker\.example, Access-Control-Allow-Credentials: true, Access-Control-Allow-Methods: 'GET,HEAD,PUT,PATCH,POST,DELETE', Access-Control-Allow-Headers: 'authorization,content-type,x-corsguard-probe'/,
    );
    assert.match(run.stdout, /1 finding: 1 high, 0 medium, 0 low/);
    assert.equal(run.stderr, '');
  } finally {
    await server.close();
  }
  const down = await corsguard(['scan', server.url, '--origin', APP]);
  assert.equal(down.code, 2);
  assert.match(down.stderr, /connection refused/);
  const badDomain = await corsguard(['scan', server.url, '--origin', APP, '--domain', 'other.org']);
  assert.equal(badDomain.code, 2);
});

test('scan: a note when the trusted origin itself is refused', async () => {
  const server = await listen(corsguardServer({ allowOrigins: ['https://admin.example.com'] }));
  try {
    const run = await corsguard(['scan', server.url, '--origin', APP]);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /does not allow the trusted origin/);
  } finally {
    await server.close();
  }
});

test('scan: every finding id is proven by a case above', () => {
  assert.deepEqual(
    FINDING_IDS.filter((id) => !seen.has(id)),
    [],
  );
});
