/**
 * The CLI's HTTP client: HTTP/1.1 over node:net and node:tls, one connection per request
 * (`Connection: close`). It is written here rather than taken from node:http because `check` must
 * see what a browser sees: node:http upper-cases every method (a browser sends `patch` as
 * written) and its strict parser refuses responses that browsers take (a 204 with a body, a
 * header name followed by a space before the colon). It sends exactly the method and headers it
 * is given (Origin included, which fetch() implementations rewrite), keeps every response header
 * line as received, so that two `Access-Control-Allow-Origin` lines are seen as two, and bounds
 * all a server controls: the size of the response head, its lines, interim responses, how much
 * body is read, and the time the whole request takes.
 */
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { isToken } from '../protocol/fetch-standard.js';
import { joinHeaderLines, type ResponseHead } from './browser-model.js';

export { joinHeaderLines };

export interface SentRequest {
  /** Sent exactly as given: fetch() normalizes the method's case, the caller does that. */
  readonly method: string;
  readonly url: string;
  /** Header lines in order. `Host`, `Connection` and `Content-Length` are added here. */
  readonly headers: readonly (readonly [string, string])[];
  /** Sent as Latin-1 bytes. */
  readonly body?: string | undefined;
  /**
   * Whether lines of one name are joined into one first (combineRepeatedHeaders); true unless
   * false. Engines differ here, so the caller decides per engine.
   */
  readonly combineRepeated?: boolean | undefined;
  /** Skip verifying the server's certificate (`check -k`); a browser never does. */
  readonly insecure?: boolean | undefined;
}

/**
 * The final response (interim 1xx responses are skipped), parsed leniently, as browsers parse:
 * bare LF line ends, a body on a 204 or 304 (ignored), obs-fold continuation lines (joined to the
 * previous line's value with one space), a missing reason phrase.
 *
 * - `lines`: every header line as received, in order, as `[name, value]`. The name is exactly the
 *   bytes before the first colon, including any white space before the colon (`'Vary '`); the value
 *   has leading and trailing spaces and tabs removed. A line without a colon, or with nothing
 *   before it, is not a header line to any browser and is left out.
 * - `headers` and `lineCounts` (what the browser model reads): only the lines whose name is a
 *   valid token exactly as received, which is what Firefox and WebKit keep. A line such as
 *   `Access-Control-Allow-Origin : *` is therefore in `lines` but not in `headers`. Chromium trims
 *   spaces and tabs around the name first and keeps the line; `joinHeaderLines(lines, true)` gives
 *   that engine's view.
 * - `bodyStart`: at most the first 2 KiB of the body (chunked transfer coding decoded), as UTF-8.
 */
export interface ReceivedResponse extends ResponseHead {
  readonly statusText: string;
  /** Header lines as received, in order (see above). */
  readonly lines: readonly (readonly [string, string])[];
  /** The start of the body (for the plain-text reason a server may give). */
  readonly bodyStart: string;
}

/**
 * The request could not be made, or no answer came in time: the check cannot run (exit status
 * 2). The message is one plain sentence.
 */
export class RequestFailedError extends Error {
  override readonly name: string = 'RequestFailedError';
}

/**
 * Why fetch() would end the request in a network error (its promise rejects with a TypeError):
 * - `url-scheme`: the URL is not http: or https: (a redirect to `data:`, `file:`, `javascript:`, ...).
 *   Nothing was sent.
 * - `url-credentials`: the URL has a user name or password (`http://user:pw@host/`). Nothing was
 *   sent. (HTTP-redirect fetch gives this network error whenever the response tainting is "cors" or
 *   the hop is cross-origin, which covers every request `check` models; credentials from a URL are
 *   never sent.)
 * - `malformed-response`: the server answered with something browsers do not take as an HTTP
 *   response (no status line, `101` unasked, a response head over 256 KiB or 4,096 lines, more than
 *   32 interim responses, differing `Content-Length` lines, the connection closed in the head).
 */
export type NetworkErrorKind = 'url-scheme' | 'url-credentials' | 'malformed-response';

/**
 * fetch() would give a network error for this request: `kind` says why, `url` is the URL the
 * request was for (as given to sendRequest), `message` is one plain sentence without any byte the
 * server sent. It extends RequestFailedError, so a caller that does not handle it reports "could
 * not run" (exit status 2); a caller that models the browser (check following a redirect) catches
 * it first (`instanceof NetworkError` before `instanceof RequestFailedError`) and reports the request
 * as blocked (exit status 1).
 */
