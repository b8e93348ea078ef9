/**
 * The console messages of blocked requests: what the engine printed, against what
 * `corsguard check` predicts it prints (src/cli/console-messages.ts), and whether
 * `corsguard explain` reads the printed message back to check's problem. Every message captured
 * is recorded, and written to reports/console-messages.json, for the unit tests' fixtures.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCheck } from '../../src/cli/check.js';
import { explainMessage } from '../../src/cli/explain.js';
import type { EngineName, ScenarioRequest } from './scenario-types.js';

export interface ConsoleRecord {
  readonly engine: EngineName;
  readonly scenario: string;
  readonly step: number;
  readonly adapter: string;
  /** The engine's CORS lines for this request, as printed. */
  readonly printed: readonly string[];
  /** What check predicts the engine prints (null: no message). */
  readonly predicted: string | null;
  /** The first error check reports. */
  readonly problem: string | null;
  /** What explain reads from the printed lines. */
  readonly explained: { readonly engine: string; readonly step: string; readonly problems: readonly string[] } | null;
}

export const CONSOLE_RECORDS: ConsoleRecord[] = [];

/** Whether a console line is one of the engine's CORS errors (one that explain recognizes). */
export function isCorsLine(line: string): boolean {
  return explainMessage(line) !== undefined;
}

export interface BlockedRequest {
  readonly engine: EngineName;
  readonly scenario: string;
  readonly step: number;
  readonly adapter: string;
  readonly url: string;
  /** The page's origin. */
  readonly origin: string;
  readonly request: ScenarioRequest;
}

/** Waits (bounded) until `ready` holds: console events travel apart from the script's result. */
export async function settle(ready: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

/**
 * Compares the engine's printed CORS lines for a blocked request with check's prediction and
 * explain's reading; returns what differs (empty when they agree) and records the capture.
 */
export async function consoleMismatches(blocked: BlockedRequest, printed: readonly string[]): Promise<string[]> {
  const request = blocked.request;
  const report = await runCheck({
    url: blocked.url,
    origin: blocked.origin,
    method: request.method,
    headers: Array.isArray(request.headers) ? request.headers : Object.entries(request.headers ?? {}),
    credentials: request.credentials === 'include',
    readHeaders: request.readHeaders ?? [],
    body: request.body,
    engines: [blocked.engine],
    probes: false,
    timeoutMs: 10_000,
  });
  const verdict = report.verdicts[0]!;
  const predicted = verdict.consoleMessage?.text;
  // The problem the predicted message reports (engines check in their own order), else check's first error.
  const problem = verdict.consoleMessage?.problem ?? verdict.problems.find((p) => p.severity === 'error')?.id;
  const explanation = printed.length > 0 ? explainMessage(printed.join('\n')) : undefined;
  CONSOLE_RECORDS.push({
    ...blocked,
    printed,
    predicted: predicted ?? null,
    problem: problem ?? null,
    explained:
      explanation === undefined
        ? null
        : { engine: explanation.engine, step: explanation.step, problems: explanation.problems.map((p) => p.id) },
  });
  const found: string[] = [];
  if (predicted !== undefined && !printed.includes(predicted)) {
    found.push(`console: check predicts ${JSON.stringify(predicted)}; ${blocked.engine} printed ${JSON.stringify(printed)}`);
  }
  if (predicted === undefined && printed.some((line) => (explainMessage(line)?.problems.length ?? 0) > 0)) {
    found.push(`console: ${blocked.engine} printed ${JSON.stringify(printed)}, check predicts no message (its problem: ${problem})`);
  }
  if (explanation !== undefined && problem !== undefined) {
    if (explanation.engine !== blocked.engine) found.push(`explain: read ${explanation.engine} from ${blocked.engine}'s message`);
    if (explanation.problems.length > 0 && !explanation.problems.some((p) => p.id === problem)) {
      found.push(
        `explain: reads ${JSON.stringify(explanation.problems.map((p) => p.id))} from ${JSON.stringify(printed)}, check reports ${problem}`,
      );
    }
  }
  return found;
}

export function writeConsoleReport(root: string): string {
  const path = join(root, 'reports', 'console-messages.json');
  mkdirSync(join(root, 'reports'), { recursive: true });
  writeFileSync(path, `${JSON.stringify(CONSOLE_RECORDS, null, 2)}\n`);
  return path;
}
