/**
 * What every engine of `check --real` shares: the blank page placed at the origin, the script it
 * runs (the request, made with the page's own fetch()), and turning its result into an outcome.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Engine } from './browser-model.js';
import type { CheckOptions } from './check.js';
import type { RealOutcome } from './real.js';

/** The path the page is placed at, under the origin. */
export const RUNNER_PATH = '/__corsguard-real';
export const RUNNER_HTML =
  '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>corsguard check --real</title></head><body></body></html>';

/** What the page script reports. */
export interface PageResult {
  readonly fetched: boolean;
  readonly status?: number;
  readonly error?: string;
  readonly origin: string;
}

/** The request, as the page script receives it. */
interface PageSpec {
  readonly url: string;
  readonly method: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string | null;
  readonly credentials: 'include' | 'same-origin';
  readonly timeoutMs: number;
}

/** Runs in the browser; its source is sent to the page, so it uses nothing from this module. */
function pageFetch(spec: PageSpec): Promise<PageResult> {
  const init: RequestInit = {
    method: spec.method,
    headers: spec.headers as [string, string][],
    credentials: spec.credentials,
    mode: 'cors',
    signal: AbortSignal.timeout(spec.timeoutMs),
  };
  if (spec.body !== null) init.body = spec.body;
  return fetch(spec.url, init).then(
    (response) => response.text().then(() => ({ fetched: true, status: response.status, origin: self.origin })),
    (error: unknown) => ({ fetched: false, error: String(error), origin: self.origin }),
  );
}

export function pageScript(options: CheckOptions): string {
  const spec: PageSpec = {
    url: options.url,
    method: options.method,
    headers: options.headers,
    body: options.body ?? null,
    credentials: options.credentials ? 'include' : 'same-origin',
    timeoutMs: options.timeoutMs,
  };
  return `(${pageFetch.toString()})(${JSON.stringify(spec)})`;
}

/** The first of `names` that is an executable on PATH, or the override. */
export function findExecutable(
  override: string | undefined,
  names: readonly string[],
  path = process.env['PATH'] ?? '',
): string | undefined {
  const candidates =
    override !== undefined
      ? [override]
      : path
          .split(delimiter)
          .filter(Boolean)
          .flatMap((dir) => names.map((n) => join(dir, n)));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}

/** Rejects when `promise` takes longer than `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Console events travel apart from the script's result: waits (bounded) for the lines to arrive. */
export async function settle(lines: readonly string[], fetched: boolean): Promise<void> {
  if (fetched) return;
  const deadline = Date.now() + 2000;
  while (lines.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  // A follow-up line (Chromium's net::ERR_FAILED) comes right after the first.
  await new Promise((resolve) => setTimeout(resolve, 200));
}

export function outcome(engine: Engine, browser: string, options: CheckOptions, result: PageResult, lines: readonly string[]): RealOutcome {
  if (result.origin !== options.origin) {
    return { engine, browser, unavailable: `the page ran at ${result.origin}, not at ${options.origin}` };
  }
  const found: RealOutcome = { engine, browser, fetched: result.fetched, console: [...lines] };
  return result.fetched ? { ...found, status: result.status! } : { ...found, error: result.error! };
}
