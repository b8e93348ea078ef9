/**
 * `corsguard explain` on console messages copied from real captures (Chromium 156, Firefox ESR
 * 153, WebKitGTK 2.50; test/browsers/console.test.ts re-captures them on every browser run), and
 * `check`'s predicted message for the same failures against a real server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type http from 'node:http';
import { listen } from '../../test/support/server.js';
import { runCheck } from './check.js';
import { runCli, type CliIo } from './cli.js';
import { explainMessage, MAX_MESSAGE_LENGTH } from './explain.js';
import type { Engine } from './browser-model.js';

/** Real console lines, each with what explain must find. */
const CAPTURED: readonly {
  readonly text: string;
  readonly engine: Engine;
  readonly step: string;
  readonly ids: readonly string[];
  readonly url?: string;
  readonly origin?: string;
}[] = [
  {
    text: "Access to fetch at 'http://localhost:42585/noacao' from origin 'http://127.0.0.1:46053' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    engine: 'chromium',
    step: 'actual',
    ids: ['allow-origin-missing'],
    url: 'http://localhost:42585/noacao',
    origin: 'http://127.0.0.1:46053',
  },
  {
    text: "Access to fetch at 'http://localhost:42585/wrong' from origin 'http://127.0.0.1:46053' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'http://other.example' that is not equal to the supplied origin. Have the server send the header with a valid value.",
    engine: 'chromium',
    step: 'actual',
    ids: ['allow-origin-mismatch'],
  },
  {
    text: "Access to fetch at 'http://localhost:42585/multi' from origin 'http://127.0.0.1:46053' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header contains multiple values 'a, b', but only one is allowed. Have the server send the header with a valid value.",
    engine: 'chromium',
    step: 'actual',
    ids: ['allow-origin-multiple'],
  },
  {
    text: "Access to fetch at 'http://localhost:42585/wildcred' from origin 'http://127.0.0.1:46053' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
    engine: 'chromium',
    step: 'actual',
    ids: ['allow-origin-wildcard-credentials'],
  },
  {
    text: "Access to fetch at 'http://localhost:42585/nocred' from origin 'http://127.0.0.1:46053' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.",
    engine: 'chromium',
    step: 'actual',
    ids: ['allow-credentials-missing'],
  },
  {
    text: "Access to fetch at 'http://localhost:42585/pf-noacao' from origin 'http://127.0.0.1:46053' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    engine: 'chromium',
    step: 'preflight',
    ids: ['allow-origin-missing', 'preflight-forbidden', 'preflight-unauthorized', 'preflight-no-options-route'],
  },
  {
    text: "Access to fetch at 'http://localhost:42585/pf-401' from origin 'http://127.0.0.1:46053' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: It does not have HTTP ok status.",
    engine: 'chromium',
    step: 'preflight',
    ids: ['preflight-unauthorized', 'preflight-forbidden', 'preflight-no-options-route', 'preflight-server-error', 'preflight-status'],
  },
  {
    text: "Access to fetch at 'http://localhost:42585/pf-method' from origin 'http://127.0.0.1:46053' has been blocked by CORS policy: Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.",
    engine: 'chromium',
    step: 'preflight',
    ids: ['method-not-allowed', 'method-case-mismatch', 'method-wildcard-credentials'],
  },
  {
    // Captured by the browser suite (reports/console-messages.json), as the ones below.
    text: "Access to fetch at 'http://127.0.0.1:35861/s/chromium-node/redirect-away-listed/items' (redirected from 'http://localhost:35861/s/chromium-node/redirect-away-listed/redirect-away') from origin 'http://127.0.0.1:35671' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    engine: 'chromium',
    step: 'redirect',
    ids: ['allow-origin-missing'],
    url: 'http://localhost:35861/s/chromium-node/redirect-away-listed/redirect-away',
    origin: 'http://127.0.0.1:35671',
  },
  {
    text: "Access to fetch at 'http://localhost:35861/s/chromium-node/wildcard-authorization-denied/items' from origin 'http://127.0.0.1:35671' has been blocked by CORS policy: Request header field authorization is not allowed by Access-Control-Allow-Headers in preflight response.",
    engine: 'chromium',
    step: 'preflight',
    ids: ['authorization-wildcard', 'header-not-allowed', 'header-wildcard-credentials'],
  },
  {
    text: "Access to fetch at 'http://localhost:35861/s/chromium-node/api-lowercase-patch-denied/items' from origin 'http://127.0.0.1:35671' has been blocked by CORS policy: Method patch is not allowed by Access-Control-Allow-Methods in preflight response.",
    engine: 'chromium',
    step: 'preflight',
    ids: ['method-not-allowed', 'method-case-mismatch', 'method-wildcard-credentials'],
  },
  {
    text: "Access to fetch at 'http://localhost:35861/s/chromium-node/redirect-userinfo/redirect-userinfo' from origin 'http://127.0.0.1:35671' has been blocked by CORS policy: Redirect location '' contains a username and password, which is disallowed for cross-origin requests.",
    engine: 'chromium',
    step: 'redirect',
    ids: ['redirect-credentials'],
  },
  {
    text: "Access to fetch at 'http://localhost:35861/s/chromium-node/quirk-allow-origin-space-and-valid/items' from origin 'http://127.0.0.1:35671' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header contains multiple values '*, *', but only one is allowed. Have the server send the header with a valid value.",
    engine: 'chromium',
    step: 'actual',
    ids: ['allow-origin-multiple'],
  },
  {
    // A 403 preflight without CORS headers: Firefox checks the headers first, the status tells who answered.
    text: 'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://localhost:37443/s/firefox-node/production-wrong-origin-put/items. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 403.',
    engine: 'firefox',
    step: 'unknown',
    ids: ['allow-origin-missing', 'preflight-forbidden'],
  },
  {
    text: 'Cross-origin redirection to http://localhost:41829/s/webkit-console/redirect-userinfo/items denied by Cross-Origin Resource Sharing policy: redirection URL http://user:secret@localhost:41829/s/webkit-console/redirect-userinfo/items has credentials',
    engine: 'webkit',
    step: 'redirect',
    ids: ['redirect-credentials'],
  },
  {
    text: 'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://localhost:33935/noacao. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 200.',
    engine: 'firefox',
    step: 'unknown',
    ids: ['allow-origin-missing'],
    url: 'http://localhost:33935/noacao',
  },
  {
    text: 'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ‘http://localhost:33935/wildcred’. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’).',
    engine: 'firefox',
    step: 'unknown',
    ids: ['allow-origin-wildcard-credentials'],
    url: 'http://localhost:33935/wildcred',
  },
  {
    // A failed preflight, pasted with the line Firefox prints after it: the pair says "preflight".
    text:
      'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://localhost:33935/pf-noacao. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 204.\n' +
      'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://localhost:33935/pf-noacao. (Reason: CORS request did not succeed). Status code: (null).',
    engine: 'firefox',
    step: 'preflight',
    ids: ['allow-origin-missing'],
  },
  {
    text: 'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://localhost:33935/pf-401. (Reason: CORS preflight response did not succeed). Status code: 401.',
    engine: 'firefox',
    step: 'preflight',
    ids: ['preflight-unauthorized'],
  },
  {
    text: 'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://localhost:33935/pf-header. (Reason: header ‘x-api-key’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).',
    engine: 'firefox',
    step: 'preflight',
    ids: ['header-not-allowed', 'header-wildcard-credentials'],
  },
  {
    text: 'CONSOLE SECURITY ERROR Origin http://127.0.0.1:33083 is not allowed by Access-Control-Allow-Origin. Status code: 200\nCONSOLE JS ERROR Fetch API cannot load http://localhost:41035/noacao due to access control checks.',
    engine: 'webkit',
    step: 'unknown',
    ids: [
      'allow-origin-missing',
      'allow-origin-mismatch',
      'allow-origin-trailing-slash',
      'allow-origin-case',
      'allow-origin-scheme',
      'allow-origin-port',
    ],
    url: 'http://localhost:41035/noacao',
    origin: 'http://127.0.0.1:33083',
  },
  {
    text: '[Error] Preflight response is not successful. Status code: 307',
    engine: 'webkit',
    step: 'preflight',
    ids: ['preflight-redirect'],
  },
  {
    text: 'Request header field X-Api-Key is not allowed by Access-Control-Allow-Headers.',
    engine: 'webkit',
    step: 'preflight',
    ids: ['header-not-allowed', 'header-wildcard-credentials'],
  },
  {
    text: 'Credentials flag is true, but Access-Control-Allow-Credentials is not "true".',
    engine: 'webkit',
    step: 'unknown',
    ids: ['allow-credentials-missing', 'allow-credentials-not-true'],
  },
  {
    text: 'Cross-origin redirection to data:text/plain,x denied by Cross-Origin Resource Sharing policy: not allowed to follow a cross-origin CORS redirection with non CORS scheme',
    engine: 'webkit',
    step: 'redirect',
    ids: ['redirect-not-http'],
  },
];

