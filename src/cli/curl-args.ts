/**
 * The arguments of `corsguard check`: its own flags, the curl flags people type (`-X`, `-H`, `-d`,
 * `-k`...), and a command copied with a browser's "Copy as cURL" (Chromium's and Firefox's bash
 * form), pasted after `corsguard check` either as shell words or as one quoted string. A copied
 * command carries what the browser added on its own (User-Agent, Sec-Fetch-*, Referer, Origin,
 * cookies); those are not headers the page set, so they are turned into what they mean (Origin
 * into --origin, cookies into --credentials) or left out, each with a note. Every flag is either
 * understood, or refused by name: nothing is ignored silently.
 */
import { isForbiddenRequestHeaderName } from '../protocol/fetch-standard.js';

/** A mistake in the arguments, said in one sentence. */
export class ArgumentError extends Error {
  override readonly name = 'ArgumentError';
}

function fail(message: string): never {
  throw new ArgumentError(message);
}

const ANSI_C_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

function isHexDigit(c: string | undefined): boolean {
  return c !== undefined && /^[0-9a-fA-F]$/.test(c);
}

/**
 * Reads the `$'...'` ANSI-C quoted text that starts at `start` (just after `$'`); returns the text
 * and the index after the closing quote. Chromium's bash form writes `\\`, `\'`, `\n`, `\r` and
 * `\uXXXX`; bash also takes `\xHH`, `\UXXXXXXXX`, octal `\NNN` and the letter escapes.
 */
function readAnsiC(text: string, start: number): [string, number] {
  let out = '';
  let i = start;
  for (;;) {
    if (i >= text.length) fail("a $'...' string is not closed");
    const c = text[i]!;
    if (c === "'") return [out, i + 1];
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = text[i + 1];
    if (e === undefined) fail("a $'...' string is not closed");
    if (e in ANSI_C_ESCAPES) {
      out += ANSI_C_ESCAPES[e];
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const max = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      let j = i + 2;
      while (j < i + 2 + max && isHexDigit(text[j])) j++;
      if (j === i + 2) {
        out += `\\${e}`;
      } else {
        const code = Number.parseInt(text.slice(i + 2, j), 16);
        if (code > 0x10ffff) fail(`the escape \\${text.slice(i + 1, j)} is beyond Unicode`);
        out += String.fromCodePoint(code);
      }
      i = j;
    } else if (e >= '0' && e <= '7') {
      let j = i + 1;
      while (j < i + 4 && text[j] !== undefined && text[j]! >= '0' && text[j]! <= '7') j++;
      out += String.fromCharCode(Number.parseInt(text.slice(i + 1, j), 8) & 0xff);
      i = j;
    } else {
      out += `\\${e}`;
      i += 2;
    }
  }
}

/**
 * Splits a command line into words as bash does for the quoting a pasted curl command uses:
 * white space between words, '...' (literal), "..." (backslash escapes only \ " $ ` and newline),
 * $'...' (ANSI-C escapes), a backslash escaping the next character, and a backslash before a
 * newline continuing the line. One pass, no backtracking. Expansions ($VAR, $(...), `...`),
 * several commands (; | &) and redirections are refused by name: corsguard is not a shell.
 */
