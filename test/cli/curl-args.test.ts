/**
 * `check`'s argument parser: shell quoting of a pasted command (single, double, $'...' ANSI-C,
 * backslash-newline), curl's flags, and commands as Chromium's and Firefox's "Copy as cURL" write
 * them (Chromium: DevTools' NetworkLogView.generateCurlCommand, bash form; Firefox: the network
 * monitor's curl.js, POSIX form).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArgumentError, parseCheckArguments, shellWords } from '../../src/cli/curl-args.js';

test('shellWords: single quotes are literal, double quotes take \\" \\\\ \\$, a backslash escapes one character', () => {
  assert.deepEqual(shellWords(`curl 'a b\\n $x' "c \\"d\\" \\\\ \\$e" f\\ g`), ['curl', 'a b\\n $x', 'c "d" \\ $e', 'f g']);
  assert.deepEqual(shellWords(`''`), ['']);
  assert.deepEqual(shellWords(`a'b'"c"d`), ['abcd']);
});

test("shellWords: $'...' decodes ANSI-C escapes as Chromium's bash form writes them", () => {
  // Chromium escapes \, ', newline, CR, and every control character and '!' as \\uXXXX.
  assert.deepEqual(shellWords(`$'it\\'s \\u0021important\\n\\r\\\\ \\x41\\101 caf\\u00e9 \\U0001F600'`), [
    "it's !important\n\r\\ AA café 😀",
  ]);
  assert.deepEqual(shellWords(`--data-raw $'{"a":"\\u0009"}'`), ['--data-raw', '{"a":"\t"}']);
});

test('shellWords: a backslash before a newline continues the line (LF and CRLF)', () => {
  assert.deepEqual(shellWords(`curl 'https://x/' \\\n  -H 'a: b' \\\r\n  --compressed`), [
    'curl',
    'https://x/',
    '-H',
    'a: b',
    '--compressed',
  ]);
});

test('shellWords: unclosed quotes, expansions, several commands and Windows forms are refused by name', () => {
  const cases: [string, RegExp][] = [
    [`curl 'abc`, /'\.\.\.' string is not closed/],
    [`curl "abc`, /"\.\.\." string is not closed/],
    [`curl $'abc`, /\$'\.\.\.' string is not closed/],
    [`curl $HOME`, /shell expansion/],
    [`curl "$(id)"`, /shell expansion/],
    [`curl a ; curl b`, /unquoted ';'/],
    [`curl a | sh`, /unquoted '\|'/],
    [`curl ^"https://x/^" ^\n  -H ^"a: b^"`, /Copy as cURL \(cmd\)/],
    [`Invoke-WebRequest -UseBasicParsing -Uri "https://x/"`, /Copy as PowerShell/],
  ];
  for (const [text, message] of cases)
    assert.throws(
      () => shellWords(text),
      (e: unknown) => e instanceof ArgumentError && message.test(e.message),
      text,
    );
});

test('curl flags: -X, --request, -XPUT, --request=PUT, bundled -sSk, -H, -d joined with &, implicit POST', () => {
  for (const argv of [
    ['https://api.example/x', '-X', 'PUT'],
    ['https://api.example/x', '--request', 'PUT'],
    ['https://api.example/x', '-XPUT'],
    ['https://api.example/x', '--request=PUT'],
    ['-sSXPUT', 'https://api.example/x'],
  ]) {
    const args = parseCheckArguments(argv);
    assert.equal(args.method, 'PUT', argv.join(' '));
    assert.deepEqual(args.positionals, ['https://api.example/x']);
  }
  const posted = parseCheckArguments(['https://api.example/x', '-d', 'a=1', '--data', 'b=2', '-H', 'X-A: 1', '--header=X-B: 2', '-sSk']);
  assert.equal(posted.method, 'POST');
  assert.equal(posted.body, 'a=1&b=2');
  assert.deepEqual(posted.headers, ['X-A: 1', 'X-B: 2']);
  assert.equal(posted.insecure, true);
  assert.equal(parseCheckArguments(['u', '-I']).method, 'HEAD');
  assert.equal(parseCheckArguments(['u', '--version']).version, true);
  assert.equal(parseCheckArguments(['u', '-m', '3']).timeout, '3');
  assert.deepEqual(parseCheckArguments(['u', '-u', 'ann:pw']).headers, [
    `Authorization: Basic ${Buffer.from('ann:pw').toString('base64')}`,
  ]);
  // corsguard's own --body is the body as written, '@' included.
  assert.equal(parseCheckArguments(['u', '--body', '@x']).body, '@x');
  assert.deepEqual(parseCheckArguments(['--', '-odd-url']).positionals, ['-odd-url']);
});

test('curl flags: unsupported ones are refused by name, with what to do instead', () => {
  const cases: [string[], RegExp][] = [
    [['u', '-F', 'a=b'], /^-F: multipart form bodies/],
    [['u', '-d', '@body.json'], /reading the body from a file is not supported/],
    [['u', '--data-urlencode', 'a=b'], /--data-urlencode is not supported/],
    [['u', '-G'], /put the query in the URL/],
    [['u', '--frobnicate'], /unknown option '--frobnicate'/],
    [['u', '-Z'], /unknown option '-Z'/],
    [['u', '-X'], /-X needs a value/],
    [['u', '--json=yes'], /--json takes no value/],
  ];
  for (const [argv, message] of cases) {
    assert.throws(
      () => parseCheckArguments(argv),
      (e: unknown) => e instanceof ArgumentError && message.test(e.message),
      argv.join(' '),
    );
  }
});

/** A POST as Chromium 13x's "Copy as cURL (bash)" writes it, pasted as one string. */
const CHROMIUM_COPY = `curl 'http://127.0.0.1:8000/api/items?tags=\\[1\\]' \\
  -H 'accept: application/json' \\
  -H 'accept-language: en-US,en;q=0.9' \\
  -H 'authorization: Bearer abc' \\
  -H 'cache-control: no-cache' \\
  -H 'content-type: application/json' \\
  -b 'session=s1; theme=dark' \\
  -H 'origin: http://localhost:3000' \\
  -H 'pragma: no-cache' \\
  -H 'priority: u=1, i' \\
  -H 'referer: http://localhost:3000/' \\
  -H 'sec-ch-ua: "Chromium";v="131", "Not_A Brand";v="24"' \\
  -H 'sec-ch-ua-mobile: ?0' \\
  -H 'sec-fetch-dest: empty' \\
  -H 'sec-fetch-mode: cors' \\
  -H 'sec-fetch-site: cross-site' \\
  -H 'user-agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' \\
  --data-raw $'{"name":"it\\'s","n":1}'`;

