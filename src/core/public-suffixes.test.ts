/**
 * The Public Suffix List as `allowOrigins` subdomain patterns meet it (src/core/public-suffixes.ts):
 * which `*.host` patterns are refused as trusting strangers, and the host a refusal names as what
 * strangers can own. The expected hosts are rules of the pinned data/public_suffix_list.dat.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CorsConfigError, CorsPolicy } from '../index.js';

/** The reason a subdomain pattern is refused for, or 'accepted'. */
function verdictOn(pattern: string): string {
  try {
    new CorsPolicy({ allowOrigins: [pattern], onWarning: () => undefined });
  } catch (error) {
    assert.ok(error instanceof CorsConfigError, String(error));
    assert.deepEqual(
      error.problems.map((p) => p.code),
      ['public-suffix-wildcard'],
      pattern,
    );
    return error.problems[0]!.reason;
  }
  return 'accepted';
}

const publicSuffix = (host: string) => `trusts every subdomain of ${host}, a public suffix where anyone can register one`;
const handsOut = (host: string, example: string) =>
  `trusts every subdomain of ${host}, which hands out public suffixes where anyone can get a subdomain ` +
  `(such as ${example}, on the Public Suffix List)`;

test('a single label is a public suffix, listed or not (the implicit * rule)', () => {
  assert.equal(verdictOn('https://*.com'), publicSuffix('com'));
  assert.equal(verdictOn('https://*.internal'), publicSuffix('internal'));
});

test('a host a wildcard rule covers is a public suffix, unless an exception rule names it', () => {
  // *.kobe.jp, with the exception !city.kobe.jp; *.ck, with !www.ck.
  assert.equal(verdictOn('https://*.foo.kobe.jp'), publicSuffix('foo.kobe.jp'));
  assert.equal(verdictOn('https://*.city.kobe.jp'), 'accepted');
  assert.equal(verdictOn('https://*.ck'), publicSuffix('ck'));
  assert.equal(verdictOn('https://*.www.ck'), 'accepted');
});

test('a host with public suffixes below it names the first one, following the list down to a rule', () => {
  // kawasaki.jp is not a rule itself; *.kawasaki.jp is.
  assert.equal(verdictOn('https://*.kawasaki.jp'), handsOut('kawasaki.jp', '<name>.kawasaki.jp'));
  // amazonaws.com's first rule is several labels below it, through hosts that are not rules.
  assert.equal(verdictOn('https://*.amazonaws.com'), handsOut('amazonaws.com', 'webview-assets.aws-cloud9.af-south-1.amazonaws.com'));
  assert.equal(verdictOn('https://*.s3.amazonaws.com'), publicSuffix('s3.amazonaws.com'));
});

test('hosts the list does not have below a suffix are private', () => {
  for (const pattern of ['https://*.example.com', 'https://*.app.example.co.uk', 'https://*.tenant.github.io.example.net']) {
    assert.equal(verdictOn(pattern), 'accepted', pattern);
  }
});

test('an allowOriginRegex is probed under the public suffixes the host it names hands out', () => {
  try {
    new CorsPolicy({ allowOriginRegex: 'https://[a-z0-9-]+\\.[a-z0-9-]+\\.kawasaki\\.jp', onWarning: () => undefined });
    assert.fail('expected a CorsConfigError');
  } catch (error) {
    assert.ok(error instanceof CorsConfigError, String(error));
    assert.deepEqual(
      error.problems.map((p) => [p.code, p.reason]),
      [
        [
          'public-suffix-wildcard',
          'matches https://attacker.attacker.kawasaki.jp, a host under a public suffix (Public Suffix List) where anyone can register one',
        ],
      ],
    );
  }
});

test('the example below a host stops at the first rule, even one with rules below it', () => {
  // nospamproxy.com is not a rule; its first child cloud.nospamproxy.com is, and has rules below it.
  assert.equal(verdictOn('https://*.nospamproxy.com'), handsOut('nospamproxy.com', 'cloud.nospamproxy.com'));
});

test('an allowOriginRegex whose tail names a host with an empty or odd label is not probed as a public suffix', () => {
  // The tails name .github.io (an empty label under a rule with no rules below it) and ).com: the
  // list has neither label, so no host is probed under them and the expressions are accepted.
  for (const source of ['https://[a-z]+\\.\\.github\\.io', 'https://[a-z]+\\.\\)\\.com']) {
    assert.doesNotThrow(() => new CorsPolicy({ allowOriginRegex: source, onWarning: () => undefined }), source);
  }
});
