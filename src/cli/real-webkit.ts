/**
 * `check --real` in WebKit: WebKitGTK's MiniBrowser, behind a local HTTP proxy that places the
 * page at the origin.
 *
 * Why not WebKitWebDriver: it speaks classic WebDriver only (no BiDi, no log endpoint), so it can
 * neither intercept a navigation nor read the console, and MiniBrowser under automation (or in
 * private mode) does not write its console messages out. So MiniBrowser runs without automation,
 * in a fresh profile (its own XDG directories in a temporary folder), with
 * `--enable-write-console-messages-to-stdout` (WebKit's own CORS lines, as the console shows them)
 * and `--proxy` pointing at a proxy on 127.0.0.1 that this module runs. The proxy answers
 * `<origin>/__corsguard-real` itself with the page, whose script makes the request and posts its
 * result back to `<origin>/__corsguard-real/result` (answered by the proxy too). The API's host is
 * on `--ignore-host`, so the request and its preflight go from WebKit straight to the server;
 * anything else (a redirect to another host) is forwarded unchanged, and CONNECT is tunnelled.
 *
 * An https origin: the proxy terminates the page's TLS with a certificate made for the run by
 * `openssl` (so it needs `openssl` on PATH), and MiniBrowser runs with `--ignore-tls-errors`,
 * which also accepts any certificate of an https API (said in the outcome's note).
 *
 * WebKitGTK needs a display: `DISPLAY` (or `WAYLAND_DISPLAY`) when set, else a private Xvfb.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';
import type { CheckOptions } from './check.js';
import { findExecutable, outcome, type PageResult, RUNNER_PATH, settle, within } from './real-page.js';
import type { RealOutcome } from './real.js';

const LAUNCH_TIMEOUT_MS = 30_000;

/** MiniBrowser: the override, PATH, then where Debian, Ubuntu and Fedora install it beside the library. */
export function findMiniBrowser(): string | undefined {
  const override = process.env['CORSGUARD_MINIBROWSER_PATH'];
  if (override !== undefined) return findExecutable(override, []);
  const onPath = findExecutable(undefined, ['MiniBrowser']);
  if (onPath !== undefined) return onPath;
  const libraries = ['webkit2gtk-4.1', 'webkit2gtk-4.0', 'webkitgtk-6.0'];
  const roots = ['/usr/lib', '/usr/libexec', '/usr/lib64'];
  const dirs = roots.flatMap((root) => [root, ...subdirectories(root)]);
  return findExecutable(undefined, ['MiniBrowser'], dirs.flatMap((dir) => libraries.map((lib) => join(dir, lib))).join(':'));
}

function subdirectories(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name.includes('-linux-'))
      .map((entry) => join(dir, entry.name));
  } catch {
    return [];
  }
}

/**
 * Processes started here (each the leader of its own process group, so a Ctrl-C in the terminal
 * does not reach them): killed on the way out if the CLI exits or is interrupted before closing them.
 */
const started = new Set<ChildProcess>();
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}
/** The temporary profiles of the runs under way, removed with them. */
const profiles = new Set<string>();
function killStarted(): void {
  for (const child of started) killGroup(child);
  for (const dir of profiles) rmSync(dir, { recursive: true, force: true });
}
function onSignal(signal: NodeJS.Signals): void {
  killStarted();
  stopListening();
  process.kill(process.pid, signal);
}
function stopListening(): void {
  process.off('exit', killStarted);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}