test("a Chromium 'Copy as cURL (bash)' POST: origin, credentials, page headers and body are what the page did", () => {
  const args = parseCheckArguments([CHROMIUM_COPY, '--json']);
  assert.equal(args.copied, true);
  assert.deepEqual(args.positionals, ['http://127.0.0.1:8000/api/items?tags=[1]']);
  assert.equal(args.origin, 'http://localhost:3000');
  assert.equal(args.method, 'POST');
  assert.equal(args.body, `{"name":"it's","n":1}`);
  assert.equal(args.credentials, true);
  assert.equal(args.json, true);
  assert.deepEqual(args.headers, ['accept: application/json', 'authorization: Bearer abc', 'content-type: application/json']);
  const notes = args.notes.join('\n');
  assert.match(notes, /-b \(cookies\) is read as --credentials/);
  assert.match(
    notes,
    /left out, as headers the browser adds itself.*: accept-language, cache-control, pragma, priority, referer, sec-ch-ua, sec-ch-ua-mobile, sec-fetch-dest, sec-fetch-mode, sec-fetch-site, user-agent/,
  );
  assert.match(notes, /Disable cache/);
  // The same words, as bash passes them after `corsguard check`.
  const words = parseCheckArguments([...shellWords(CHROMIUM_COPY), '--json']);
  assert.deepEqual({ ...words, notes: [] }, { ...args, notes: [] });
});

test("a Firefox 'Copy as cURL (POSIX)' POST: --globoff, --compressed, -X POST unquoted, $'...' with Firefox's \\041 for '!'", () => {
  // Shape of devtools/client/shared/curl.js: URL, --globoff (brackets), --compressed, -X, headers, --data-raw.
  const firefox = `curl 'https://api.example.com/items?ids=[1,2]' \\
  --globoff \\
  --compressed \\
  -X POST \\
  -H 'Accept: application/json' \\
  -H 'Origin: https://app.example.com' \\
  -H 'Content-Type: text/plain;charset=UTF-8' \\
  --data-raw $'it\\'s \\041 caf\\xe9'`;
  const args = parseCheckArguments([firefox]);
  assert.deepEqual(args.positionals, ['https://api.example.com/items?ids=[1,2]']);
  assert.equal(args.method, 'POST');
  assert.equal(args.body, "it's ! caf\u00e9");
  assert.equal(args.origin, 'https://app.example.com');
  assert.deepEqual(args.headers, ['Accept: application/json', 'Content-Type: text/plain;charset=UTF-8']);
});

