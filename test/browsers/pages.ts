/**
 * The calling pages: an http server for the cross-site and same-site pages, a file:// page in
 * a temporary directory, and the script every page runs (also inside a sandboxed iframe).
 */
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { PageKind, ScenarioRequest } from './scenario-types.js';

/** What the page observed for one request. */
export interface PageObservation {
  /** false when fetch rejected (the browser blocked the response or the request). */
  readonly fetched: boolean;
  readonly status?: number;
  readonly body?: string;
  /** `response.headers.get(name)` for each name the scenario reads. */
  readonly headers?: Record<string, string | null>;
  /** The rejection's message, when fetch rejected. */
  readonly error?: string;
  /** The Origin the page was running under, as the page sees it (`self.origin`). */
  readonly pageOrigin: string;
}

/** A request as the page script receives it. */
export interface PageRequest extends ScenarioRequest {
  readonly url: string;
  /** Run it from a sandboxed iframe created inside the page. */
  readonly sandboxed: boolean;
  readonly timeoutMs: number;
}

/**
 * Runs in the browser: makes the request and reports what the page can see. Written as a
 * function whose source is sent to the page, so it must not use anything from this module.
 */
function pageFetch(spec: PageRequest): Promise<PageObservation> {
  if (spec.api === 'xhr-upload') {
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open(spec.method, spec.url);
      xhr.withCredentials = spec.credentials === 'include';
      xhr.timeout = spec.timeoutMs;
      const headers = spec.headers ?? {};
      for (const [name, value] of Array.isArray(headers) ? headers : Object.entries(headers)) xhr.setRequestHeader(name, value);
      // An upload listener registered before send() sets the use-CORS-preflight flag.
      xhr.upload.addEventListener('progress', () => {});
      xhr.onload = () => resolve({ fetched: true, status: xhr.status, body: xhr.responseText, headers: {}, pageOrigin: self.origin });
      xhr.onerror = xhr.ontimeout = () => resolve({ fetched: false, error: 'XMLHttpRequest network error', pageOrigin: self.origin });
      xhr.send(spec.body ?? null);
    });
  }
  const init: RequestInit = {
    method: spec.method,
    headers: (spec.headers ?? {}) as HeadersInit,
    credentials: spec.credentials ?? 'same-origin',
    mode: 'cors',
    cache: spec.cache ?? 'default',
    signal: AbortSignal.timeout(spec.timeoutMs),
  };
  if (spec.body !== undefined) init.body = spec.body;
  return fetch(spec.url, init).then(
    (response) =>
      response.text().then((body) => {
        const headers: Record<string, string | null> = {};
        for (const name of spec.readHeaders ?? []) headers[name] = response.headers.get(name);
        return { fetched: true, status: response.status, body, headers, pageOrigin: self.origin };
      }),
    (error: unknown) => ({ fetched: false, error: String(error), pageOrigin: self.origin }),
  );
}

/**
 * Runs in the browser: runs pageFetch inside a new `<iframe sandbox="allow-scripts">`, whose
 * origin is opaque, and relays the result.
 */
function sandboxedFetch(spec: PageRequest, fetchSource: string): Promise<PageObservation> {
  return new Promise((resolve) => {
    const frame = document.createElement('iframe');
    frame.setAttribute('sandbox', 'allow-scripts');
    const timer = setTimeout(
      () => resolve({ fetched: false, error: 'sandboxed iframe did not answer', pageOrigin: 'unknown' }),
      spec.timeoutMs,
    );
    window.addEventListener('message', function onMessage(event: MessageEvent) {
      if (event.source !== frame.contentWindow) return;
      window.removeEventListener('message', onMessage);
      clearTimeout(timer);
      frame.remove();
      resolve(event.data as PageObservation);
    });
    frame.srcdoc =
      '<!doctype html><script>const pageFetch = ' +
      fetchSource +
      ';' +
      'pageFetch(' +
      JSON.stringify({ ...spec, sandboxed: false }) +
      ').then((r) => parent.postMessage(r, "*"));' +
      '</script>';
    document.body.appendChild(frame);
  });
}

/** The expression a driver evaluates in the page: a promise of a PageObservation. */
export function pageScript(spec: PageRequest): string {
  const fetchSource = pageFetch.toString();
  if (spec.sandboxed) {
    return `(${sandboxedFetch.toString()})(${JSON.stringify(spec)}, ${JSON.stringify(fetchSource)})`;
  }
  return `(${fetchSource})(${JSON.stringify(spec)})`;
}

const PAGE_HTML =
  '<!doctype html><html><head><meta charset="utf-8"><title>corsguard browser conformance</title></head><body><h1>caller</h1></body></html>';

/** Answers with the calling page (the page server's, and each API server's for same-origin scenarios). */
export function writePage(res: http.ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(PAGE_HTML);
}

export interface PageHost {
  readonly port: number;
  /** URL of the calling page for a page kind (a same-origin page is on the API server: `apiOrigin`). */
  url(kind: PageKind, apiOrigin: string): string;
  close(): Promise<void>;
}

/** Serves the http pages on loopback port 0 and writes the file:// page. */
export async function startPages(): Promise<PageHost> {
  const server = http.createServer((req, res) => {
    if (req.url === '/page.html') {
      writePage(res);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const dir = mkdtempSync(join(tmpdir(), 'corsguard-pages-'));
  const filePage = join(dir, 'page.html');
  writeFileSync(filePage, PAGE_HTML);
  const fileUrl = pathToFileURL(filePage).href;
  return {
    port,
    url(kind, apiOrigin) {
      switch (kind) {
        case 'same-origin':
          return `${apiOrigin}/page.html`;
        case 'cross-site':
        case 'sandboxed-iframe':
          return `http://127.0.0.1:${port}/page.html`;
        case 'same-site':
          return `http://localhost:${port}/page.html`;
        case 'file':
          return fileUrl;
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        rmSync(dir, { recursive: true, force: true });
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
