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
  // Mixed content, captured by `corsguard check --real` from https://app.example.com (Chromium 156, Firefox ESR 153).
  {
    text: "Mixed Content: The page at 'https://app.example.com/__corsguard-real' was loaded over HTTPS, but requested an insecure resource 'http://api.corsguard-mixed.invalid/items'. This request has been blocked; the content must be served over HTTPS.",
    engine: 'chromium',
    step: 'not-sent',
    ids: ['mixed-content'],
    url: 'http://api.corsguard-mixed.invalid/items',
    origin: 'https://app.example.com',
  },
  {
    text: 'Blocked loading mixed active content \u201chttp://api.corsguard-mixed.invalid/items\u201d',
    engine: 'firefox',
    step: 'not-sent',
    ids: ['mixed-content'],
    url: 'http://api.corsguard-mixed.invalid/items',
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

test('the predicted message spells header names as the engines print them, whatever case corsguard sends', async () => {
  const { consoleMessage } = await import('./console-messages.js');
  const captured = CAPTURED.find((c) => c.ids[0] === 'allow-origin-wildcard-credentials' && c.engine === 'chromium');
  const predicted = consoleMessage('chromium', 'allow-origin-wildcard-credentials', {
    url: 'http://localhost:42585/wildcred',
    failedUrl: 'http://localhost:42585/wildcred',
    origin: 'http://127.0.0.1:46053',
    pageOrigin: 'http://127.0.0.1:46053',
    step: 'actual',
    status: 200,
    responseHeaders: { 'access-control-allow-origin': '*' },
    method: 'GET',
  });
  assert.equal(predicted?.text, captured?.text);
});

test("explain reads each engine's mixed-content line: the request was never sent, the fix is https, and the check command names the page's origin", async () => {
  // WebKit's wordings, from WebKit's MixedContentChecker.cpp (current, then before 2023), as Safari's console shows them;
  // WebKitGTK cannot be placed at an https origin here (check --real), so they are not captured.
  const webkit = [
    '[Warning] [blocked] The page at https://app.example.com/orders?x=1 requested insecure content from http://api.example.net/items. This content was blocked and must be served over HTTPS.',
    '[blocked] The page at https://app.example.com/orders was not allowed to run insecure content from http://api.example.net/items.',
  ];
  for (const text of webkit) {
    const e = explainMessage(text);
    assert.ok(e !== undefined, text);
    assert.equal(e.engine, 'webkit');
    assert.equal(e.step, 'not-sent');
    assert.deepEqual(
      e.problems.map((p) => p.id),
      ['mixed-content'],
    );
    assert.equal(e.url, 'http://api.example.net/items');
    assert.equal(e.origin, 'https://app.example.com');
  }
  // An XMLHttpRequest's line, as Chromium words it, with the console's prefix.
  const xhr = explainMessage(
    "app.js:12 Mixed Content: The page at 'https://app.example.com/' was loaded over HTTPS, but requested an insecure XMLHttpRequest endpoint 'http://api.example.net/it's'. This request has been blocked; the content must be served over HTTPS.",
  );
  assert.equal(xhr?.url, "http://api.example.net/it's");
  // A load Chromium upgraded instead of blocking (images) is no failure to explain.
  assert.equal(
    explainMessage(
      "Mixed Content: The page at 'https://app.example.com/' was loaded over HTTPS, but requested an insecure element 'http://img.example.net/a.png'. This request was automatically upgraded to HTTPS, For more information see https://blog.chromium.org/2019/10/no-more-mixed-messages-about-https.html",
    ),
    undefined,
  );
  const io = capture();
  assert.equal(await runCli(['explain', '--json', CAPTURED.find((c) => c.step === 'not-sent')!.text], io), 0);
  const json = JSON.parse(io.out.join(''));
  assert.equal(json.step, 'not-sent');
  assert.deepEqual(
    json.problems.map((p: { id: string }) => p.id),
    ['mixed-content'],
  );
  assert.match(json.problems[0].fix, /serve the API over https/);
  assert.equal(json.check, "corsguard check 'http://api.corsguard-mixed.invalid/items' --origin 'https://app.example.com'");
  const human = capture();
  assert.equal(await runCli(['explain', webkit[0]!], human), 0);
  assert.match(human.out.join(''), /\[mixed-content\] the page is served over https and the URL is plain http/);
  assert.match(human.out.join(''), /step: {4}none: the browser refused to send the request at all/);
});

test("check's predicted mixed-content line is read back by explain to check's problem id", async () => {
  const report = await runCheck({
    url: 'http://api.corsguard-mixed.invalid/items',
    origin: 'https://app.example.com',
    method: 'GET',
    headers: [],
    credentials: false,
    readHeaders: [],
    engines: ['chromium', 'firefox', 'webkit'],
    probes: false,
    timeoutMs: 5_000,
  });
  const predicted = report.verdicts.flatMap((v) => (v.consoleMessage === undefined ? [] : [v.consoleMessage.text]));
  assert.equal(predicted.length, 1, 'Firefox only: the others name the page URL, which check does not know');
  assert.deepEqual(
    explainMessage(predicted[0]!)?.problems.map((p) => p.id),
    ['mixed-content'],
  );
});

test('explain: unterminated mixed-content markers are refused in linear time', () => {
  const hostile =
    `${"Mixed Content: The page at '".repeat(300)}\n${'[blocked] The page at '.repeat(400)}\n${'Blocked loading mixed active content \u201c'.repeat(200)}`.slice(
      0,
      MAX_MESSAGE_LENGTH,
    );
  assert.equal(explainMessage(hostile), undefined);
});
