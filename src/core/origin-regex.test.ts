/**
 * The construction-time checks of an `allowOriginRegex` (src/core/origin-regex.ts), through the
 * public constructor: which sources are refused, with which code, and the exact fix a user reads;
 * and which sound sources pass without a word. Each source is written as a user would, anchored
 * to a host of theirs, so no other check speaks up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CorsConfigError, CorsPolicy, type CorsOptions, type CorsWarning } from '../index.js';

interface Found {
  readonly code: string;
  readonly reason: string;
  readonly fix: string;
}

/** The problems an allowOriginRegex earns ([] when the policy is built, with no warning either). */
function problemsOf(allowOriginRegex: string | RegExp, more: Partial<CorsOptions> = {}): Found[] {
  const warnings: CorsWarning[] = [];
  try {
    new CorsPolicy({ allowOriginRegex, ...more, onWarning: (w) => warnings.push(w) });
  } catch (error) {
    assert.ok(error instanceof CorsConfigError, String(error));
    return error.problems.map((p) => ({ code: p.code, reason: p.reason, fix: p.fix }));
  }
  assert.deepEqual(warnings, [], String(allowOriginRegex));
  return [];
}

/** The one problem a source earns, which must have this code. */
function onlyProblem(allowOriginRegex: string | RegExp, code: string): Found {
  const found = problemsOf(allowOriginRegex);
  assert.deepEqual(
    found.map((p) => p.code),
    [code],
    String(allowOriginRegex),
  );
  return found[0]!;
}

function codesOf(allowOriginRegex: string | RegExp, more: Partial<CorsOptions> = {}): string[] {
  return problemsOf(allowOriginRegex, more).map((p) => p.code);
}

test('sound sources pass without a word', () => {
  for (const source of [
    'https://app\\.example\\.com',
    'https://[a-z0-9-]+\\.example\\.com',
    'https://(?:www\\.)?example\\.com',
    'https://app.*\\.example\\.com',
    'https://[a-z]+(-[a-z]+)*\\.example\\.com',
    'https://([a-z0-9-]+\\.)+example\\.com',
    'https://([a-z]+-)+x\\.example\\.com',
    'https://([0-9]+a)+\\.example\\.com',
    'https://([a-z]+){0,1}x\\.example\\.com',
    'https://(a|b)*x\\.example\\.com',
    '[0-9]?https://app\\.example\\.com',
    '://app\\.example\\.com|https://app\\.example\\.com',
  ]) {
    assert.deepEqual(codesOf(source), [], source);
  }
  // Flags count: case-insensitive letters start a scheme, and \u{2F} is a slash under u.
  assert.deepEqual(codesOf(/^HTTPS:\/\/APP\.EXAMPLE\.COM$/i), []);
  assert.deepEqual(codesOf(/^https:\u{2F}\u{2F}app\.example\.com$/u), []);
});

test('an unescaped dot between host labels is refused, with every such dot escaped in the fix', () => {
  for (const source of [
    'https://app.example\\.com',
    'https://(app|www).example\\.com',
    'https://app-.example\\.com',
    'https://(?:app.example)\\.com',
  ]) {
    assert.deepEqual(codesOf(source), ['unescaped-dot-in-origin-regex'], source);
  }
  // This dot also lets a look-alike domain through (attackerexample.com), which the probe proves.
  assert.deepEqual(codesOf('https://[a-z]+.example\\.com'), ['unescaped-dot-in-origin-regex', 'public-suffix-wildcard']);
  const [found] = problemsOf('https://app.example.com');
  assert.deepEqual(found, {
    code: 'unescaped-dot-in-origin-regex',
    reason:
      'has a dot between host labels that is not escaped: in a regex . matches any character, so another host ' +
      '(app-example.com for app.example.com) matches too, and anyone can register it',
    fix: 'escape every dot that means a dot: "https://app\\\\.example\\\\.com" as a string, /https:\\/\\/app\\.example\\.com/ as a RegExp',
  });
});

