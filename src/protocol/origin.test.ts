import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isOriginProblem, parseConfiguredOrigin, parseSerializedOrigin } from './origin.js';

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
