// The allowOriginRegex checks read the expression with a small tokenizer of JavaScript's regex
// syntax. What users see of it: the problems a CorsConfigError lists (code, reason, fix) and the
// hosts the policy probes the expression with, chosen from its literal tail. These tables pin both
// on every construct the tokenizer knows, so a tokenizer that misreads one shows up as a wrong
// tail or a wrong verdict.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkOriginRegex, literalHeads, literalTails } from './origin-regex.js';

const codesOf = (source: string, flags = ''): string[] => checkOriginRegex(source, flags).map((problem) => problem.code);

test('literalTails reads the texts an expression can end with, past anchors, optional ends and fixed repeats', () => {
  const tails: [string, string | string[]][] = [
    ['^https://[a-z0-9-]+\\.github\\.io(:[0-9]+)?$', '.github.io'],
    ['https://x\\.com\\/', 'https://x.com/'],
    // Quantifiers: an atom counts the fewest times it can match; {0,n} and {0,} make a group optional.
    ['https://a\\.b{2}', 'https://a.bb'],
    ['https://a\\.b{2,3}', 'https://a.bb'],
    ['https://a\\.example\\.com(:\\d+){0,1}$', 'https://a.example.com'],
    ['https://x\\.com(:1){0,}$', 'https://x.com'],
    ['https://x\\.com(:1){1,}$', 'https://x.com:1'],
    ['https://x\\.com(:1)*$', 'https://x.com'],
    // A lazy quantifier is one quantifier: its `?` is not a literal character.
    ['https://x\\.com(:1)??$', 'https://x.com'],
    ['https://x\\.com(:1)*?$', 'https://x.com'],
    // A `{` that is no quantifier is a character, even with a quantifier written after it; a
    // quantifier's bounds can have several digits.
    ['https://x\\.com{a}', 'https://x.com{a}'],
    ['https://x\\.com{a}{2}', 'https://x.com{a}}'],
    ['https://x\\.com{10}', 'https://x.commmmmmmmmm'],
    ['https://x\\.com(:1){0,10}$', 'https://x.com'],
    // More repeats than any host has are not written out.
    ['https://x\\.co{254}', ''],
    // Escapes of more than one character: `\\u{…}` is a code point only with the u flag, the
    // others stand for many characters; `\\x..` and `\\u....` for one.
    ['https://x\\.com\\u{2FF}', ''],
    ['https://x\\.com\\p{L}', ''],
    ['https://x\\.com\\P{L}', ''],
    ['(?<n>a)\\k<n>', ''],
    // A back-reference ends at its `>`; `\\k` with no `<` and other escapes before a `<` are two characters.
    ['https://(?<n>a)\\k<n>\\.com', '.com'],
    ['https://\\kx\\.com', 'x.com'],
    ['https://x\\.<b>', 'https://x.<b>'],
    ['https://x\\.com\\x2F', 'https://x.com/'],
    ['https://x\\.com\\u002F', 'https://x.com/'],
    ['https://x\\.com\\xZZ', ''],
    ['https://x\\.com\\cJ', ''],
    ['https://x\\.com\\d', ''],
    // Classes end at the first unescaped `]`; `[]` is an empty class in JavaScript. A class of one
    // character (in either case) is that character; a range or a negated class is not one text.
    ['https://x\\.com[\\]]', 'https://x.com]'],
    ['https://[a-z]+\\.example\\.com', '.example.com'],
    ['https://[]\\.example\\.com', '.example.com'],
    ['^https://.*[eE]xample[.]com$', 'example.com'],
    ['^https://.*\\x65xample\\.com$', 'example.com'],
    ['^https://.*[e-f]xample\\.com$', 'xample.com'],
    ['^https://.*[^f]xample\\.com$', 'xample.com'],
    ['^https://.*[\\x65]xample\\.com$', 'example.com'],
    ['^https://.*[\\d]xample\\.com$', 'xample.com'],
    // Groups: their text, each branch of them; a lookaround and \\b match no character.
    ['^https://.*(example)\\.com$', 'example.com'],
    ['^https://.*(?:ex|ex)ample\\.com$', 'example.com'],
    ['^https://.*(?=e)example\\.com$', 'example.com'],
    ['^https://.*\\bexample\\.com$', 'example.com'],
    ['^https://(app\\.test|.*example\\.com)$', ['example.com', 'https://app.test']],
    ['^https://(.*)example\\.com$', 'example.com'],
    // An optional text inside the tail is left out; an optional wildcard there ends it.
    ['^https://.*examplee?\\.com$', 'example.com'],
    ['^https://(www\\.)?example\\.com$', 'https://example.com'],
    ['^(https://.*example\\.com(:\\d+)?)$', 'example.com'],
    // Every branch of the expression is a way it can end.
    ['https://x\\.com|[0-9]+://y', ['https://x.com', '://y']],
    // Inside the tail: \\b and \\B, a lookaround, a group holding one, each the text around them.
    ['https://x\\.\\bcom', 'https://x.com'],
    ['https://x\\.c\\Bom', 'https://x.com'],
    ['https://x\\.(?=c)com', 'https://x.com'],
    ['https://x\\.c(o(?=m))m', 'https://x.com'],
    // Escapes that are not a character: \\cA (a control letter), \\x with no two hex digits.
    ['https://x\\.com\\cA', ''],
    ['https://x\\.com\\xZ5', ''],
    ['https://x\\.com\\x5Z', ''],
    // A class of several characters, `[^]` (any character), `[\\b]` (a backspace, not a boundary) end the
    // text; `[---]` is the one character `-`.
    ['https://x\\.co[mn]', ''],
    ['https://x\\.co[^]', ''],
    ['https://x\\.co[\\b]m', 'm'],
    ['https://x\\.co[---]m', 'https://x.co-m'],
    // A group's text that does not reach its start (`.*c`) ends the tail there.
    ['https://x\\.(.*c)om', 'com'],
    ['https://x\\.((.*c))om', 'com'],
    // An optional group one branch of which has no one text ends it too.
    ['https://a(b|.*c)?\\.com', '.com'],
    // `^` is where a branch starts: nothing before it is read.
    ['x^https://y\\.com', 'https://y.com'],
    // 253 repeats are written out, one more is not.
    ['https://x\\.co{253}', `https://x.c${'o'.repeat(253)}`],
    ['null', 'null'],
    ['', ''],
    ['$', ''],
  ];
  for (const [source, tail] of tails) assert.deepEqual(literalTails(source), typeof tail === 'string' ? [tail] : tail, source);
});

