/**
 * `corsguard check` speaking curl, end to end: the built executable against real servers on
 * loopback. curl's flags, a pasted "Copy as cURL" command, and the messages for the mistakes users
 * make (no scheme, https against plain HTTP, a server that is not HTTP, one that never answers, an
 * error status behind an ALLOWED verdict).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { withCors } from '../../src/node/index.js';
import { closeServer, listen } from '../support/server.js';
import { rawServer } from '../support/raw-server.js';
import { APP, checkJson, corsguard, scripted, selfSignedLocalhost } from './support.js';

interface Seen {
  readonly method: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** corsguard on node:http allowing APP with credentials, PUT and JSON; records each request it gets. */
async function recordingApi(): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = await listen(
    withCors(
      (req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        req.on('end', () => {
          seen.push({ method: req.method ?? '', headers: req.headers, body });
          res.statusCode = req.url?.startsWith('/missing') ? 404 : 200;
          res.end('{}');
        });
      },
      {
        allowOrigins: [APP],
        allowCredentials: true,
        allowMethods: ['PUT'],
        allowHeaders: ['Content-Type', 'Authorization'],
        onWarning: () => {},
      },
    ),
  );
  return { url: server.url, seen, close: () => server.close() };
}

test('check -X PUT -H ... -d ...: curl flags make the same request as --method/--header/--body', async () => {
  const api = await recordingApi();
  try {
    const curl = await checkJson([
      `${api.url}/items/1`,
      '-X',
      'PUT',
      '--origin',
      APP,
      '-H',
      'Content-Type: application/json',
      '-d',
      '{"a":1}',
      '-b',
      's=1',
      '--skip-probes',
    ]);
    assert.equal(curl.code, 0, curl.stderr);
    assert.equal(curl.report.preflight, true);
    assert.deepEqual(
      curl.report.exchanges.map((e) => e.request.method),
      ['OPTIONS', 'PUT'],
    );
    const put = api.seen.find((s) => s.method === 'PUT');
    assert.equal(put?.body, '{"a":1}');
    assert.equal(put?.headers['content-type'], 'application/json');
    assert.match(curl.stderr, /note: -b \(cookies\) is read as --credentials/);
    assert.equal((curl.report as unknown as { credentials: boolean }).credentials, true);
  } finally {
    await api.close();
  }
});

test("check with a pasted Chromium 'Copy as cURL' command: origin, method, headers, body and credentials come from it", async () => {
  const api = await recordingApi();
  const pasted = `curl '${api.url}/items' \\
  -H 'accept: */*' \\
  -H 'content-type: application/json' \\
  -b 'session=s1' \\
  -H 'origin: ${APP}' \\
  -H 'priority: u=1, i' \\
  -H 'sec-fetch-mode: cors' \\
  -H 'user-agent: Mozilla/5.0 Chrome/131.0.0.0' \\
  -X 'PUT' \\
  --data-raw $'{"name":"it\\'s"}' \\
  --compressed`;
  try {
    // As one quoted string, and with a leading 'curl' word as bash splits it.
    for (const args of [
      [pasted],
      [
        'curl',
        `${api.url}/items`,
        '-H',
        `origin: ${APP}`,
        '-H',
        'content-type: application/json',
        '-b',
        'session=s1',
        '-X',
        'PUT',
        '--data-raw',
        `{"name":"it's"}`,
      ],
    ]) {
      api.seen.length = 0;
      const run = await checkJson([...args, '--skip-probes']);
      assert.equal(run.code, 0, run.stderr);
      const report = run.report as unknown as { origin: string; method: string; credentials: boolean; preflight: boolean };
      assert.equal(report.origin, APP);
      assert.equal(report.method, 'PUT');
      assert.equal(report.credentials, true);
      // Content-Type: application/json is what the page set: it is why the preflight asks for content-type.
      const preflight = run.report.exchanges.find((e) => e.step === 'preflight');
      assert.deepEqual(
        preflight?.request.headers.find(([name]) => name.toLowerCase() === 'access-control-request-headers'),
        ['Access-Control-Request-Headers', 'content-type'],
      );
      const put = api.seen.find((s) => s.method === 'PUT');
      assert.equal(put?.body, `{"name":"it's"}`);
      // Headers the browser added itself were not sent as page headers.
      assert.equal(put?.headers['priority'], undefined);
      assert.equal(put?.headers['sec-fetch-mode'], undefined);
    }
    const run = await corsguard(['check', pasted, '--skip-probes']);
    assert.match(run.stderr, /note: --compressed is left out/);
    assert.match(run.stderr, /left out, as headers the browser adds itself .*: priority, sec-fetch-mode, user-agent/);
  } finally {
    await api.close();
  }
});

