/**
 * Local Network Access as the model states it (local-network-access.ts): which requests Chromium
 * gates, the warning, the console line it prints (measured in Chromium 156 by
 * test/browsers/local-network-access.test.ts), and explain reading that line back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainMessage } from './explain.js';
import {
  addressSpaceOfHost,
  localNetworkAccessConsoleMessage,
  localNetworkAccessProblem,
  localNetworkRequest,
} from './local-network-access.js';

test('address spaces from URL hosts: loopback, local (RFC 1918, link-local, IPv6 outside 2000::/3, .local), public; other names unknown', () => {
  const cases: [string, string | undefined][] = [
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['localhost', 'loopback'],
    ['api.localhost', 'loopback'],
    ['[::1]', 'loopback'],
    ['10.0.0.5', 'local'],
    ['172.16.0.1', 'local'],
    ['172.31.255.255', 'local'],
    ['172.32.0.1', 'public'],
    ['172.15.0.1', 'public'],
    ['192.168.1.20', 'local'],
    ['169.254.169.254', 'local'],
    ['printer.local', 'local'],
    ['[fd00::2]', 'local'],
    ['[fe80::1]', 'local'],
    ['[::ffff:192.168.0.1]', 'local'],
    ['[::ffff:8.8.8.8]', 'public'],
    ['[2001:db8::1]', 'public'],
    ['[ff02::1]', 'public'],
    ['8.8.8.8', 'public'],
    ['192.0.2.2', 'public'],
    ['1.2.3', undefined],
    ['256.1.1.1', undefined],
    ['api.example.com', undefined],
    ['intranet', undefined],
  ];
  assert.deepEqual(
    cases.map(([host]) => [host, addressSpaceOfHost(host)]),
    cases,
  );
});

test('a local network request: a public page to loopback or local, a local page to loopback; never the other way, nor to an unknown name', () => {
  assert.deepEqual(localNetworkRequest('https://app.example.com', 'http://127.0.0.1:8000/items'), {
    from: 'public',
    to: 'loopback',
    canAsk: true,
  });
  assert.deepEqual(localNetworkRequest('http://app.example.com', 'http://192.168.1.20/'), { from: 'public', to: 'local', canAsk: false });
  assert.deepEqual(localNetworkRequest('http://192.168.1.20:3000', 'http://localhost:8000/'), {
    from: 'local',
    to: 'loopback',
    canAsk: false,
  });
  assert.deepEqual(localNetworkRequest('https://[fd00::2]', 'http://[::1]:8000/'), { from: 'local', to: 'loopback', canAsk: true });
  for (const [origin, url] of [
    ['http://localhost:5173', 'http://127.0.0.1:8000/'], // loopback to loopback: local development
    ['http://localhost:5173', 'http://192.168.1.20/'], // loopback to local: less private
    ['http://192.168.1.20:3000', 'http://10.0.0.5/'], // local to local
    ['https://app.example.com', 'https://api.example.com/'], // public to a name: only DNS knows
    ['https://app.example.com', 'http://8.8.8.8/'], // public to public
    ['not an origin', 'http://127.0.0.1/'],
  ]) {
    assert.equal(localNetworkRequest(origin!, url!), undefined, `${origin} -> ${url}`);
  }
});

test('the warning says Chromium asks (secure page) or blocks outright (not a secure context), and that nothing on the server lifts it', () => {
  const asks = localNetworkAccessProblem('https://app.example.com', 'http://127.0.0.1:8000/items');
  assert.equal(asks?.id, 'local-network-access');
  assert.equal(asks?.severity, 'warning');
  assert.match(asks!.message, /public page calling a loopback address .*Chromium 142\+ asks the user .*Firefox and WebKit send it/);
  assert.match(asks!.fix, /no server header or corsguard option lifts it/);
  const blocks = localNetworkAccessProblem('http://app.example.com', 'http://10.0.0.5/');
  assert.match(
    blocks!.message,
    /not a secure context calling a local-network \(private\) address: Chromium 142\+ blocks it without asking/,
  );
  assert.equal(localNetworkAccessProblem('http://localhost:5173', 'http://127.0.0.1:8000/'), undefined);
});

test("Chromium's console line for each case, as Chromium 156 prints it, and explain reads it back to local-network-access", () => {
  const lines = [
    [
      localNetworkAccessConsoleMessage('https://app.example.com', 'http://127.0.0.1:8000/items'),
      "Access to fetch at 'http://127.0.0.1:8000/items' from origin 'https://app.example.com' has been blocked by CORS policy: Permission was denied for this request to access the `loopback` address space.",
    ],
    [
      localNetworkAccessConsoleMessage('http://app.example.com', 'http://[fd00::2]:8000/items'),
      "Access to fetch at 'http://[fd00::2]:8000/items' from origin 'http://app.example.com' has been blocked by CORS policy: The request client is not a secure context and the resource is in more-private address space `local`.",
    ],
  ] as const;
  for (const [predicted, printed] of lines) {
    assert.equal(predicted?.engine, 'chromium');
    assert.equal(predicted?.text, printed);
    const e = explainMessage(printed);
    assert.equal(e?.engine, 'chromium');
    assert.equal(e?.step, 'not-sent');
    assert.deepEqual(
      e?.problems.map((p) => p.id),
      ['local-network-access'],
    );
  }
  // Chromium 141 named the space `unknown` for a request it had not resolved yet; the reason is the same.
  const older = explainMessage(
    "Access to XMLHttpRequest at 'http://localhost:17080/a.m4v' from origin 'https://video.example' has been blocked by CORS policy: Permission was denied for this request to access the `unknown` address space.",
  );
  assert.deepEqual(
    older?.problems.map((p) => p.id),
    ['local-network-access'],
  );
  assert.equal(localNetworkAccessConsoleMessage('http://localhost:5173', 'http://127.0.0.1/'), undefined);
});