test('literalTails reads at most 32 tails, however many ways an expression can end', () => {
  const branches = Array.from({ length: 40 }, (_, i) => `https://x${i}\\.com`).join('|');
  assert.deepEqual(
    literalTails(branches),
    Array.from({ length: 32 }, (_, i) => `https://x${i}.com`),
  );
  // Twelve groups of six letters: 6^12 ways, of which 32 are read, each group's first letters first.
  const groups = '(a|b|c|d|e|f)'.repeat(12);
  const tails = literalTails(`https://${groups}\\.com`);
  assert.equal(tails.length, 32);
  assert.ok(tails.every((tail) => /^https:\/\/[a-f]{12}\.com$/.test(tail)));
});

test('group prefixes are read as such: non-capturing, named, lookahead and lookbehind groups', () => {
  // The inside of each group is ambiguous only if the prefix is not taken for characters.
  for (const open of ['(?:', '(?<host>', '(?=', '(?!']) {
    assert.deepEqual(codesOf(`https://${open}[a-z0-9]+-?)+\\.example\\.com`), ['slow-origin-regex'], open);
  }
  // Lookbehinds cannot be repeated; their prefix must still be skipped, not read as a named group.
  assert.deepEqual(codesOf('https://x\\.com(?<=m)'), []);
  assert.deepEqual(codesOf('https://x\\.com(?<!m)'), []);
  assert.deepEqual(codesOf('https://(?<=/)[a-z0-9]+\\.example\\.com'), []);
});