for (const c of CAPTURED) {
  test(`explain reads ${c.engine}: ${c.text.slice(0, 90)}...`, () => {
    const e = explainMessage(c.text);
    assert.ok(e !== undefined);
    assert.equal(e.engine, c.engine);
    assert.equal(e.step, c.step);
    assert.deepEqual(
      e.problems.map((p) => p.id),
      c.ids,
    );
    if (c.url !== undefined) assert.equal(e.url, c.url);
    if (c.origin !== undefined) assert.equal(e.origin, c.origin);
  });
}

function capture(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, env: {}, stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) } };
}

test('explain --json gives engine, step, the problem ids check uses, and the check command with URL and origin', async () => {
  const io = capture();
  const code = await runCli(['explain', '--json', CAPTURED[7]!.text], io);
  assert.equal(code, 0);
  const json = JSON.parse(io.out.join(''));
  assert.equal(json.engine, 'chromium');
  assert.equal(json.step, 'preflight');
  assert.equal(json.problems[0].id, 'method-not-allowed');
  assert.equal(json.check, "corsguard check 'http://localhost:42585/pf-method' --origin 'http://127.0.0.1:46053' --method 'PUT'");
});

test('explain: an unknown message is answered plainly, exit 1; no message is a usage error, exit 2', async () => {
  const io = capture();
  assert.equal(await runCli(['explain', 'TypeError: Failed to fetch'], io), 1);
  assert.match(io.err.join(''), /not a CORS error corsguard knows/);
  const json = capture();
  assert.equal(await runCli(['explain', '--json', 'hello'], json), 1);
  assert.deepEqual(JSON.parse(json.out.join('')).problems, []);
  const none = capture();
  assert.equal(await runCli(['explain'], none), 2);
  assert.match(none.err.join(''), /needs the console message/);
  const long = capture();
  assert.equal(await runCli(['explain', 'x'.repeat(MAX_MESSAGE_LENGTH + 1)], long), 2);
});

