/**
 * A raw HTTP client for tests: sends exactly the headers given (a browser's Origin included,
 * which fetch() implementations may rewrite) and returns every header line as received.
 */
import { request as httpRequest } from 'node:http';

export interface RawResponse {
  readonly status: number;
  /** Lower-case names; repeated lines joined with ', ' as a browser does. */
  readonly headers: Readonly<Record<string, string>>;
  /** How many header lines carried each lower-case name. */
  readonly lineCounts: Readonly<Record<string, number>>;
  readonly body: string;
}

export interface RawRequest {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** How long the whole exchange may take before it fails (default RESPONSE_TIMEOUT_MS). */
  readonly timeoutMs?: number;
}

/**
 * A loopback answer takes milliseconds; a server that never ends its response (a preflight
 * answered without `res.end()`) must fail the test that sent it, by name, not hang the run.
 */
export const RESPONSE_TIMEOUT_MS = 15_000;

/** Sends one request on a fresh connection and reads the whole response. */
export function send(url: string, init: RawRequest = {}): Promise<RawResponse> {
  const method = init.method ?? 'GET';
  const timeoutMs = init.timeoutMs ?? RESPONSE_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`no complete response to ${method} ${url} within ${timeoutMs} ms (the server never ended it)`));
      req.destroy();
    }, timeoutMs);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      reject(error);
    };
    const req = httpRequest(url, { method, headers: init.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(timer);
        const headers: Record<string, string> = {};
        const lineCounts: Record<string, number> = {};
        const raw = res.rawHeaders;
        for (let i = 0; i + 1 < raw.length; i += 2) {
          const name = raw[i]!.toLowerCase();
          const value = raw[i + 1]!;
          headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
          lineCounts[name] = (lineCounts[name] ?? 0) + 1;
        }
        resolve({ status: res.statusCode ?? 0, headers, lineCounts, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', fail);
    req.end(init.body);
  });
}