export class NetworkError extends RequestFailedError {
  override readonly name = 'NetworkError';
  constructor(
    readonly kind: NetworkErrorKind,
    readonly url: string,
    message: string,
  ) {
    super(message);
  }
}

const BODY_KEPT = 2048;
/** Bytes of all response heads of one request, interim ones included: Chromium's own limit. */
const HEAD_LIMIT = 256 * 1024;
const HEADER_LINE_LIMIT = 4096;
const INTERIM_LIMIT = 32;

/**
 * Joins request header lines of one name (compared case-insensitively) into one, at the first
 * line's place and with its spelling, values joined with ', ', as a Headers object's combined
 * value reads. Engines differ in whether they send repeated names combined.
 */
export function combineRepeatedHeaders(headers: readonly (readonly [string, string])[]): [string, string][] {
  const combined = new Map<string, [string, string]>();
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    const previous = combined.get(lower);
    if (previous === undefined) combined.set(lower, [name, value]);
    else previous[1] = `${previous[1]}, ${value}`;
  }
  return [...combined.values()];
}

function isSpaceOrTab(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** `text` without leading and trailing spaces and tabs. */
function trimSpaces(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isSpaceOrTab(text.charCodeAt(start))) start++;
  while (end > start && isSpaceOrTab(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

/** `HTTP/<version> <3 digits>[ <reason>]`, any case of `HTTP`, spaces or tabs between. */
function parseStatusLine(line: string): { status: number; statusText: string } | undefined {
  if (line.slice(0, 5).toUpperCase() !== 'HTTP/') return undefined;
  let i = 5;
  while (i < line.length && !isSpaceOrTab(line.charCodeAt(i))) i++;
  while (i < line.length && isSpaceOrTab(line.charCodeAt(i))) i++;
  const codeStart = i;
  while (i < line.length && line.charCodeAt(i) >= 0x30 && line.charCodeAt(i) <= 0x39) i++;
  if (i - codeStart !== 3 || (i < line.length && !isSpaceOrTab(line.charCodeAt(i)))) return undefined;
  return { status: Number(line.slice(codeStart, i)), statusText: trimSpaces(line.slice(i)) };
}

/**
 * The one length all `Content-Length` values agree on; undefined when there is none or it is not
 * a number (the body then runs to the end of the connection); 'differ' when values disagree,
 * which browsers refuse.
 */
function contentLength(value: string | undefined): number | 'differ' | undefined {
  if (value === undefined) return undefined;
  let agreed: number | undefined;
  let digits = '';
  let sawOther = false;
  for (let i = 0; i <= value.length; i++) {
    const code = i < value.length ? value.charCodeAt(i) : 0x2c;
    if (code === 0x2c) {
      if (sawOther || digits.length === 0 || digits.length > 15) return undefined;
      const length = Number(digits);
      if (agreed !== undefined && agreed !== length) return 'differ';
      agreed = length;
      digits = '';
    } else if (code >= 0x30 && code <= 0x39) {
      if (digits.length <= 15) digits += value[i];
    } else if (!isSpaceOrTab(code)) {
      sawOther = true;
    }
  }
  return agreed;
}

/** Whether the last transfer coding is `chunked`. */
function isChunked(value: string | undefined): boolean {
  if (value === undefined) return false;
  const comma = value.lastIndexOf(',');
  return trimSpaces(value.slice(comma + 1)).toLowerCase() === 'chunked';
}

type BodyFraming =
  | { readonly kind: 'none' }
  | { readonly kind: 'length'; remaining: number }
  | { readonly kind: 'chunked'; state: 'size' | 'extension' | 'data' | 'data-end'; size: number; digits: number }
  | { readonly kind: 'until-close' };

/** Reads one response from the bytes of a connection, one pass over each byte, within fixed bounds. */
class ResponseReader {
  private readonly line = Buffer.allocUnsafe(HEAD_LIMIT);
  private lineLength = 0;
  private headBytes = 0;
  private headerLines = 0;
  private interim = 0;
  private statusLine: { status: number; statusText: string } | undefined;
  private lines: [string, string][] = [];
  private head: { status: number; statusText: string; lines: [string, string][] } | undefined;
  private framing: BodyFraming = { kind: 'none' };
  private readonly body: Buffer[] = [];
  private bodyLength = 0;
  private complete = false;

  constructor(
    private readonly url: string,
    private readonly where: string,
    private readonly headRequest: boolean,
  ) {}

  /** Whether the whole response head has arrived. */
  get hasHead(): boolean {
    return this.head !== undefined;
  }

  /** Whether any byte of a response has arrived. */
  get started(): boolean {
    return this.headBytes > 0;
  }

  /** Takes the next bytes; true once no more are wanted. Throws NetworkError on what browsers refuse. */
  push(chunk: Buffer): boolean {
    let at = 0;
    while (at < chunk.length && !this.complete) {
      at = this.head === undefined ? this.readHead(chunk, at) : this.readBody(chunk, at);
    }
    return this.complete;
  }

  /** The response as read so far; only once the head has arrived. */
  response(): ReceivedResponse {
    const head = this.head!;
    return {
      status: head.status,
      statusText: head.statusText,
      ...joinHeaderLines(head.lines, false),
      lines: head.lines,
      bodyStart: Buffer.concat(this.body).subarray(0, BODY_KEPT).toString('utf8'),
    };
  }

  private malformed(why: string): NetworkError {
    return new NetworkError('malformed-response', this.url, `${this.where} sent a response browsers refuse: ${why}`);
  }

  private readHead(chunk: Buffer, from: number): number {
    const lf = chunk.indexOf(0x0a, from);
    const end = lf === -1 ? chunk.length : lf + 1;
    if (this.headBytes + (end - from) > HEAD_LIMIT) {
      throw this.malformed(`its response head is over ${HEAD_LIMIT / 1024} KiB`);
    }
    this.headBytes += end - from;
    if (lf === -1) {
      chunk.copy(this.line, this.lineLength, from, end);
      this.lineLength += end - from;
      return end;
    }
    chunk.copy(this.line, this.lineLength, from, lf);
    let length = this.lineLength + (lf - from);
    if (length > 0 && this.line[length - 1] === 0x0d) length--;
    this.lineLength = 0;
    this.takeLine(this.line.toString('latin1', 0, length));
    return end;
  }

  private takeLine(line: string): void {
    if (this.statusLine === undefined) {
      // Browsers skip empty lines before the status line.
      if (line.length === 0) return;
      this.statusLine = parseStatusLine(line);
      if (this.statusLine === undefined) throw this.malformed('it does not start with an HTTP status line (is this an HTTP server?)');
      return;
    }
    if (line.length === 0) {
      this.endHead(this.statusLine);
      return;
    }
    if (++this.headerLines > HEADER_LINE_LIMIT) throw this.malformed(`its response head has over ${HEADER_LINE_LIMIT} lines`);
    if (isSpaceOrTab(line.charCodeAt(0))) {
      // obs-fold: a continuation of the previous line's value.
      const previous = this.lines[this.lines.length - 1];
      const more = trimSpaces(line);
      if (previous !== undefined && more.length > 0) previous[1] = previous[1].length === 0 ? more : `${previous[1]} ${more}`;
      return;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) return;
    this.lines.push([line.slice(0, colon), trimSpaces(line.slice(colon + 1))]);
  }

  private endHead(statusLine: { status: number; statusText: string }): void {
    const { status } = statusLine;
    if (status === 101) throw this.malformed('it switched protocols (101) though the request did not ask to');
    if (status < 200) {
      // An interim response (100 Continue, 102 Processing, 103 Early Hints): the final one follows.
      if (++this.interim > INTERIM_LIMIT) throw this.malformed(`it sent over ${INTERIM_LIMIT} interim (1xx) responses`);
      this.statusLine = undefined;
      this.lines = [];
      return;
    }
    this.head = { ...statusLine, lines: this.lines };
    if (this.headRequest || status === 204 || status === 304) {
      // No body, whatever follows: browsers ignore it.
      this.complete = true;
      return;
    }
    const { headers } = joinHeaderLines(this.lines, false);
    const length = contentLength(headers['content-length']);
    if (isChunked(headers['transfer-encoding'])) this.framing = { kind: 'chunked', state: 'size', size: 0, digits: 0 };
    else if (length === 'differ') throw this.malformed('its Content-Length lines differ');
    else if (length !== undefined) this.framing = { kind: 'length', remaining: length };
    else this.framing = { kind: 'until-close' };
    if (length === 0 && this.framing.kind === 'length') this.complete = true;
  }

  private keep(chunk: Buffer, from: number, end: number): void {
    const taken = Math.min(end - from, BODY_KEPT - this.bodyLength);
    this.body.push(chunk.subarray(from, from + taken));
    this.bodyLength += taken;
    if (this.bodyLength >= BODY_KEPT) this.complete = true;
  }

  private readBody(chunk: Buffer, from: number): number {
    const framing = this.framing;
    switch (framing.kind) {
      case 'none':
        this.complete = true;
        return chunk.length;
      case 'until-close':
        this.keep(chunk, from, chunk.length);
        return chunk.length;
      case 'length': {
        const end = Math.min(chunk.length, from + framing.remaining);
        this.keep(chunk, from, end);
        framing.remaining -= end - from;
        if (framing.remaining === 0) this.complete = true;
        return end;
      }
      case 'chunked':
        return this.readChunked(framing, chunk, from);
    }
  }

  /** Decodes chunked transfer coding; on a malformed size line, the body read so far is kept. */
  private readChunked(framing: Extract<BodyFraming, { kind: 'chunked' }>, chunk: Buffer, from: number): number {
    if (framing.state === 'data') {
      const end = Math.min(chunk.length, from + framing.size);
      this.keep(chunk, from, end);
      framing.size -= end - from;
      if (framing.size === 0) framing.state = 'data-end';
      return end;
    }
    const code = chunk[from]!;
    if (code === 0x0a) {
      if (framing.state === 'data-end') {
        framing.state = 'size';
        framing.size = 0;
        framing.digits = 0;
      } else if (framing.digits === 0 || framing.size === 0) this.complete = true;
      else framing.state = 'data';
      return from + 1;
    }
    if (framing.state === 'size') {
      const digit = hexDigit(code);
      if (digit !== undefined && framing.digits < 8) {
        framing.size = framing.size * 16 + digit;
        framing.digits++;
      } else if (code === 0x3b || isSpaceOrTab(code)) {
        framing.state = 'extension';
      } else if (code !== 0x0d) {
        this.complete = true;
      }
    }
    return from + 1;
  }
}

function hexDigit(code: number): number | undefined {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return undefined;
}

function explain(error: NodeJS.ErrnoException & { reason?: unknown }, where: string, url: URL): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return `could not connect to ${where}: connection refused (is the server running on that port?)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `could not resolve the host name ${url.hostname}`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `${where} closed the connection without answering`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where} is unreachable from this machine`;
    default: {
      const reason = typeof error.reason === 'string' ? error.reason : error.message;
      if (/wrong version number|packet length too long|record layer failure|http request/i.test(reason)) {
        return `TLS failed for ${where}: the server did not answer in TLS (${reason}); if it serves plain HTTP, use an http:// URL`;
      }
      if (error.code?.startsWith('ERR_TLS') || error.code?.startsWith('ERR_SSL') || /certificate/i.test(error.message)) {
        return `TLS failed for ${where}: ${reason}`;
      }
      return `request to ${where} failed: ${error.message}`;
    }
  }
}

/** The URL to send to, or the network error fetch() gives for it without sending anything. */
function fetchableUrl(href: string): URL {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    throw new NetworkError('url-scheme', href, 'the URL cannot be parsed, so fetch() gives a network error');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new NetworkError(
      'url-scheme',
      href,
      `fetch() gives a network error for a ${url.protocol} URL: only http: and https: URLs are fetched`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new NetworkError(
      'url-credentials',
      href,
      'fetch() gives a network error for a URL with a user name or password in it (user:password@), and sends nothing',
    );
  }
  return url;
}

/** The request head and body as bytes; a method, name or value that cannot go on the wire is refused. */
function requestBytes(req: SentRequest, url: URL): Buffer {
  if (!isToken(req.method)) throw new RequestFailedError(`'${req.method}' is not a method that can be sent`);
  const headers = req.combineRepeated === false ? req.headers : combineRepeatedHeaders(req.headers);
  let head = `${req.method} ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n`;
  for (const [name, value] of headers) {
    if (!isToken(name)) throw new RequestFailedError(`'${name}' is not a header name that can be sent`);
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      if (code === 0 || code === 0x0a || code === 0x0d || code > 0xff) {
        throw new RequestFailedError(`the value of ${name} has a character that cannot be sent (NUL, CR, LF or beyond Latin-1)`);
      }
    }
    head += `${name}: ${value}\r\n`;
  }
  head += 'Connection: close\r\n';
  const body = req.body === undefined ? undefined : Buffer.from(req.body, 'latin1');
  // The Fetch standard (HTTP-network-or-cache fetch): a POST or PUT without a body says `Content-Length: 0`.
  if (body !== undefined || req.method === 'POST' || req.method === 'PUT') head += `Content-Length: ${body?.length ?? 0}\r\n`;
  const bytes = Buffer.from(`${head}\r\n`, 'latin1');
  return body === undefined ? bytes : Buffer.concat([bytes, body]);
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/**
 * How `check` sends each request it plans and reads the answer: `sendRequest` over the network, or
 * an in-process app (corsguard/testing). One seam, so the CLI and the tests share one code path.
 * Throws NetworkError where fetch() gives a network error, RequestFailedError where the request
 * cannot be made or is not answered within `timeoutMs`.
 */
export type Transport = (req: SentRequest, timeoutMs: number) => Promise<ReceivedResponse>;

export interface SendOptions {
  /**
   * Connect here over plain TCP instead of to the URL's host and port, while the request still
   * names the URL's host (`Host`) and path: an app served on a loopback port for a test, at the
   * origin it is tested as (https included).
   */
  readonly connectTo?: { readonly host: string; readonly port: number } | undefined;
  /** How the caller raises the time limit, for the timeout message (default: `--timeout`). */
  readonly timeoutSetting?: string | undefined;
}

/**
 * Sends one request on its own connection and reads the final response head and the start of
 * the body. `timeoutMs` is a deadline for the whole request, connecting included: when it passes
 * before the response head has ended, the request fails; when it passes while the body is read,
 * the response resolves with the body read so far. Throws NetworkError where fetch() gives a
 * network error (see there), RequestFailedError where the server cannot be reached or does not
 * answer in time.
 */
export function sendRequest(req: SentRequest, timeoutMs: number, options: SendOptions = {}): Promise<ReceivedResponse> {
  let url: URL;
  let bytes: Buffer;
  try {
    url = fetchableUrl(req.url);
    bytes = requestBytes(req, url);
  } catch (error) {
    return Promise.reject(error);
  }
  const where = `${url.protocol}//${url.host}`;
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const https = url.protocol === 'https:' && options.connectTo === undefined;
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  const reader = new ResponseReader(req.url, where, req.method === 'HEAD');
  const timeoutSetting = options.timeoutSetting ?? '--timeout';

  return new Promise((resolve, reject) => {
    const socket: Socket = https
      ? tlsConnect({
          host,
          port,
          ALPNProtocols: ['http/1.1'],
          ...(isIP(host) === 0 ? { servername: host } : {}),
          ...(req.insecure === true ? { rejectUnauthorized: false } : {}),
        })
      : netConnect(options.connectTo ?? { host, port });
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      socket.destroy();
      outcome();
    };
    const finish = (): void => settle(() => resolve(reader.response()));
    const deadline = setTimeout(() => {
      if (reader.hasHead) finish();
      else {
        const what = reader.started ? 'did not finish its response head' : 'did not answer';
        settle(() => reject(new RequestFailedError(`${where} ${what} within ${seconds(timeoutMs)} (raise it with ${timeoutSetting})`)));
      }
    }, timeoutMs);

    socket.once(https ? 'secureConnect' : 'connect', () => socket.write(bytes));
    socket.on('data', (chunk: Buffer) => {
      try {
        if (reader.push(chunk)) finish();
      } catch (error) {
        settle(() => reject(error));
      }
    });
    // The connection ended (closed, or failed with `error`): what was read is the answer, if enough was.
    const ended = (error?: Error): void => {
      if (reader.hasHead) finish();
      else if (reader.started) {
        settle(() =>
          reject(new NetworkError('malformed-response', req.url, `${where} closed the connection before its response head ended`)),
        );
      } else if (error !== undefined) settle(() => reject(new RequestFailedError(explain(error, where, url))));
      else settle(() => reject(new RequestFailedError(`${where} closed the connection without answering`)));
    };
    socket.on('error', ended);
    socket.on('close', () => ended());
  });
}