function track(child: ChildProcess): ChildProcess {
  if (started.size === 0) {
    process.on('exit', killStarted);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  started.add(child);
  child.once('exit', () => {
    started.delete(child);
    if (started.size === 0) stopListening();
  });
  return child;
}

/** A display for MiniBrowser: the session's, or a private Xvfb on a display number it picks itself. */
async function display(): Promise<{ env: Record<string, string>; xvfb?: ChildProcess } | string> {
  const own = process.env['DISPLAY'] || process.env['WAYLAND_DISPLAY'];
  if (own) return { env: {} };
  const xvfbPath = findExecutable(process.env['CORSGUARD_XVFB_PATH'], ['Xvfb']);
  if (xvfbPath === undefined)
    return 'WebKitGTK needs a display: DISPLAY is not set and no Xvfb was found (on PATH, or at CORSGUARD_XVFB_PATH; Debian package xvfb)';
  const xvfb = track(
    spawn(xvfbPath, ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
      detached: true,
    }),
  );
  const number = new Promise<string>((resolve, reject) => {
    let text = '';
    xvfb.stdio[3]!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(text.trim());
    });
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}`)));
    xvfb.once('error', reject);
  });
  try {
    return { env: { DISPLAY: `:${await within(number, LAUNCH_TIMEOUT_MS, 'starting Xvfb')}` }, xvfb };
  } catch (error) {
    killGroup(xvfb);
    throw error;
  }
}

/** Runs a program to its end (bounded), resolving with its stdout. */
function run(file: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: LAUNCH_TIMEOUT_MS }, (error, stdout) => (error === null ? resolve(stdout) : reject(error)));
  });
}

/** A throwaway certificate for the origin's host, for the page's TLS only. */
async function certificateFor(host: string, dir: string): Promise<{ key: Buffer; cert: Buffer } | string> {
  const openssl = findExecutable(process.env['CORSGUARD_OPENSSL_PATH'], ['openssl']);
  if (openssl === undefined) return 'an https origin needs a certificate for the page, made with openssl, and there is no openssl on PATH';
  const keyFile = join(dir, 'page-key.pem');
  const certFile = join(dir, 'page-cert.pem');
  // The name does not matter (MiniBrowser runs with --ignore-tls-errors); the browser only needs a certificate.
  const fixed = 'req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1'.split(' ');
  await run(openssl, [...fixed, '-subj', `/CN=${host}`, '-keyout', keyFile, '-out', certFile], process.env);
  return { key: readFileSync(keyFile), cert: readFileSync(certFile) };
}

/** Headers that describe one connection, not the message: a proxy drops them. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
]);
function endToEnd(raw: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) if (!HOP_BY_HOP.has(raw[i]!.toLowerCase())) kept.push(raw[i]!, raw[i + 1]!);
  return kept;
}

/** Sends a request the page made elsewhere on to its server, and its answer back, unchanged. */
function forward(target: URL, req: http.IncomingMessage, res: http.ServerResponse): void {
  const client = target.protocol === 'https:' ? https : http;
  const upstream = client.request(target, { method: req.method, headers: endToEnd(req.rawHeaders) }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.rawHeaders));
    answer.pipe(res);
  });
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(upstream);
}

/**
 * The proxy: answers the page and its result at the origin, forwards the rest. Resolves `result`
 * when the page posts it.
 */
function placer(
  origin: URL,
  page: string,
  tls: { key: Buffer; cert: Buffer } | undefined,
): { server: http.Server; result: Promise<PageResult> } {
  let deliver: (result: PageResult) => void = () => {};
  const result = new Promise<PageResult>((resolve) => {
    deliver = resolve;
  });
  const runner = `${origin.origin}${RUNNER_PATH}`;
  const server = http.createServer((req, res) => {
    // Absolute-form from the browser (http), origin-form inside the origin's own TLS tunnel (https).
    let target: URL;
    try {
      target = new URL(req.url ?? '/', origin.origin);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const at = `${target.origin}${target.pathname}`;
    if (at === runner && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(page);
    } else if (at === `${runner}/result` && req.method === 'POST') {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        body += chunk;
      });
      req.on('end', () => {
        res.writeHead(204).end();
        try {
          deliver(JSON.parse(body) as PageResult);
        } catch {
          deliver({ fetched: false, error: 'the page sent an unreadable result', origin: 'unknown' });
        }
      });
    } else {
      forward(target, req, res);
    }
  });
  server.on('connect', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const authority = req.url ?? '';
    if (tls !== undefined && authority === `${origin.hostname}:${origin.port || '443'}`) {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) socket.unshift(head);
      const secure = new TLSSocket(socket, { isServer: true, key: tls.key, cert: tls.cert });
      secure.on('error', () => secure.destroy());
      server.emit('connection', secure);
      return;
    }
    const colon = authority.lastIndexOf(':');
    const upstream = net.connect(Number(authority.slice(colon + 1)), authority.slice(0, colon).replace(/^\[|\]$/g, ''), () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => {
      socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    });
  });
  return { server, result };
}

/** The API's host as GLib's proxy ignore list writes it (`host:port`, IPv6 in brackets only with a port). */
function ignoreHostEntry(api: URL): string {
  const port = api.port || (api.protocol === 'https:' ? '443' : '80');
  return `${api.hostname}:${port}`;
}

/** MiniBrowser's console lines ("CONSOLE SECURITY ERROR <text>", "<url>:1:2: CONSOLE JS LOG <text>"): their text. */
export function consoleText(line: string): string | undefined {
  const at = line.indexOf('CONSOLE ');
  if (at === -1) return undefined;
  // Two words follow: the source (SECURITY, JS, NETWORK...) and the level (ERROR, LOG...).
  const first = line.indexOf(' ', at + 'CONSOLE '.length);
  const second = first === -1 ? -1 : line.indexOf(' ', first + 1);
  return second === -1 ? undefined : line.slice(second + 1);
}

/** The page: runs the request with `script` on load and posts the result to the proxy. */
function runnerPage(script: string): string {
  // JSON-in-script: `<` escaped so that no `</script>` in the request can end the element.
  const report = `(${script}).catch((e) => ({ fetched: false, error: 'page script failed: ' + e, origin: self.origin })).then((r) => fetch('${RUNNER_PATH}/result', { method: 'POST', body: JSON.stringify(r) }))`;
  return `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>corsguard check --real</title></head><body><script>${report.replace(/</g, '\\u003c')}</script></body></html>`;
}

export async function runWebKit(options: CheckOptions, script: string): Promise<RealOutcome> {
  const miniBrowser = findMiniBrowser();
  if (miniBrowser === undefined) {
    const override = process.env['CORSGUARD_MINIBROWSER_PATH'];
    return {
      engine: 'webkit',
      unavailable:
        override !== undefined
          ? `CORSGUARD_MINIBROWSER_PATH (${override}) is not an executable`
          : "no WebKitGTK MiniBrowser (on PATH, or beside the library in /usr/lib/*/webkit2gtk-4.1/: Debian's libwebkit2gtk-4.1-0 ships it)",
    };
  }
  const origin = new URL(options.origin);
  const api = new URL(options.url);
  const dir = mkdtempSync(join(tmpdir(), 'corsguard-webkit-'));
  profiles.add(dir);
  let browser: ChildProcess | undefined;
  let xvfb: ChildProcess | undefined;
  let server: http.Server | undefined;
  try {
    let tls: { key: Buffer; cert: Buffer } | undefined;
    if (origin.protocol === 'https:') {
      const made = await certificateFor(origin.hostname, dir);
      if (typeof made === 'string') return { engine: 'webkit', unavailable: made };
      tls = made;
    }
    const screen = await display();
    if (typeof screen === 'string') return { engine: 'webkit', unavailable: screen };
    xvfb = screen.xvfb;
    const placed = placer(origin, runnerPage(script), tls);
    server = placed.server;
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    const proxyPort = (server.address() as AddressInfo).port;
    const env = {
      ...process.env,
      ...screen.env,
      // A fresh profile: no cookies, cache, HSTS or preflight cache from an earlier run.
      XDG_DATA_HOME: join(dir, 'data'),
      XDG_CACHE_HOME: join(dir, 'cache'),
      XDG_CONFIG_HOME: join(dir, 'config'),
    };
    const version = (await run(miniBrowser, ['--version'], env)).trim();
    const args = ['--enable-write-console-messages-to-stdout=true', `--proxy=http://127.0.0.1:${proxyPort}`];
    if (ignoreHostEntry(api) !== ignoreHostEntry(origin)) args.push(`--ignore-host=${ignoreHostEntry(api)}`);
    if (tls !== undefined) args.push('--ignore-tls-errors');
    browser = track(
      spawn(miniBrowser, [...args, `${origin.origin}${RUNNER_PATH}`], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true }),
    );
    const lines: string[] = [];
    // Console lines come on stdout and stderr alike: each stream is cut into lines on its own.
    for (const stream of [browser.stdout!, browser.stderr!]) {
      let partial = '';
      stream.on('data', (chunk: Buffer) => {
        partial += chunk.toString();
        for (let newline = partial.indexOf('\n'); newline !== -1; newline = partial.indexOf('\n')) {
          const text = consoleText(partial.slice(0, newline));
          if (text !== undefined) lines.push(text);
          partial = partial.slice(newline + 1);
        }
      });
    }
    const exited = new Promise<never>((_, reject) => {
      browser!.once('exit', (code, signal) => reject(new Error(`MiniBrowser exited (${signal ?? code}) before the page reported`)));
    });
    exited.catch(() => {}); // it exits when killed below, after the race is over
    const result = await within(Promise.race([placed.result, exited]), LAUNCH_TIMEOUT_MS + options.timeoutMs, 'the request in WebKit');
    await settle(lines, result.fetched);
    return outcome('webkit', version, options, result, lines);
  } finally {
    if (browser !== undefined) killGroup(browser);
    if (xvfb !== undefined) killGroup(xvfb);
    if (server !== undefined) {
      server.closeAllConnections();
      server.close();
    }
    rmSync(dir, { recursive: true, force: true });
    profiles.delete(dir);
  }
}