test('explain: hostile input is bounded and reaches the terminal escaped', async () => {
  // A forged message with terminal controls in the URL and origin.
  const io = capture();
  const forged =
    "Access to fetch at 'http://x/\u001b]52;c;AAAA\u0007' from origin 'http://a\u202e' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.";
  assert.equal(await runCli(['explain', forged], io), 0);
  const printed = io.out.join('');
  assert.doesNotMatch(printed, /[\u001b\u0007\u202e]/);
  assert.match(printed, /\\x1b\]52/);
  // Many unterminated markers: parsed in linear time (each line scanned a bounded number of times).
  const hostile = `${"Access to fetch at '".repeat(700)}\n${'Origin '.repeat(2000)}`.slice(0, MAX_MESSAGE_LENGTH);
  assert.equal(explainMessage(hostile), undefined);
});

test("check predicts each engine's console message for a failure, and explain reads it back to check's problem id", async () => {
  const server = await listen((req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'Access-Control-Allow-Origin': req.headers.origin ?? '', 'Access-Control-Allow-Methods': 'PUT' });
      res.end();
      return;
    }
    res.writeHead(200, { 'Access-Control-Allow-Origin': req.headers.origin ?? '' }).end('ok');
  });
  try {
    const report = await runCheck({
      url: `${server.url}/items`,
      origin: 'http://127.0.0.1:3000',
      method: 'PUT',
      headers: [['X-Api-Key', 'k']],
      credentials: false,
      readHeaders: [],
      engines: ['chromium', 'firefox', 'webkit'],
      probes: false,
      timeoutMs: 5000,
    });
    const texts = Object.fromEntries(report.verdicts.map((v) => [v.engine, v.consoleMessage?.text]));
    assert.deepEqual(texts, {
      chromium: `Access to fetch at '${server.url}/items' from origin 'http://127.0.0.1:3000' has been blocked by CORS policy: Request header field x-api-key is not allowed by Access-Control-Allow-Headers in preflight response.`,
      firefox: `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${server.url}/items. (Reason: header ‘x-api-key’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).`,
      webkit: 'Request header field X-Api-Key is not allowed by Access-Control-Allow-Headers.',
    });
    for (const v of report.verdicts) {
      const e = explainMessage(v.consoleMessage!.text);
      assert.equal(e?.engine, v.engine);
      assert.equal(e?.step, 'preflight');
      assert.ok(e?.problems.some((p) => p.id === 'header-not-allowed'));
    }
    const io = capture();
    assert.equal(
      await runCli(
        [
          'check',
          `${server.url}/items`,
          '--origin',
          'http://127.0.0.1:3000',
          '--method',
          'PUT',
          '-H',
          'X-Api-Key: k',
          '--skip-probes',
          '--json',
        ],
        io,
      ),
      1,
    );
    const json = JSON.parse(io.out.join(''));
    assert.equal(json.consoleMessages.webkit, texts.webkit);
    assert.equal(json.verdicts.chromium.consoleMessage.text, texts.chromium);
    const human = capture();
    await runCli(
      ['check', `${server.url}/items`, '--origin', 'http://127.0.0.1:3000', '--method', 'PUT', '-H', 'X-Api-Key: k', '--skip-probes'],
      human,
    );
    assert.match(human.out.join(''), /What each browser's console says[^\n]*\n {2}chromium: Access to fetch at /);
  } finally {
    await server.close();
  }
});