test('check: no user sees a raw parser message; an unsupported curl flag is named', async () => {
  const refused = await corsguard(['check', 'http://127.0.0.1:9/', '--origin', APP, '-F', 'a=b']);
  assert.equal(refused.code, 2);
  assert.equal(
    refused.stderr,
    'corsguard check: -F: multipart form bodies (-F) are not supported; pass the body with --body and its Content-Type with -H\n',
  );
  const unknown = await corsguard(['check', 'http://127.0.0.1:9/', '--origin', APP, '--frobnicate']);
  assert.equal(unknown.code, 2);
  assert.doesNotMatch(unknown.stderr, /ERR_PARSE_ARGS|To specify an option argument starting with a dash|use "--/);
  assert.match(unknown.stderr, /unknown option '--frobnicate'/);
  // scan's options, read by node:util's parseArgs, are said as plainly.
  const scanUnknown = await corsguard(['scan', 'http://127.0.0.1:9/', '--frobnicate']);
  assert.equal(scanUnknown.stderr, "corsguard scan: unknown option '--frobnicate'; run 'corsguard scan --help' for the options\n");
  const scanMissing = await corsguard(['scan', '--openapi']);
  assert.equal(scanMissing.stderr, "corsguard scan: --openapi needs a value; run 'corsguard scan --help' for the options\n");
  const scanValue = await corsguard(['scan', 'http://127.0.0.1:9/', '--json=yes']);
  assert.equal(scanValue.stderr, "corsguard scan: --json takes no value; run 'corsguard scan --help' for the options\n");
});

test('check --version and corsguard --version print the package version', async () => {
  const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  for (const args of [['--version'], ['check', '--version']]) {
    const run = await corsguard(args);
    assert.equal(run.code, 0);
    assert.equal(run.stdout, `corsguard ${version}\n`);
  }
});

test('check: a URL or origin without a scheme gets "did you mean http://..."', async () => {
  const url = await corsguard(['check', 'localhost:8000/items', '--origin', APP]);
  assert.equal(url.code, 2);
  assert.equal(url.stderr, "corsguard check: 'localhost:8000/items' has no scheme; did you mean http://localhost:8000/items?\n");
  const origin = await corsguard(['check', 'http://localhost:8000/items', '--origin', 'localhost:3000']);
  assert.equal(origin.stderr, "corsguard check: --origin 'localhost:3000' has no scheme; did you mean http://localhost:3000?\n");
  const remote = await corsguard(['check', 'http://localhost:8000/items', '--origin', 'app.example.com']);
  assert.equal(remote.stderr, "corsguard check: --origin 'app.example.com' has no scheme; did you mean https://app.example.com?\n");
});

test('check https:// against a plain-HTTP server: a TLS error that says to use http://', async () => {
  const api = await recordingApi();
  try {
    const run = await corsguard(['check', api.url.replace('http:', 'https:'), '--origin', APP]);
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /^corsguard check: TLS failed for https:\/\/127\.0\.0\.1:\d+: the server did not answer in TLS \(.*\); if it serves plain HTTP, use an http:\/\/ URL\n$/,
    );
  } finally {
    await api.close();
  }
});

test('check against a server that does not speak HTTP: it says so, exit 2', async () => {
  const server = await rawServer((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\nProtocol mismatch.\r\n'), true);
  try {
    const run = await corsguard(['check', server.url, '--origin', APP]);
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /^corsguard check: http:\/\/127\.0\.0\.1:\d+ sent a response browsers refuse: it does not start with an HTTP status line \(is this an HTTP server\?\)\n$/,
    );
  } finally {
    await server.close();
  }
});

test('check against a server that never answers: the timeout names --timeout', async () => {
  const server = await rawServer(() => {});
  try {
    const run = await corsguard(['check', server.url, '--origin', APP, '--timeout', '0.5']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^corsguard check: http:\/\/127\.0\.0\.1:\d+ did not answer within 0\.5 s \(raise it with --timeout\)\n$/);
  } finally {
    await server.close();
  }
});

test('check: a 404 behind an ALLOWED verdict says the request reached an error response, not success', async () => {
  const api = await recordingApi();
  try {
    const run = await corsguard(['check', `${api.url}/missing`, '--origin', APP, '--skip-probes']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Verdict: ALLOWED/);
    assert.match(run.stdout, /note the request reached an error response \(404 Not Found\), not success: .*response\.ok is false/);
    const fine = await corsguard(['check', `${api.url}/items`, '--origin', APP, '--skip-probes']);
    assert.doesNotMatch(fine.stdout, /error response/);
    const blocked = await listen(scripted(() => ({ status: 500, body: 'boom' })));
    try {
      const run500 = await corsguard(['check', blocked.url, '--origin', APP, '--skip-probes']);
      assert.equal(run500.code, 1);
      assert.match(
        run500.stdout,
        /note the request reached an error response \(500 Internal Server Error\), not success; fix that as well as CORS/,
      );
    } finally {
      await blocked.close();
    }
  } finally {
    await api.close();
  }
});

test('check -k: a self-signed certificate is not verified (noted); without -k it is refused', async () => {
  const tls = selfSignedLocalhost();
  const answer = scripted(() => ({ headers: [['Access-Control-Allow-Origin', APP]], body: 'ok' }));
  const server = createHttpsServer({ key: tls.key, cert: tls.cert }, answer);
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const url = `https://localhost:${(server.address() as AddressInfo).port}/`;
  try {
    const refused = await corsguard(['check', url, '--origin', APP, '--skip-probes']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /self-signed certificate/);
    const insecure = await corsguard(['check', url, '--origin', APP, '--skip-probes', '-k']);
    assert.equal(insecure.code, 0, insecure.stderr);
    assert.match(insecure.stdout, /Verdict: ALLOWED/);
    assert.match(insecure.stderr, /note: --insecure: the server's certificate is not verified; a browser refuses/);
    // Chromium copies plain-http requests with --insecure too: no note there.
    const api = await recordingApi();
    try {
      const plain = await corsguard(['check', api.url, '--origin', APP, '--skip-probes', '--insecure']);
      assert.equal(plain.code, 0, plain.stderr);
      assert.equal(plain.stderr, '');
    } finally {
      await api.close();
    }
  } finally {
    await closeServer(server);
    tls.remove();
  }
});