export function shellWords(text: string): string[] {
  if (/^\s*(\$session\s*=|Invoke-WebRequest|Invoke-RestMethod)/.test(text)) {
    fail(
      "this is DevTools' 'Copy as PowerShell'; copy the request with 'Copy as cURL (bash)' (Chromium) or 'Copy as cURL (POSIX)' (Firefox)",
    );
  }
  if (text.includes('^"') || text.includes('^\n') || text.includes('^\r\n')) {
    fail(
      "this is DevTools' 'Copy as cURL (cmd)' for Windows; copy the request with 'Copy as cURL (bash)' (Chromium) or 'Copy as cURL (POSIX)' (Firefox)",
    );
  }
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (c === '\\') {
      const next = text[i + 1];
      if (next === '\n') i += 2;
      else if (next === '\r' && text[i + 2] === '\n') i += 3;
      else if (next === undefined) i++;
      else {
        word += next;
        inWord = true;
        i += 2;
      }
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end === -1) fail("a '...' string is not closed");
      word += text.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '$' && text[i + 1] === "'") {
      const [value, next] = readAnsiC(text, i + 2);
      word += value;
      inWord = true;
      i = next;
    } else if (c === '"') {
      i++;
      for (;;) {
        if (i >= text.length) fail('a "..." string is not closed');
        const d = text[i]!;
        if (d === '"') break;
        if (d === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\' || text[i + 1] === '$' || text[i + 1] === '`')) {
          word += text[i + 1];
          i += 2;
        } else if (d === '\\' && text[i + 1] === '\n') {
          i += 2;
        } else if (d === '$' || d === '`') {
          fail(`the command uses a shell expansion ("${d}..." inside double quotes), which corsguard does not run; write the value itself`);
        } else {
          word += d;
          i++;
        }
      }
      inWord = true;
      i++;
    } else if (c === ';' || c === '|' || c === '&' || c === '<' || c === '>') {
      fail(`the command has an unquoted '${c}' (several commands, a pipe or a redirection); paste one curl command`);
    } else if (c === '`' || (c === '$' && (text[i + 1] === '(' || text[i + 1] === '{' || /^[A-Za-z_]$/.test(text[i + 1] ?? '')))) {
      fail(
        `the command uses a shell expansion (${c}${c === '$' ? text[i + 1] : ''}...), which corsguard does not run; write the value itself`,
      );
    } else if (c === '#' && !inWord) {
      // A comment runs to the end of the line.
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** What `corsguard check`'s arguments ask for, flags of both vocabularies merged. */
export interface CheckArguments {
  /** The positional words (the URL), the leading `curl` left out. */
  readonly positionals: string[];
  origin: string | undefined;
  method: string | undefined;
  /** `Name: value` lines, in order. */
  readonly headers: string[];
  body: string | undefined;
  credentials: boolean;
  readonly readHeaders: string[];
  browser: string | undefined;
  skipProbes: boolean;
  timeout: string | undefined;
  json: boolean;
  help: boolean;
  version: boolean;
  /** -k: do not verify the server's certificate. */
  insecure: boolean;
  /** --real: also run the request in the real browsers installed here. */
  real: boolean;
  /** Whether the words are a curl command (they start with `curl`): browser-added headers are then left out. */
  copied: boolean;
  /** What was translated or left out, one sentence each, for stderr. */
  readonly notes: string[];
}

type Handler = (args: CheckArguments, value: string, flag: string) => void;

interface FlagSpec {
  /** Whether the flag takes a value. */
  readonly value: boolean;
  readonly apply: Handler;
}

const ignored =
  (why: string): Handler =>
  (args, _value, flag) => {
    args.notes.push(`${flag} is left out: ${why}`);
  };

const setMethod: Handler = (args, value) => {
  args.method = value;
};
const addData: Handler = (args, value, flag) => {
  if (flag !== '--data-raw' && value.startsWith('@')) {
    fail(
      `${flag} ${value}: reading the body from a file is not supported; pass the body itself with --body (or --data-raw to send a leading '@')`,
    );
  }
  // curl joins several -d values with '&'.
  args.body = args.body === undefined ? value : `${args.body}&${value}`;
};
const cookies: Handler = (args, _value, flag) => {
  if (!args.credentials) {
    args.notes.push(
      `${flag} (cookies) is read as --credentials: a page cannot set Cookie; the browser sends its cookies with credentials: 'include'`,
    );
  }
  args.credentials = true;
};

const FLAGS: Readonly<Record<string, FlagSpec>> = {
  // corsguard's own
  '--origin': {
    value: true,
    apply: (a, v) => {
      a.origin = v;
    },
  },
  '--method': { value: true, apply: setMethod },
  '--header': { value: true, apply: (a, v) => void a.headers.push(v) },
  '--body': {
    value: true,
    apply: (a, v) => {
      a.body = v;
    },
  },
  '--credentials': {
    value: false,
    apply: (a) => {
      a.credentials = true;
    },
  },
  '--read-header': { value: true, apply: (a, v) => void a.readHeaders.push(v) },
  '--browser': {
    value: true,
    apply: (a, v) => {
      a.browser = v;
    },
  },
  '--skip-probes': {
    value: false,
    apply: (a) => {
      a.skipProbes = true;
    },
  },
  '--timeout': {
    value: true,
    apply: (a, v) => {
      a.timeout = v;
    },
  },
  '--json': {
    value: false,
    apply: (a) => {
      a.json = true;
    },
  },
  '--help': {
    value: false,
    apply: (a) => {
      a.help = true;
    },
  },
  '--version': {
    value: false,
    apply: (a) => {
      a.version = true;
    },
  },
  '--insecure': {
    value: false,
    apply: (a) => {
      a.insecure = true;
    },
  },
  '--real': {
    value: false,
    apply: (a) => {
      a.real = true;
    },
  },
  // curl's
  '--request': { value: true, apply: setMethod },
  '--head': {
    value: false,
    apply: (a) => {
      a.method = 'HEAD';
    },
  },
  '--data': { value: true, apply: addData },
  '--data-raw': { value: true, apply: addData },
  '--data-binary': { value: true, apply: addData },
  '--data-ascii': { value: true, apply: addData },
  '--cookie': { value: true, apply: cookies },
  '--user': {
    value: true,
    apply: (a, v) => {
      a.headers.push(`Authorization: Basic ${Buffer.from(v, 'utf8').toString('base64')}`);
      a.notes.push('--user is sent as the Authorization: Basic header a page would set itself');
    },
  },
  '--url': { value: true, apply: (a, v) => void a.positionals.push(v) },
  '--max-time': {
    value: true,
    apply: (a, v) => {
      a.timeout = v;
    },
  },
  '--compressed': { value: false, apply: ignored('the browser asks for compression itself (Accept-Encoding is not a header a page sets)') },
  '--location': { value: false, apply: ignored('fetch() follows redirects anyway, and check follows them as each engine does') },
  // Firefox adds --globoff for a URL with brackets; check never globs.
  '--globoff': { value: false, apply: () => {} },
  '--silent': { value: false, apply: () => {} },
  '--show-error': { value: false, apply: () => {} },
  '--verbose': { value: false, apply: () => {} },
  '--include': { value: false, apply: () => {} },
  '--http1.1': { value: false, apply: ignored('check speaks HTTP/1.1 (browsers pick the HTTP version themselves)') },
  '--http2': { value: false, apply: ignored('check speaks HTTP/1.1 (browsers pick the HTTP version themselves)') },
  '--user-agent': { value: true, apply: ignored('the browser sets User-Agent') },
  '--referer': { value: true, apply: ignored('the browser sets Referer') },
};

const SHORT: Readonly<Record<string, string>> = {
  X: '--request',
  H: '--header',
  d: '--data',
  k: '--insecure',
  b: '--cookie',
  u: '--user',
  I: '--head',
  L: '--location',
  m: '--max-time',
  g: '--globoff',
  s: '--silent',
  S: '--show-error',
  v: '--verbose',
  i: '--include',
  A: '--user-agent',
  e: '--referer',
  h: '--help',
  V: '--version',
};

/** curl flags with no meaning for a page's fetch(), each with what to do instead. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  '--form': 'multipart form bodies (-F) are not supported; pass the body with --body and its Content-Type with -H',
  '-F': 'multipart form bodies (-F) are not supported; pass the body with --body and its Content-Type with -H',
  '--upload-file': 'uploading a file (-T) is not supported; pass the body with --body',
  '-T': 'uploading a file (-T) is not supported; pass the body with --body',
  '--get': '-G (data into the query string) is not supported; put the query in the URL',
  '-G': '-G (data into the query string) is not supported; put the query in the URL',
  '--data-urlencode': '--data-urlencode is not supported; pass the encoded body with --body',
  '--output': 'check prints its own report; -o has nothing to write',
  '-o': 'check prints its own report; -o has nothing to write',
  '--proxy': 'check connects directly; a proxy is not supported',
  '-x': 'check connects directly; a proxy is not supported',
  '--cert': 'client certificates are not supported',
  '-E': 'client certificates are not supported',
  '--resolve': '--resolve is not supported; use the address in the URL',
};

/**
 * Headers a browser adds on its own that are not forbidden request headers (those are left out
 * too): a page did not set them, so they take no part in the preflight decision.
 */
const BROWSER_ADDED = new Set(['user-agent', 'accept-language', 'priority', 'upgrade-insecure-requests']);

function headerName(line: string): string {
  const colon = line.indexOf(':');
  const semicolon = line.indexOf(';');
  // curl's `Name;` is a header with an empty value (DevTools writes empty headers so).
  const end = colon === -1 ? semicolon : colon;
  return (end === -1 ? line : line.slice(0, end)).trim().toLowerCase();
}

function headerValue(line: string): string {
  const colon = line.indexOf(':');
  return colon === -1 ? '' : line.slice(colon + 1).trim();
}

/**
 * Turns the headers of a copied command into what the page did: Origin gives --origin, Cookie
 * gives --credentials, the headers the browser added itself are left out (named in a note).
 */
function pageHeaders(args: CheckArguments): void {
  const kept: string[] = [];
  const left: string[] = [];
  let origin: string | undefined;
  let referer: string | undefined;
  const preflightFor = args.headers.find((h) => headerName(h) === 'access-control-request-method');
  if (preflightFor !== undefined && args.method?.toUpperCase() === 'OPTIONS') {
    const method = headerValue(preflightFor);
    fail(
      `this is the preflight the browser sent (OPTIONS with Access-Control-Request-Method: ${method}); copy the ${method} request that follows it in the Network panel, and check plays the preflight itself`,
    );
  }
  const noCache = args.headers.filter((h) => ['pragma', 'cache-control'].includes(headerName(h)) && headerValue(h) === 'no-cache');
  for (const line of args.headers) {
    const name = headerName(line);
    if (name === 'origin') origin = headerValue(line);
    else if (name === 'referer') referer = headerValue(line);
    else if (name === 'cookie') cookies(args, '', 'the Cookie header');
    else if (name === 'sec-fetch-mode' && headerValue(line) !== 'cors') {
      args.notes.push(
        `the copied request has Sec-Fetch-Mode: ${headerValue(line)}: it was not a CORS fetch(); check plays it as fetch() in cors mode`,
      );
    }
    if (name === 'origin' || name === 'cookie') continue;
    if (isForbiddenRequestHeaderName(name) || BROWSER_ADDED.has(name) || (noCache.length === 2 && noCache.includes(line))) {
      left.push(line.slice(0, line.indexOf(':') === -1 ? line.length : line.indexOf(':')).trim());
    } else {
      kept.push(line.endsWith(';') && !line.includes(':') ? `${line.slice(0, -1)}:` : line);
    }
  }
  args.headers.splice(0, args.headers.length, ...kept);
  if (left.length > 0) {
    args.notes.push(
      `left out, as headers the browser adds itself (not set by the page, so no part of the preflight decision): ${left.join(', ')}` +
        (noCache.length === 2
          ? " (Pragma and Cache-Control: no-cache come from DevTools' 'Disable cache'; if the page sets them, pass them with -H)"
          : ''),
    );
  }
  if (origin !== undefined) {
    if (args.origin === undefined) args.origin = origin;
    else if (args.origin !== origin) args.notes.push(`--origin ${args.origin} is used; the command's Origin header (${origin}) is not`);
  } else if (args.origin === undefined) {
    let hint = '';
    try {
      if (referer !== undefined) hint = `; the page was at ${new URL(referer).origin}, so perhaps --origin ${new URL(referer).origin}`;
    } catch {
      hint = '';
    }
    fail(
      `the copied command has no Origin header (the request was same-origin, or not made by fetch()/XMLHttpRequest); pass the page's origin with --origin${hint}`,
    );
  }
}

/**
 * Parses `corsguard check`'s arguments: its own flags and curl's, `--flag=value`, bundled short
 * flags (`-sSk`, `-XPUT`), `--` before positionals. A first argument that holds a whole pasted
 * command (`"curl 'https://...' -H ..."`) is split as bash would split it.
 */
export function parseCheckArguments(argv: readonly string[]): CheckArguments {
  const words = argv.length > 0 && /^\s*curl\s/.test(argv[0]!) ? [...shellWords(argv[0]!), ...argv.slice(1)] : [...argv];
  const args: CheckArguments = {
    positionals: [],
    origin: undefined,
    method: undefined,
    headers: [],
    body: undefined,
    credentials: false,
    readHeaders: [],
    browser: undefined,
    skipProbes: false,
    timeout: undefined,
    json: false,
    help: false,
    version: false,
    insecure: false,
    real: false,
    copied: words[0] === 'curl',
    notes: [],
  };
  if (args.copied) words.shift();
  const take = (flag: string, spec: FlagSpec, inline: string | undefined, i: number): number => {
    if (!spec.value) {
      if (inline !== undefined) fail(`${flag} takes no value, got '${inline}'`);
      spec.apply(args, '', flag);
      return i;
    }
    if (inline !== undefined) {
      spec.apply(args, inline, flag);
      return i;
    }
    const value = words[i + 1];
    if (value === undefined) fail(`${flag} needs a value`);
    spec.apply(args, value, flag);
    return i + 1;
  };
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--') {
      args.positionals.push(...words.slice(i + 1));
      break;
    }
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const flag = eq === -1 ? word : word.slice(0, eq);
      const spec = FLAGS[flag];
      if (spec === undefined) unknown(flag);
      i = take(flag, spec, eq === -1 ? undefined : word.slice(eq + 1), i);
    } else if (word.startsWith('-') && word.length > 1) {
      // Bundled short flags: booleans, then at most one flag that takes the rest (or the next word).
      for (let j = 1; j < word.length; j++) {
        const letter = word[j]!;
        const long = SHORT[letter];
        if (long === undefined) unknown(`-${letter}`);
        const spec = FLAGS[long]!;
        if (spec.value) {
          const rest = word.slice(j + 1);
          i = take(`-${letter}`, spec, rest === '' ? undefined : rest, i);
          break;
        }
        spec.apply(args, '', `-${letter}`);
      }
    } else {
      args.positionals.push(word);
    }
  }
  if (args.copied) {
    // curl's URL globbing: DevTools escapes [ ] { } in URLs with a backslash.
    for (let k = 0; k < args.positionals.length; k++) args.positionals[k] = args.positionals[k]!.replace(/\\([[\]{}])/g, '$1');
    pageHeaders(args);
  } else if (args.origin === undefined) {
    // The curl way to test CORS, `-H 'Origin: ...'`, names the page's origin.
    const at = args.headers.findIndex((line) => headerName(line) === 'origin');
    if (at !== -1) {
      args.origin = headerValue(args.headers[at]!);
      args.headers.splice(at, 1);
      args.notes.push(`-H 'Origin: ${args.origin}' is read as --origin: a page cannot set Origin, the browser sends the page's own`);
    }
  }
  // curl sends POST when there is a body and no -X.
  if (args.method === undefined && args.body !== undefined) args.method = 'POST';
  return args;
}

function unknown(flag: string): never {
  const why = UNSUPPORTED[flag];
  if (why !== undefined) fail(`${flag}: ${why}`);
  fail(`unknown option '${flag}'; run 'corsguard check --help' for the options (curl's -X, -H, -d, -b, -u, -k are understood too)`);
}
