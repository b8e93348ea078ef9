/**
 * The `corsguard` command line: argument parsing and dispatch. Exit status: 0 allowed / no high
 * finding, 1 blocked / a high finding, 2 the command could not run (bad arguments, the server
 * cannot be reached). Errors are said in one plain sentence, never as a stack trace.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isForbiddenMethod, isToken } from '../protocol/fetch-standard.js';
import { parseSerializedOrigin } from '../protocol/origin.js';
import { ENGINES, type Engine } from './browser-model.js';
import { runCheck, type CheckOptions } from './check.js';
import { checkJson, formatCheck, formatReal, realJson } from './format-check.js';
import { compareReal, runReal } from './real.js';
import { RequestFailedError, sendRequest } from './http.js';
import { ArgumentError, parseCheckArguments } from './curl-args.js';
import { formatScan, scanJson } from './format-scan.js';
import { runScan } from './scan.js';
import { loadOpenApi, OpenApiError, operationsOf } from './openapi.js';
import { formatOpenApiScan, openApiScanJson, openApiScanJunit, runOpenApiScan } from './openapi-scan.js';
import { checkDemo, formatDemoChecks, startDemo } from './demo.js';
import { explainCommand } from './explain.js';
import { colourWanted, createStyle } from './style.js';
import { forTerminal, jsonForTerminal } from './terminal-text.js';

export interface CliIo {
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

/** A mistake in how the command was called: reported in one sentence, exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT_OK = 0;
export const EXIT_BLOCKED = 1;
export const EXIT_CANNOT_RUN = 2;
/** check --real: a real browser ended differently from the model's prediction. */
export const EXIT_REAL_DIFFERS = 3;

const USAGE = `Usage: corsguard <command> [options]

Commands:
  check <url> --origin <origin>   Tell what a browser's fetch() does with this request, step by step, and why
  scan <url>                      Probe a server with crafted origins for CORS misconfigurations
  scan --openapi <file> --origin <origin>
                                  Check every operation of an OpenAPI document in every engine
  demo                            Start the corsguard demo (API and page) and check its calls
  explain "<console message>"     Explain a CORS error pasted from a browser's console

'corsguard --version' prints the version.

Run 'corsguard <command> --help' for the options of a command.
`;

const CHECK_USAGE = `Usage: corsguard check <url> --origin <origin> [options]

Plays a browser's fetch(url, { mode: 'cors' }) from a page at <origin>: decides whether a preflight is
needed, sends it as a browser would, evaluates it, sends the actual request, runs the CORS check, and says
which response headers the page can read. Then it probes for setups that work but are fragile.

Options:
  --origin <origin>          The page's origin, e.g. https://app.example.com (required)
  --method <method>          Request method (default GET); fetch() upper-cases only the six standard ones
  --header 'Name: value'     A request header the page sets (repeatable)
  --body <text>              A request body (fetch() then adds Content-Type: text/plain;charset=UTF-8 if none)
  --credentials              fetch(..., { credentials: 'include' }): cookies and HTTP auth
  --read-header <name>       A response header the page wants to read (repeatable)
  --browser <engine>         chromium, firefox or webkit, where engines differ (default: all three)
  --skip-probes              Do not probe for missing Vary: Origin or CORS headers missing on errors
  --timeout <seconds>        Deadline for each request, connecting included (default 10)
  --json                     Print one JSON object: { allowed, preflight, problems: [{ id, message, ... }], ... }
  --real                     Also run the request in the real browsers installed here (Chromium through the
                             optional package playwright-core, Firefox through puppeteer-core, WebKitGTK's
                             MiniBrowser behind a local proxy), from a page at <origin>, and print each one's
                             outcome and console lines beside the prediction

curl's flags work too: -X/--request, -H/--header, -d/--data/--data-raw/--data-binary, -b/--cookie
(read as --credentials), -u/--user, -k/--insecure, -m/--max-time, -I/--head, --url, --version.
A command copied with DevTools' "Copy as cURL" (Chromium's bash form, Firefox's POSIX form) can be pasted
after 'corsguard check', as shell words or as one quoted string: its Origin header gives --origin, its
cookies give --credentials, and the headers the browser added itself (User-Agent, Sec-Fetch-*, Referer,
Accept-Encoding, ...) are left out, each named in a note on stderr. Unsupported curl flags are refused by name.

  corsguard check curl 'https://api.example.com/items' -X 'PUT' -H 'origin: https://app.example.com' \\
    -H 'content-type: application/json' --data-raw '{"a":1}' --compressed

Exit status: 0 allowed, 1 blocked, 2 could not run (with --real: no browser could run it either),
3 a real browser ended differently from the prediction (--real).
`;