test('an unescaped dot is reported only between host labels', () => {
  const flagged = [
    'https://app.example.com',
    'https://(a|b).example\\.com',
    'https://[ab]+.example\\.com',
    'https://app-.example\\.com',
    'https://(?:www\\.)?x(a.b)\\.com',
    // Before a group or a class, after an escape: the same look-alike hosts match
    // (https://app.(example|test)\.com allows https://appxexample.com).
    'https://app.(example|test)\\.com',
    'https://app.[a-z]+\\.com',
    'https://app\\d.example\\.com',
    'https://app.\\w+\\.com',
  ];
  for (const source of flagged) assert.deepEqual(codesOf(source), ['unescaped-dot-in-origin-regex'], source);
  const unflagged = [
    'https://.example\\.com', // after '/', not after a label
    'https://a.\\.com', // before an escape
    'https://a.$', // before an anchor
    'https://x.*\\.com', // a repeated dot is a wildcard on purpose
    'https://x.*y\\.com',
    'https://a.-b\\.com', // before '-', which cannot start a label
    '.https://a\\.com', // nothing before it
    'https://a\\.com.', // nothing after it
  ];
  for (const source of unflagged) assert.deepEqual(codesOf(source), [], source);
});

test('the unescaped-dot problem says why and gives the expression with every such dot escaped', () => {
  assert.deepEqual(checkOriginRegex('https://(a|b).example.com', ''), [
    {
      code: 'unescaped-dot-in-origin-regex',
      reason:
        'has a dot between host labels that is not escaped: in a regex . matches any character, so another host ' +
        '(app-example.com for app.example.com) matches too, and anyone can register it',
      fix: 'escape every dot that means a dot: "https://(a|b)\\\\.example\\\\.com" as a string, /https:\\/\\/(a|b)\\.example\\.com/ as a RegExp',
    },
  ]);
});

test('an expression that can never match a whole origin is reported, with the origin written out', () => {
  const never = (fix: string) => ({
    code: 'origin-regex-never-matches',
    reason:
      'can never match a whole origin (scheme://host[:port]), and corsguard matches it against the whole serialized ' +
      'origin of the request: it would deny every origin. A suffix test such as /\\.example\\.com$/ from the cors ' +
      'package needs the scheme and host written out',
    fix,
  });
  assert.deepEqual(checkOriginRegex('\\.example\\.com$', ''), [
    never('write the whole origin, as in "https://[a-z0-9-]+\\\\.example\\\\.com"'),
  ]);
  assert.deepEqual(checkOriginRegex('^example\\.com$', ''), [never('write the whole origin, as in "https://example\\\\.com"')]);
  // No character that can start a scheme, first or after an anchor.
  assert.deepEqual(codesOf('[0-9]://x\\.com'), ['origin-regex-never-matches']);
  assert.deepEqual(codesOf('^[0-9]+://x\\.com'), ['origin-regex-never-matches']);
  assert.deepEqual(codesOf('[0-9]{2}://x\\.com'), ['origin-regex-never-matches']);
  // An optional first atom, an alternative, a case-insensitive class or the origin null can match.
  assert.deepEqual(codesOf('[0-9]?https://x\\.com'), []);
  assert.deepEqual(codesOf('\\d{0,2}https://x\\.com'), []); // \d{0,2} is an escape and its quantifier
  assert.deepEqual(codesOf('https://x\\.com|[0-9]+://y'), []);
  assert.deepEqual(codesOf('[A-Z]+://x\\.com', 'i'), []);
  assert.deepEqual(codesOf('[A-Z]+://x\\.com', 'gi'), []);
  assert.deepEqual(codesOf('[A-Z]+://x\\.com', ''), ['origin-regex-never-matches']);
  assert.deepEqual(codesOf('null'), []);
  // Nothing but anchors, or nothing at all, matches no origin either.
  assert.deepEqual(codesOf('^$'), ['origin-regex-never-matches']);
  assert.deepEqual(codesOf(''), ['origin-regex-never-matches']);
  // A first atom the checks cannot compile alone (a back-reference with the u flag) is assumed to match.
  assert.deepEqual(codesOf('\\1(https)://x\\.com', 'u'), []);
  // Only a leading ^ and a trailing $ are dropped from the suggestion, not a ^ that negates a class.
  assert.deepEqual(checkOriginRegex('\\.[^.]+\\.com$', ''), [
    never('write the whole origin, as in "https://[a-z0-9-]+\\\\.[^.]+\\\\.com"'),
  ]);
});

