import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLoopbackHost, isOriginProblem, isSecureOrigin, parseConfiguredOrigin, parseSerializedOrigin } from './origin.js';
import { MAX_ORIGIN_LENGTH } from './fetch-standard.js';

test('parseSerializedOrigin accepts what browsers send', () => {
  assert.deepEqual(parseSerializedOrigin('https://example.com'), { scheme: 'https', host: 'example.com', port: '' });
  assert.deepEqual(parseSerializedOrigin('http://localhost:3000'), { scheme: 'http', host: 'localhost', port: '3000' });
  assert.deepEqual(parseSerializedOrigin('http://[::1]:8080'), { scheme: 'http', host: '[::1]', port: '8080' });
  assert.deepEqual(parseSerializedOrigin('http://127.0.0.1'), { scheme: 'http', host: '127.0.0.1', port: '' });
  assert.deepEqual(parseSerializedOrigin('https://a_b.example.com'), { scheme: 'https', host: 'a_b.example.com', port: '' });
  assert.deepEqual(parseSerializedOrigin('chrome-extension://abcdef'), { scheme: 'chrome-extension', host: 'abcdef', port: '' });
});

test('parseSerializedOrigin refuses what browsers never send', () => {
  for (const value of [
    '',
    'null',
    'https://example.com/',
    'https://Example.com',
    'HTTPS://example.com',
    'https://example.com:443',
    'http://example.com:80',
    'https://example.com:0',
    'https://example.com:08080',
    'https://example.com:65536',
    'https://example.com:123456',
    'https://example.com.',
    'https://.example.com',
    'https://example..com',
    'https://example.com, https://evil.com',
    'https://example.com ',
    ' https://example.com',
    'https://example.com\r\nX: y',
    'https://user@example.com',
    'https://example.com}.evil.com',
    'https://exa mple.com',
    'https://',
    'example.com',
    '//example.com',
    'https://[::1',
    'https://[]',
    'https://example.com:',
    `https://${'a'.repeat(400)}.com`,
  ]) {
    assert.equal(parseSerializedOrigin(value), undefined, JSON.stringify(value));
  }
});

test('parseSerializedOrigin refuses IP addresses and punycode a browser would serialize differently', () => {
  // Each of these passes the character grammar, but the URL parser reads it as another origin
  // (or none): a browser never sends it, so it must not reach patterns, the regex or the predicate.
  for (const value of [
    'http://[0:0::1]',
    'http://[1]',
    'http://[::ffff:1.2.3.4]',
    'http://0x7f.1',
    'http://1.2.3',
    'http://123',
    'http://1.2.3.04',
    'http://999.1.1.1',
    'http://a.b.c.1',
    'http://a.0x',
    'http://xn--zz.com',
    'ftp://example.com:21',
  ]) {
    assert.equal(parseSerializedOrigin(value), undefined, JSON.stringify(value));
  }
  assert.deepEqual(parseSerializedOrigin('http://[::ffff:102:304]'), { scheme: 'http', host: '[::ffff:102:304]', port: '' });
  assert.deepEqual(parseSerializedOrigin('https://xn--bcher-kva.example'), { scheme: 'https', host: 'xn--bcher-kva.example', port: '' });
  assert.deepEqual(parseSerializedOrigin('http://10.0.0.1:8080'), { scheme: 'http', host: '10.0.0.1', port: '8080' });
});

function fixOf(entry: string): string {
  const parsed = parseConfiguredOrigin(entry);
  assert.ok(isOriginProblem(parsed), `${entry} should be refused`);
  return parsed.fix;
}

test('parseConfiguredOrigin understands exact origins, patterns, null and *', () => {
  assert.deepEqual(parseConfiguredOrigin('*'), { kind: 'any' });
  assert.deepEqual(parseConfiguredOrigin('null'), { kind: 'null' });
  assert.equal((parseConfiguredOrigin('https://example.com') as { kind: string }).kind, 'exact');
  assert.deepEqual(parseConfiguredOrigin('https://*.example.com'), {
    kind: 'pattern',
    scheme: 'https',
    host: 'example.com',
    anySubdomain: true,
    port: '',
  });
  assert.deepEqual(parseConfiguredOrigin('http://localhost:*'), {
    kind: 'pattern',
    scheme: 'http',
    host: 'localhost',
    anySubdomain: false,
    port: '*',
  });
  assert.deepEqual(parseConfiguredOrigin('https://*.example.com:8443'), {
    kind: 'pattern',
    scheme: 'https',
    host: 'example.com',
    anySubdomain: true,
    port: '8443',
  });
});