function fail(message: string): never {
  throw new UsageError(message);
}

/**
 * `value` with the scheme it lacks (`localhost:3000` -> `http://localhost:3000`), or undefined
 * when it has one. Loopback hosts get http: (a dev server), other hosts https:.
 */
function schemeSuggestion(value: string): string | undefined {
  if (value.includes('://') || value === '' || /^[a-z][a-z0-9+.-]*:[^0-9]/i.test(value)) return undefined;
  const host = /^(\[[^\]]*\]|[^/:?#]*)/.exec(value)?.[1]?.toLowerCase() ?? '';
  if (host === '' || !/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/.test(host)) return undefined;
  const loopback = host === 'localhost' || host.endsWith('.localhost') || host.startsWith('127.') || host === '[::1]' || host === '0.0.0.0';
  return `${loopback ? 'http' : 'https'}://${value}`;
}

/** The version in corsguard's package.json, found from this module up (dist/cli, or build/src/cli in tests). */
function packageVersion(): string {
  for (let dir = new URL('./', import.meta.url), i = 0; i < 4; dir = new URL('../', dir), i++) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'corsguard' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not here: one level up
    }
  }
  return 'unknown';
}

/** Validates a URL the CLI should call. */
export function parseTargetUrl(value: string | undefined, command: string): URL {
  if (value === undefined) fail(`${command} needs a URL, as in: corsguard ${command} https://api.example.com/items`);
  const scheme = schemeSuggestion(value);
  if (scheme !== undefined) fail(`'${value}' has no scheme; did you mean ${scheme}?`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail(`'${value}' is not a URL; write it in full, as in http://localhost:8000/items`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(`'${value}' is not an http: or https: URL`);
  return url;
}

/** Validates an origin the way a browser would send it. */
export function parseOriginArgument(value: string | undefined, flag = '--origin'): string {
  if (value === undefined || value === '')
    fail(`${flag} is required: the origin of the page that makes the request, as in ${flag} https://app.example.com`);
  if (value === 'null') return value;
  if (parseSerializedOrigin(value) !== undefined) return value;
  const scheme = schemeSuggestion(value);
  if (scheme !== undefined) fail(`${flag} '${value}' has no scheme; did you mean ${scheme}?`);
  let suggestion: string | undefined;
  try {
    const origin = new URL(value).origin;
    if (origin !== 'null') suggestion = origin;
  } catch {
    suggestion = undefined;
  }
  fail(
    `${flag} '${value}' is not an origin a browser sends (scheme://host[:port] in lower case, no path, no trailing slash, no default port)` +
      (suggestion === undefined ? '' : `; did you mean ${suggestion}?`),
  );
}

function parseHeaderArgument(value: string): [string, string] {
  const colon = value.indexOf(':');
  if (colon <= 0) fail(`--header '${value}' must look like 'Name: value'`);
  const name = value.slice(0, colon).trim();
  // fetch() strips leading and trailing HTTP white space from values.
  const headerValue = value.slice(colon + 1).replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
  if (!isToken(name)) fail(`--header '${value}': '${name}' is not a valid header name`);
  for (let i = 0; i < headerValue.length; i++) {
    const c = headerValue.charCodeAt(i);
    if (c === 0 || c === 0x0a || c === 0x0d) fail(`--header '${value}': header values cannot contain NUL, CR or LF (fetch() throws)`);
    if (c > 0xff) fail(`--header '${value}': header values must be Latin-1 bytes (fetch() throws on other characters)`);
  }
  return [name, headerValue];
}

function parseEngines(value: string | undefined): Engine[] {
  if (value === undefined || value === 'all') return [...ENGINES];
  if ((ENGINES as readonly string[]).includes(value)) return [value as Engine];
  fail(`--browser must be one of ${ENGINES.join(', ')} (or all), got '${value}'`);
}

export function parseTimeout(value: string | undefined): number {
  if (value === undefined) return 10_000;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600)
    fail(`--timeout must be a number of seconds from 0 to 600, got '${value}'`);
  return seconds * 1000;
}

function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${jsonForTerminal(value)}\n`);
}

async function checkCommand(args: string[], io: CliIo): Promise<number> {
  const values = parseCheckArguments(args);
  if (values.help) {
    io.stdout.write(CHECK_USAGE);
    return EXIT_OK;
  }
  if (values.version) {
    io.stdout.write(`corsguard ${packageVersion()}\n`);
    return EXIT_OK;
  }
  const { positionals } = values;
  if (positionals.length > 1) fail(`check takes one URL, got ${positionals.length}: ${positionals.join(' ')}`);
  const url = parseTargetUrl(positionals[0], 'check');
  const origin = parseOriginArgument(values.origin);
  const method = values.method ?? 'GET';
  if (!isToken(method)) fail(`--method '${method}' is not a valid method name`);
  if (isForbiddenMethod(method)) fail(`--method ${method} is forbidden: fetch() refuses to send it`);
  const headers = values.headers.map(parseHeaderArgument);
  const readHeaders = values.readHeaders;
  for (const name of readHeaders) if (!isToken(name)) fail(`--read-header '${name}' is not a valid header name`);
  if (values.body !== undefined && (method.toUpperCase() === 'GET' || method.toUpperCase() === 'HEAD')) {
    fail(`--body cannot be used with ${method.toUpperCase()}: fetch() throws for a GET or HEAD request with a body`);
  }
  // Chromium's "Copy as cURL" adds --insecure to plain-http requests too; it matters only for https.
  if (values.insecure && url.protocol === 'https:') {
    values.notes.push(
      "--insecure: the server's certificate is not verified; a browser refuses a certificate the machine does not trust, before any CORS step",
    );
  }
  for (const note of values.notes) io.stderr.write(`corsguard check: note: ${forTerminal(note)}\n`);
  const checkOptions: CheckOptions = {
    url: url.href,
    origin,
    method,
    headers,
    credentials: values.credentials,
    readHeaders,
    body: values.body,
    engines: parseEngines(values.browser),
    probes: !values.skipProbes,
    timeoutMs: parseTimeout(values.timeout),
  };
  const report = await runCheck(
    checkOptions,
    values.insecure ? (request, timeoutMs) => sendRequest({ ...request, insecure: true }, timeoutMs) : undefined,
  );
  const real = values.real ? compareReal(report, await runReal(checkOptions)) : undefined;
  const style = createStyle(colourWanted(io.stdout, io.env));
  if (values.json) {
    const json = checkJson(report);
    for (const c of real ?? []) Object.assign(json.verdicts[c.engine]!, { real: realJson(c) });
    writeJson(io, json);
  } else {
    io.stdout.write(formatCheck(report, style));
    if (real !== undefined) io.stdout.write(formatReal(report, real, style));
  }
  if (real !== undefined) {
    if (!real.some((c) => c.real.fetched !== undefined)) {
      io.stderr.write('corsguard check: --real: no browser could run the request (each one says why)\n');
      return EXIT_CANNOT_RUN;
    }
    if (real.some((c) => c.differences.length > 0)) return EXIT_REAL_DIFFERS;
  }
  return report.allowed ? EXIT_OK : EXIT_BLOCKED;
}

const SCAN_USAGE = `Usage: corsguard scan <url> [options]

Sends requests with crafted Origin headers (reflection, null, prefix/suffix/substring matches, unescaped
regex dots, special characters, http origins, any subdomain, third-party hosts), then a preflight from
each (OPTIONS for PUT with Authorization, Content-Type and a custom header), and reports each
misconfiguration with its severity, the origin that proved it, what an attacker can do, and the fix.

Options:
  --origin <origin>          The origin your frontend really uses; probes are derived from it
                             (default: the URL's own origin)
  --domain <domain>          Its registrable domain, e.g. example.co.uk (default: the last two labels)
  --method <method>          Method of the probes (default GET); the preflights ask for it when it is
                             not GET, HEAD or POST, else for PUT
  --header 'Name: value'     A header sent with every probe, e.g. a session cookie (repeatable)
  --timeout <seconds>        Deadline for each request, connecting included (default 10)
  --json                     Print one JSON object: { findings: [{ id, severity, origin, ... }], ... }

Exit status: 0 no high finding, 1 a high finding, 2 could not run.

Usage: corsguard scan --openapi <file> --origin <origin> [options]

Checks every operation of an OpenAPI 3.0/3.1 document (JSON, or YAML with the 'yaml' package installed)
as 'corsguard check' checks one request, from a page at <origin>: the operation's method, its request
body's Content-Type, the headers its security schemes need (apiKey in a header, Authorization for http
and OAuth schemes), credentials where cookies are used, path parameters filled with sample values.
Each operation's request is really sent: point it at a development or staging server.

Options:
  --openapi <file>           The OpenAPI document (.json, .yaml, .yml)
  --origin <origin>          The origin of your frontend (required)
  --base-url <url>           The API's address (default: the document's servers)
  --browser <engine>         chromium, firefox or webkit (default: all three)
  --timeout <seconds>        Deadline for each request (default 10)
  --json                     Print one JSON object: { allowed, operations: [{ operation, allowed, problems, verdicts, ... }] }
  --junit <file>             Also write JUnit XML: one testcase per operation and engine, failures with problem and fix