test('only a repeated group whose inside can split one text several ways is reported slow', () => {
  const slow = [
    'https://([a-z]+-?){2}\\.x\\.com',
    'https://([a-z]+-?){2,}\\.x\\.com',
    'https://([a-z0-9-]+-)*x\\.com', // the dash can be matched by the class too
    'https://([a-z]+|[0-9]+)*x\\.com', // alternatives
    'https://([a-z]+\\d)*x\\.com', // \d is a class, not one character
    'https://(([a-z]+)-?)+x\\.com', // the repetition is nested one group deeper
    'https://(([a-z]+x)-?)+\\.x\\.com', // a group that repeats something, beside what it does not repeat
    'https://([a-z]+|-)*x\\.com', // alternatives, even with a character the other one cannot match
    'https://([a-z]+())+x\\.com', // an empty group is no separator
    'https://([0-9]+\\w)*x\\.com', // \w is a class, not the letter w
    'https://([0-9]*[a-z-]+-)+x\\.com', // the dash is no separator if any repetition inside can match it
  ];
  for (const source of slow) assert.deepEqual(codesOf(source), ['slow-origin-regex'], source);
  const fine = [
    'https://([a-z]+-?){1}\\.x\\.com', // repeated once is not repeated
    'https://([a-z]+-?)?\\.x\\.com',
    'https://([a-z0-9]+-)*x\\.com', // the dash separates
    'https://([a-z0-9-]+\\.)*x\\.com', // the dot separates
    'https://((a+)b)*x\\.com',
    'https://(ab)*x\\.com',
    'https://[a-z]+(?:-[a-z]+)*\\.x\\.com',
  ];
  for (const source of fine) assert.deepEqual(codesOf(source), [], source);
});

test('the slow problem names the group and its quantifier, once, and says how to fix it', () => {
  assert.deepEqual(checkOriginRegex('https://([a-z]+-?)+\\.([a-z]+-?)*\\.com', ''), [
    {
      code: 'slow-origin-regex',
      reason:
        'repeats ([a-z]+-?)+, a group whose inside can match the same text in several ways: on an origin that almost ' +
        'matches, the regex tries every way (exponential time), so one request can hold the server for seconds',
      fix:
        'make each repetition match one way, with a character the inside cannot match between them, as in ' +
        '[a-z0-9]+(-[a-z0-9]+)* instead of ([a-z0-9]+-?)+, or ([a-z0-9-]+\\.)* for any number of subdomains',
    },
  ]);
});

test('a class right after a class is read as a class of its own (its ] is the previous class end, not this one)', () => {
  assert.deepEqual(codesOf('https://[a-z][a-z0-9-]*\\.example\\.com'), []);
  assert.deepEqual(literalTails('https://[a-z][a-z0-9-]*\\.example\\.com'), ['.example.com']);
  // The same classes with the dot unescaped after them: still one atom each, so the dot is seen.
  assert.deepEqual(codesOf('https://[a-z][a-z0-9-]*.example\\.com'), ['unescaped-dot-in-origin-regex']);
});

test('literalHeads reads the fixed text each branch starts with, up to the first atom that is not one', () => {
  const heads: [string, string[]][] = [
    ['^https://example\\.com.*$', ['https://example.com']],
    ['https://example\\.com(\\..*)?$', ['https://example.com']],
    ['^https://app\\.example\\..*$', ['https://app.example.']],
    // Escapes and one-character classes are their character; a fixed repeat is written out.
    ['^https://ex\\x61mple[.]co{2}m', ['https://example.coom']],
    // An optional atom, a group, a class of several characters or a wildcard ends the head.
    ['^https://examplee?\\.com', ['https://example']],
    ['^https://(app\\.)example\\.com', ['https://']],
    ['^https://[a-z]+\\.example\\.com', ['https://']],
    // `^` is read only at the start; each branch has its own head.
    ['^https://a\\.com|^http://b\\.com', ['https://a.com', 'http://b.com']],
    ['a^b', ['a']],
    ['https://a\\.com|http://b\\.com', ['https://a.com', 'http://b.com']],
    // A `$` is no start to skip: the head ends there.
    ['$https://a\\.com', ['']],
    // More repeats than any host has end it.
    ['https://x\\.co{254}', ['https://x.c']],
    ['https://x\\.co{253}', [`https://x.c${'o'.repeat(253)}`]],
  ];
  for (const [source, expected] of heads) assert.deepEqual(literalHeads(source), expected, source);
});