test('parseConfiguredOrigin explains each origin that can never match, with the fix', () => {
  assert.match(fixOf('https://example.com/'), /'https:\/\/example\.com'/);
  assert.match(fixOf('https://example.com/app'), /'https:\/\/example\.com'/);
  assert.match(fixOf('https://Example.COM'), /'https:\/\/example\.com'/);
  assert.match(fixOf('HTTPS://example.com'), /'https:\/\/example\.com'/);
  assert.match(fixOf('https://example.com:443'), /'https:\/\/example\.com'/);
  assert.match(fixOf('http://example.com:80'), /'http:\/\/example\.com'/);
  assert.match(fixOf('https://user:pw@example.com'), /'https:\/\/example\.com'/);
  assert.match(fixOf('example.com'), /'https:\/\/example\.com'/);
  assert.match(fixOf('https://bücher.example'), /xn--bcher-kva\.example/);
  assert.match(fixOf('file:///home/me/index.html'), /'null'/);
  assert.match(fixOf('NULL'), /'null'/);
  assert.match(fixOf('http://0x7f.0.0.1'), /'http:\/\/127\.0\.0\.1'/);
  assert.match(fixOf('http://[0:0:0:0:0:0:0:1]'), /'http:\/\/\[::1\]'/);
  assert.match(fixOf('https://example.com:08080'), /:8080/);
  assert.match(fixOf('https://example.com.'), /'https:\/\/example\.com'/);
  for (const wildcard of [
    'https://*example.com',
    'https://a.*.example.com',
    'h*',
    '*.example.com',
    'https://example.*',
    'https://example.com:8*',
  ]) {
    const parsed = parseConfiguredOrigin(wildcard);
    assert.ok(isOriginProblem(parsed), wildcard);
  }
  assert.ok(isOriginProblem(parseConfiguredOrigin('https://example.com:99999')));
  assert.ok(isOriginProblem(parseConfiguredOrigin(' https://example.com')));
  assert.ok(isOriginProblem(parseConfiguredOrigin('https://*.[::1]')));
});

test('parseSerializedOrigin: the scheme grammar, the "://" after it, and the ends of the letter and digit ranges', () => {
  assert.deepEqual(parseSerializedOrigin('web+app.x-1://host'), { scheme: 'web+app.x-1', host: 'host', port: '' });
  assert.deepEqual(parseSerializedOrigin('https://zz.example:9999'), { scheme: 'https', host: 'zz.example', port: '9999' });
  for (const value of ['https;//example.com', 'https:x/example.com', 'https:/xexample.com', 'https//example.com']) {
    assert.equal(parseSerializedOrigin(value), undefined, value);
  }
});

test('parseSerializedOrigin: the port is digits right after one colon', () => {
  for (const value of ['https://example.com/8080', 'https://example.com!8080', 'https://example.com:8a', 'https://example.com:80 ']) {
    assert.equal(parseSerializedOrigin(value), undefined, value);
  }
});

test('parseSerializedOrigin: an origin of exactly the longest length is read, one byte more is refused', () => {
  const longest = `${'s'.repeat(64)}://${'h'.repeat(253)}:65535`;
  assert.equal(longest.length, MAX_ORIGIN_LENGTH);
  assert.deepEqual(parseSerializedOrigin(longest), { scheme: 's'.repeat(64), host: 'h'.repeat(253), port: '65535' });
  assert.equal(parseSerializedOrigin(`${'s'.repeat(64)}://${'h'.repeat(254)}:65535`), undefined);
});