Exit status: 0 every operation allowed in every engine, 1 one is blocked, 2 could not run.
`;

async function scanCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      origin: { type: 'string' },
      domain: { type: 'string' },
      method: { type: 'string', default: 'GET' },
      header: { type: 'string', multiple: true, short: 'H' },
      timeout: { type: 'string' },
      json: { type: 'boolean', default: false },
      openapi: { type: 'string' },
      'base-url': { type: 'string' },
      junit: { type: 'string' },
      browser: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(SCAN_USAGE);
    return EXIT_OK;
  }
  if (values.openapi !== undefined) return scanOpenApiCommand(values, positionals, io);
  for (const flag of ['base-url', 'junit', 'browser'] as const)
    if (values[flag] !== undefined) fail(`--${flag} is for scan --openapi <file>`);
  if (positionals.length > 1) fail(`scan takes one URL, got ${positionals.length}: ${positionals.join(' ')}`);
  const url = parseTargetUrl(positionals[0], 'scan');
  const trustedOrigin = values.origin === undefined ? url.origin : parseOriginArgument(values.origin);
  if (!trustedOrigin.startsWith('http://') && !trustedOrigin.startsWith('https://')) {
    fail(`--origin must be an http: or https: origin to derive probes from, got '${trustedOrigin}'`);
  }
  const domain = values.domain;
  if (domain !== undefined) {
    const host = new URL(trustedOrigin).hostname;
    if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(domain)) fail(`--domain '${domain}' is not a lower-case domain name`);
    if (host !== domain && !host.endsWith(`.${domain}`)) fail(`--domain ${domain} is not the domain of ${host}`);
  }
  const method = values.method;
  if (!isToken(method) || isForbiddenMethod(method)) fail(`--method '${method}' is not a method a browser can send`);
  const progress = io.stderr.isTTY === true && !values.json;
  const report = await runScan({
    url: url.href,
    trustedOrigin,
    domain,
    method,
    headers: (values.header ?? []).map(parseHeaderArgument),
    timeoutMs: parseTimeout(values.timeout),
    onProgress: progress
      ? (done, total, origin) => {
          const line = done === total ? '' : `scanning [${done + 1}/${total}] ${origin}`.slice(0, 100);
          io.stderr.write(`\r\u001b[K${line}`);
        }
      : undefined,
  });
  if (values.json) writeJson(io, scanJson(report));
  else io.stdout.write(formatScan(report, createStyle(colourWanted(io.stdout, io.env))));
  return report.findings.some((f) => f.severity === 'high') ? EXIT_BLOCKED : EXIT_OK;
}

interface OpenApiScanFlags {
  readonly openapi?: string | undefined;
  readonly origin?: string | undefined;
  readonly 'base-url'?: string | undefined;
  readonly junit?: string | undefined;
  readonly browser?: string | undefined;
  readonly timeout?: string | undefined;
  readonly json: boolean;
  readonly domain?: string | undefined;
  readonly header?: string[] | undefined;
  readonly method: string;
}

async function scanOpenApiCommand(values: OpenApiScanFlags, positionals: readonly string[], io: CliIo): Promise<number> {
  if (positionals.length > 0)
    fail(`scan --openapi takes no URL (got ${positionals.join(' ')}): the server comes from the document's servers, or --base-url`);
  if (values.domain !== undefined || values.header !== undefined || values.method !== 'GET') {
    fail('--domain, --header and --method are for scan <url>; with --openapi each operation says its method and headers');
  }
  if (values.origin === undefined)
    fail('scan --openapi needs --origin: the origin of your frontend, as in --origin https://app.example.com');
  const origin = parseOriginArgument(values.origin);
  const baseUrl = values['base-url'] === undefined ? undefined : parseTargetUrl(values['base-url'], 'scan --base-url').href;
  const document = await loadOpenApi(values.openapi!);
  const { operations, skipped } = operationsOf(document, { baseUrl });
  for (const operation of operations) parseTargetUrl(operation.url, 'scan --openapi');
  const progress = io.stderr.isTTY === true && !values.json;
  const report = await runOpenApiScan(
    {
      operations,
      origin,
      engines: parseEngines(values.browser),
      timeoutMs: parseTimeout(values.timeout),
      onProgress: progress
        ? (done, total, name) =>
            io.stderr.write(`\r\u001b[K${done === total ? '' : `checking [${done + 1}/${total}] ${forTerminal(name)}`.slice(0, 100)}`)
        : undefined,
    },
    skipped,
  );
  if (values.junit !== undefined) {
    try {
      writeFileSync(values.junit, openApiScanJunit(report));
    } catch (error) {
      fail(`--junit ${values.junit} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
  if (values.json) writeJson(io, openApiScanJson(report));
  else io.stdout.write(formatOpenApiScan(report, createStyle(colourWanted(io.stdout, io.env))));
  return report.allowed ? EXIT_OK : EXIT_BLOCKED;
}

const DEMO_USAGE = `Usage: corsguard demo [options]

Starts the demo on loopback: an API configured like the FastAPI guide's production example (corsguard on
node:http) and a page that calls it. Then runs 'corsguard check' against the API for each call of the page
and for one that a browser blocks, prints the verdicts, the blocked call's requests, the console message
each engine prints for it and what 'corsguard explain' says about each. Open the page in a browser to see the same
calls there.

Options:
  --once                     Exit after the checks: 0 if every verdict is the expected one, 1 if not
  --api-port <port>          Port of the API (default 8000; 0 picks a free one)
  --web-port <port>          Port of the page (default 3000; 0 picks a free one)
`;

function parsePort(value: string | undefined, flag: string): number {
  const n = Number(value);
  if (value === undefined || !/^[0-9]+$/.test(value) || n > 65535) fail(`${flag} must be a port number from 0 to 65535, got '${value}'`);
  return n;
}

async function demoCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      once: { type: 'boolean', default: false },
      'api-port': { type: 'string', default: '8000' },
      'web-port': { type: 'string', default: '3000' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(DEMO_USAGE);
    return EXIT_OK;
  }
  if (positionals.length > 0) fail(`demo takes no arguments, got: ${positionals.join(' ')}`);
  const apiPort = parsePort(values['api-port'], '--api-port');
  const webPort = parsePort(values['web-port'], '--web-port');
  let demo;
  try {
    demo = await startDemo({ apiPort, webPort });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { port?: number };
    if (e.code === 'EADDRINUSE') {
      fail(`port ${e.port ?? ''} is in use; stop what runs there, or pick others: corsguard demo --api-port 8001 --web-port 3001`);
    }
    fail(`the demo could not start: ${e.message}`);
  }
  const style = createStyle(colourWanted(io.stdout, io.env));
  io.stdout.write(
    `${style.bold('corsguard demo')}\n  API (corsguard on node:http): ${demo.apiUrl}\n  page:                         ${demo.webUrl}\n  allowed origin:               ${demo.frontendOrigin}\n\n`,
  );
  let checks;
  try {
    checks = await checkDemo(demo, 10_000);
  } catch (error) {
    await demo.close();
    throw error;
  }
  io.stdout.write(formatDemoChecks(checks, style));
  const status = checks.checks.every((c) => c.asExpected) ? EXIT_OK : EXIT_BLOCKED;
  if (values.once) {
    await demo.close();
    return status;
  }
  io.stdout.write(`\nOpen ${demo.webUrl} in a browser to see the same calls from a real page. Press Ctrl-C to stop.\n`);
  return new Promise<number>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      io.stdout.write('\nstopping...\n');
      void demo.close().then(() => resolve(EXIT_OK));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

type Command = (args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  check: checkCommand,
  scan: scanCommand,
  demo: demoCommand,
  explain: explainCommand,
};

/**
 * node:util's parseArgs message as one plain sentence: the option it names and what is wrong, without
 * its advice to put '--' before a positional (no corsguard argument starts with a dash).
 */
function parserSentence(code: string, message: string): string {
  const quoted = /'(-[^' ]*)/.exec(message)?.[1];
  if (quoted === undefined) return message;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option '${quoted}'`;
  if (message.includes('argument missing')) return `${quoted} needs a value`;
  if (message.includes('does not take an argument')) return `${quoted} takes no value`;
  return message;
}

/** Runs the CLI with `argv` (without node and the script) and returns the exit status. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    io.stdout.write(`corsguard ${packageVersion()}\n`);
    return EXIT_OK;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(USAGE);
    return name === undefined ? EXIT_CANNOT_RUN : EXIT_OK;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    io.stderr.write(`corsguard: unknown command '${name}'.\n${USAGE}`);
    return EXIT_CANNOT_RUN;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    if (
      error instanceof UsageError ||
      error instanceof ArgumentError ||
      error instanceof OpenApiError ||
      error instanceof RequestFailedError
    ) {
      io.stderr.write(`corsguard ${name}: ${forTerminal(error.message)}\n`);
      return EXIT_CANNOT_RUN;
    }
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(
        `corsguard ${name}: ${forTerminal(parserSentence(code, (error as Error).message))}; run 'corsguard ${name} --help' for the options\n`,
      );
      return EXIT_CANNOT_RUN;
    }
    io.stderr.write(`corsguard ${name}: unexpected error: ${forTerminal((error as Error)?.message ?? String(error))}\n`);
    return EXIT_CANNOT_RUN;
  }
}
