/**
 * The CLI's HTTP client: sends exactly the headers it is given (Origin included, which
 * fetch() implementations rewrite) and keeps every response header line, so that two
 * `Access-Control-Allow-Origin` lines are seen as two.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ResponseHead } from './browser-model.js';

export interface SentRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body?: string | undefined;
}

export interface ReceivedResponse extends ResponseHead {
  readonly statusText: string;
  /** Header lines as received, in order. */
  readonly lines: readonly (readonly [string, string])[];
  /** The start of the body (for the plain-text reason a server may give). */
  readonly bodyStart: string;
}

/** The request could not be made at all: the check cannot run (exit status 2). */
export class RequestFailedError extends Error {
  override readonly name = 'RequestFailedError';
}

const BODY_KEPT = 2048;

function explain(error: NodeJS.ErrnoException, url: URL): string {
  const where = `${url.protocol}//${url.host}`;
  switch (error.code) {
    case 'ECONNREFUSED':
      return `could not connect to ${where}: connection refused (is the server running on that port?)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `could not resolve the host name ${url.hostname}`;
    case 'ECONNRESET':
      return `${where} closed the connection without answering`;
    case 'ETIMEDOUT':
    case 'ETIMEOUT':
      return `${where} did not answer in time`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where} is unreachable from this machine`;
    default:
      if (error.code?.startsWith('ERR_TLS') || /certificate/i.test(error.message)) {
        return `TLS failed for ${where}: ${error.message}`;
      }
      return `request to ${where} failed: ${error.message}`;
  }
}

/** Sends one request on its own connection and reads the response head and the start of the body. */
export function sendRequest(req: SentRequest, timeoutMs: number): Promise<ReceivedResponse> {
  const url = new URL(req.url);
  // A browser combines repeated names into one line.
  const combined = new Map<string, [string, string]>();
  for (const [name, value] of req.headers) {
    const previous = combined.get(name.toLowerCase());
    combined.set(name.toLowerCase(), previous === undefined ? [name, value] : [previous[0], `${previous[1]}, ${value}`]);
  }
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of combined.values()) headers[name] = value;
  if (req.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(req.body, 'latin1'));
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      reject(new RequestFailedError(explain(error as NodeJS.ErrnoException, url)));
    };
    const client = send(url, { method: req.method, headers, agent: false }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      const finish = (): void => {
        if (settled) return;
        settled = true;
        const lines: [string, string][] = [];
        const joined = Object.create(null) as Record<string, string>;
        const lineCounts = Object.create(null) as Record<string, number>;
        const raw = res.rawHeaders;
        for (let i = 0; i + 1 < raw.length; i += 2) {
          const name = raw[i]!;
          const value = raw[i + 1]!;
          const lower = name.toLowerCase();
          lines.push([name, value]);
          joined[lower] = lower in joined ? `${joined[lower]}, ${value}` : value;
          lineCounts[lower] = (lineCounts[lower] ?? 0) + 1;
        }
        resolve({
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          headers: joined,
          lineCounts,
          lines,
          bodyStart: Buffer.concat(chunks).subarray(0, BODY_KEPT).toString('utf8'),
        });
      };
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        kept += chunk.length;
        // The start of the body is all the check reads: an endless stream must not hold it up.
        if (kept >= BODY_KEPT) {
          finish();
          res.destroy();
        }
      });
      res.on('error', fail);
      res.on('end', finish);
    });
    client.setTimeout(timeoutMs, () => {
      const error: NodeJS.ErrnoException = new Error('timeout');
      error.code = 'ETIMEDOUT';
      client.destroy(error);
    });
    client.on('error', fail);
    client.end(req.body === undefined ? undefined : Buffer.from(req.body, 'latin1'));
  });
}