test('parseSerializedOrigin: IPv6 literals are checked by the grammar even where the URL parser is not asked (other schemes)', () => {
  assert.deepEqual(parseSerializedOrigin('http://[fe80::abcd]'), { scheme: 'http', host: '[fe80::abcd]', port: '' });
  assert.deepEqual(parseSerializedOrigin('chrome-extension://[::1]:8080'), { scheme: 'chrome-extension', host: '[::1]', port: '8080' });
  for (const value of ['chrome-extension://[::1', 'chrome-extension://[]', 'chrome-extension://[fe80::g]', 'chrome-extension://[::1]x']) {
    assert.equal(parseSerializedOrigin(value), undefined, value);
  }
  // An embedded IPv4 address is serialized in hex (new URL('chrome-extension://[::1.2.3.4]').host is
  // '[::102:304]'), so the dotted form is never sent, by any scheme, and cannot be configured.
  assert.equal(new URL('chrome-extension://[::1.2.3.4]').host, '[::102:304]');
  for (const value of ['chrome-extension://[::1.2.3.4]', 'foo://[::ffff:127.0.0.1]:8080', 'https://[::1.2.3.4]']) {
    assert.equal(parseSerializedOrigin(value), undefined, value);
    assert.ok(isOriginProblem(parseConfiguredOrigin(value)), value);
  }
  assert.deepEqual(parseSerializedOrigin('chrome-extension://[::102:304]'), { scheme: 'chrome-extension', host: '[::102:304]', port: '' });
});

test('parseSerializedOrigin: ws, wss and ftp origins are special too, so the URL parser confirms their IP addresses', () => {
  for (const value of ['ws://0x7f.1', 'wss://[0:0::1]', 'ftp://1.2.3']) assert.equal(parseSerializedOrigin(value), undefined, value);
  assert.deepEqual(parseSerializedOrigin('wss://127.0.0.1:8443'), { scheme: 'wss', host: '127.0.0.1', port: '8443' });
});

test('parseConfiguredOrigin: IPv6 origins with a port, other schemes, and what the URL parser rewrites keep the port', () => {
  assert.deepEqual(parseConfiguredOrigin('http://[::1]:8080'), {
    kind: 'exact',
    origin: 'http://[::1]:8080',
    parts: { scheme: 'http', host: '[::1]', port: '8080' },
  });
  assert.deepEqual(parseConfiguredOrigin('chrome-extension://abcdef'), {
    kind: 'exact',
    origin: 'chrome-extension://abcdef',
    parts: { scheme: 'chrome-extension', host: 'abcdef', port: '' },
  });
  assert.deepEqual(parseConfiguredOrigin('http://0x7f.0.0.1:8080'), {
    reason: "browsers would send it as 'http://127.0.0.1:8080'",
    fix: "write 'http://127.0.0.1:8080'",
  });
  assert.deepEqual(parseConfiguredOrigin('wss://0x7f.0.0.1'), {
    reason: "browsers would send it as 'wss://127.0.0.1'",
    fix: "write 'wss://127.0.0.1'",
  });
  assert.deepEqual(parseConfiguredOrigin('http://[::1]x:'), { reason: 'unexpected text after the IPv6 address', fix: 'remove it' });
  const noScheme = parseConfiguredOrigin('://example.com');
  assert.ok(isOriginProblem(noScheme));
  assert.equal(noScheme.reason, 'it has no scheme, and browsers always send one');
});

test('isLoopbackHost: localhost and its subdomains, 127/8 and [::1], nothing that only looks like them', () => {
  for (const host of ['localhost', 'app.localhost', '127.0.0.1', '127.255.255.254', '127.10.200.3', '[::1]']) {
    assert.equal(isLoopbackHost(host), true, host);
  }
  for (const host of [
    'localhost.example',
    'notlocalhost',
    'example.com',
    '127.0.0.1.evil.example',
    '1127.0.0.1',
    '127.0.0.1000',
    '127.a.0.1',
    '127.0.b.1',
    '127.0.0.c',
    '128.0.0.1',
    '[::2]',
    '',
  ]) {
    assert.equal(isLoopbackHost(host), false, host);
  }
});

test('isSecureOrigin: https and wss anywhere, other schemes only on loopback hosts', () => {
  assert.equal(isSecureOrigin('https', 'example.com'), true);
  assert.equal(isSecureOrigin('wss', 'example.com'), true);
  assert.equal(isSecureOrigin('http', 'localhost'), true);
  assert.equal(isSecureOrigin('ws', '127.0.0.1'), true);
  assert.equal(isSecureOrigin('http', 'example.com'), false);
  assert.equal(isSecureOrigin('ws', 'example.com'), false);
  assert.equal(isSecureOrigin('ftp', 'example.com'), false);
});