test('a source that cannot match a whole origin is refused, with the origin written out as the fix', () => {
  const fixOf = (source: string | RegExp) => {
    const found = onlyProblem(source, 'origin-regex-never-matches');
    assert.equal(
      found.reason,
      'can never match a whole origin (scheme://host[:port]), and corsguard matches it against the whole serialized origin of ' +
        'the request: it would deny every origin. A suffix test such as /\\.example\\.com$/ from the cors package needs the ' +
        'scheme and host written out',
    );
    return found.fix;
  };
  assert.equal(fixOf(/^\.example\.com$/), 'write the whole origin, as in "https://[a-z0-9-]+\\\\.example\\\\.com"');
  assert.equal(fixOf('example\\.com$'), 'write the whole origin, as in "https://example\\\\.com"');
  assert.equal(fixOf('^app\\.example\\.com'), 'write the whole origin, as in "https://app\\\\.example\\\\.com"');
  // It has a slash, but starts with something no scheme starts with.
  assert.equal(fixOf('://app\\.example\\.com'), 'write the whole origin, as in "https://://app\\\\.example\\\\.com"');
  // Only a leading ^ and a trailing $ are dropped from the suggestion.
  assert.equal(fixOf('^[^/]+\\.example\\.com$'), 'write the whole origin, as in "https://[^/]+\\\\.example\\\\.com"');
  assert.equal(
    fixOf('^example\\.com$|^www\\.example\\.com$'),
    'write the whole origin, as in "https://example\\\\.com$|^www\\\\.example\\\\.com"',
  );
  assert.equal(fixOf('[0-9]https://app\\.example\\.com'), 'write the whole origin, as in "https://[0-9]https://app\\\\.example\\\\.com"');
});

test('a repeated group whose inside can match one text in several ways is refused as slow, naming the group', () => {
  const slow = (source: string | RegExp) => {
    const found = onlyProblem(source, 'slow-origin-regex');
    assert.equal(
      found.fix,
      'make each repetition match one way, with a character the inside cannot match between them, as in ' +
        '[a-z0-9]+(-[a-z0-9]+)* instead of ([a-z0-9]+-?)+, or ([a-z0-9-]+\\.)* for any number of subdomains',
    );
    return found.reason.split(', a group')[0];
  };
  assert.equal(
    problemsOf('https://([a-z0-9]+-?)+\\.example\\.com')[0]?.reason,
    'repeats ([a-z0-9]+-?)+, a group whose inside can match the same text in several ways: on an origin that almost ' +
      'matches, the regex tries every way (exponential time), so one request can hold the server for seconds',
  );
  assert.equal(slow('https://([a-z0-9]+-?)+\\.example\\.com'), 'repeats ([a-z0-9]+-?)+');
  assert.equal(slow('https://([a-z-]+-)+x\\.example\\.com'), 'repeats ([a-z-]+-)+');
  assert.equal(slow('https://(\\w+|\\d+)*\\.example\\.com'), 'repeats (\\w+|\\d+)*');
  assert.equal(slow('https://([a-z]+){2}x\\.example\\.com'), 'repeats ([a-z]+){2}');
  assert.equal(slow('https://([a-z]+){1,3}x\\.example\\.com'), 'repeats ([a-z]+){1,3}');
  assert.equal(slow('https://([a-z]+){2,}x\\.example\\.com'), 'repeats ([a-z]+){2,}');
  assert.equal(slow('https://([a-z0-9]+-?)+?\\.example\\.com'), 'repeats ([a-z0-9]+-?)+?');
  assert.equal(slow('https://(?:x([a-z]+-?)+)\\.example\\.com'), 'repeats ([a-z]+-?)+');
  assert.equal(slow('https://(([a-z])+-?)+\\.example\\.com'), 'repeats (([a-z])+-?)+');
  // Escapes are one atom each, however long.
  assert.equal(slow('https://(\\x61+-?)+\\.example\\.com'), 'repeats (\\x61+-?)+');
  assert.equal(slow('https://(\\u0061+-?)+\\.example\\.com'), 'repeats (\\u0061+-?)+');
  assert.equal(slow(/^https:\/\/(\p{Ll}+-?)+\.example\.com$/u), 'repeats (\\p{Ll}+-?)+');
  assert.equal(slow(/^https:\/\/([A-Z]+a)+\.example\.com$/i), 'repeats ([A-Z]+a)+');
  // One report, however many such groups.
  assert.equal(slow('https://([a-z]+-?)+\\.([a-z]+-?)+\\.example\\.com'), 'repeats ([a-z]+-?)+');
});