test("typed curl flags: -H 'Origin: ...' without --origin is read as --origin, with a note", () => {
  const args = parseCheckArguments(['https://api.example/x', '-H', 'Origin: https://app.example', '-H', 'X-A: 1']);
  assert.equal(args.origin, 'https://app.example');
  assert.deepEqual(args.headers, ['X-A: 1']);
  assert.match(args.notes.join('\n'), /-H 'Origin: https:\/\/app\.example' is read as --origin/);
  // With --origin given, an Origin header stays a header the page tried to set (fetch() drops it, check warns).
  assert.deepEqual(parseCheckArguments(['u', '--origin', 'https://a.example', '-H', 'Origin: https://b.example']).headers, [
    'Origin: https://b.example',
  ]);
});

test("a Firefox 'Copy as cURL (POSIX)' PUT: -X PUT, Cookie header as credentials, Firefox's own headers left out", () => {
  const firefox = `curl 'https://api.example.com/items/1' -X PUT -H 'User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' -H 'Accept: */*' -H 'Accept-Language: en-US,en;q=0.5' -H 'Accept-Encoding: gzip, deflate, br, zstd' -H 'Content-Type: application/json' -H 'X-Request-Id: 7' -H 'Origin: https://app.example.com' -H 'Connection: keep-alive' -H 'Referer: https://app.example.com/' -H 'Cookie: session=s1' -H 'Sec-Fetch-Dest: empty' -H 'Sec-Fetch-Mode: cors' -H 'Sec-Fetch-Site: same-site' -H 'Priority: u=4' -H 'TE: trailers' --data-raw '{"done":true}'`;
  const args = parseCheckArguments(shellWords(firefox));
  assert.equal(args.method, 'PUT');
  assert.equal(args.origin, 'https://app.example.com');
  assert.equal(args.credentials, true);
  assert.equal(args.body, '{"done":true}');
  assert.deepEqual(args.headers, ['Accept: */*', 'Content-Type: application/json', 'X-Request-Id: 7']);
  assert.match(args.notes.join('\n'), /the Cookie header \(cookies\) is read as --credentials/);
});

test('a copied command: --origin given wins (noted); no Origin header asks for --origin, suggesting the Referer', () => {
  const args = parseCheckArguments(['curl', 'https://api.example/x', '-H', 'origin: https://a.example', '--origin', 'https://b.example']);
  assert.equal(args.origin, 'https://b.example');
  assert.match(args.notes.join('\n'), /--origin https:\/\/b\.example is used; the command's Origin header \(https:\/\/a\.example\) is not/);
  assert.throws(
    () => parseCheckArguments(['curl', 'https://api.example/x', '-H', 'referer: https://app.example/page']),
    /no Origin header .* perhaps --origin https:\/\/app\.example/,
  );
  const navigation = parseCheckArguments([
    'curl',
    'https://api.example/x',
    '-H',
    'origin: https://a.example',
    '-H',
    'sec-fetch-mode: navigate',
  ]);
  assert.match(navigation.notes.join('\n'), /Sec-Fetch-Mode: navigate: it was not a CORS fetch/);
  // A copied preflight is not the page's request: the one after it is.
  assert.throws(
    () =>
      parseCheckArguments(
        shellWords(
          `curl 'https://api.example/x' -X 'OPTIONS' -H 'access-control-request-headers: content-type' -H 'access-control-request-method: PUT' -H 'origin: https://a.example'`,
        ),
      ),
    /this is the preflight the browser sent \(OPTIONS with Access-Control-Request-Method: PUT\); copy the PUT request that follows it/,
  );
  // curl's `Name;` (an empty header, as DevTools writes one) is an empty value.
  assert.deepEqual(parseCheckArguments(['curl', 'u', '-H', 'origin: https://a.example', '-H', 'x-empty;']).headers, ['x-empty:']);
});
