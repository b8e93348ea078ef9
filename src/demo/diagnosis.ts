/**
 * What the demo page shows beside its calls: the request sequence of a call that works (a
 * preflighted PUT) and of the call a browser blocks (BLOCKED_CALL), as `corsguard check` sees
 * them against the running API, the console message each engine prints for the blocked one,
 * and what `corsguard explain` makes of each message.
 */
import { ENGINES, type Engine } from '../cli/browser-model.js';
import { runCheck, type CheckReport } from '../cli/check.js';
import { explainJson, explainMessage } from '../cli/explain.js';
import { BLOCKED_CALL, DEMO_CALLS, type DemoCall } from './calls.js';

/** One arrow pair of a sequence diagram: a request and its answer. */
export interface SequenceStep {
  readonly step: 'preflight' | 'actual';
  /** `OPTIONS /api/items/1` */
  readonly request: string;
  readonly status: number;
  /** The CORS answer in one line (Access-Control-Allow-Methods for a preflight). */
  readonly note: string;
}

export interface Sequence {
  readonly title: string;
  readonly allowed: boolean;
  readonly steps: readonly SequenceStep[];
  /** Why the browser stopped, when it did. */
  readonly stopped: string | undefined;
}

export interface DemoDiagnosis {
  readonly sequences: readonly Sequence[];
  /** The blocked call's console message, per engine, as that engine prints it. */
  readonly consoleMessages: Readonly<Partial<Record<Engine, string>>>;
  /** `corsguard explain --json` on each of those messages. */
  readonly explanations: Readonly<Partial<Record<Engine, unknown>>>;
  /** The problem ids check reports for the blocked call. */
  readonly problems: readonly string[];
}

function check(apiUrl: string, origin: string, call: DemoCall, timeoutMs: number): Promise<CheckReport> {
  return runCheck({
    url: `${apiUrl}${call.path}`,
    origin,
    method: call.method,
    headers: Object.entries(call.headers),
    credentials: call.credentials,
    readHeaders: [],
    body: call.body,
    engines: ENGINES,
    probes: false,
    timeoutMs,
  });
}

function sequence(call: DemoCall, report: CheckReport): Sequence {
  const steps = report.exchanges
    .filter((e) => e.step === 'preflight' || e.step === 'actual')
    .map((e) => {
      const heads = e.response.headers;
      const note =
        e.step === 'preflight'
          ? `Allow-Methods: ${heads['access-control-allow-methods'] ?? '(none)'}; Allow-Headers: ${heads['access-control-allow-headers'] ?? '(none)'}`
          : `Allow-Origin: ${heads['access-control-allow-origin'] ?? '(none)'}`;
      return {
        step: e.step as 'preflight' | 'actual',
        request: `${e.request.method} ${new URL(e.request.url).pathname}`,
        status: e.response.status,
        note,
      };
    });
  const error = report.problems.find((p) => p.severity === 'error');
  return {
    title: `${call.method} ${call.path} (${call.name})`,
    allowed: report.allowed,
    steps,
    stopped: report.allowed || error === undefined ? undefined : error.message,
  };
}

/** Runs check for the preflighted call that works and for the blocked call, and explains the block. */
export async function diagnoseDemo(apiUrl: string, origin: string, timeoutMs = 10_000): Promise<DemoDiagnosis> {
  const working = DEMO_CALLS.find((c) => c.preflight)!;
  const workingReport = await check(apiUrl, origin, working, timeoutMs);
  const blockedReport = await check(apiUrl, origin, BLOCKED_CALL, timeoutMs);
  const consoleMessages: Partial<Record<Engine, string>> = {};
  const explanations: Partial<Record<Engine, unknown>> = {};
  for (const verdict of blockedReport.verdicts) {
    if (verdict.consoleMessage === undefined) continue;
    consoleMessages[verdict.engine] = verdict.consoleMessage.text;
    const explanation = explainMessage(verdict.consoleMessage.text);
    if (explanation !== undefined) explanations[verdict.engine] = explainJson(explanation);
  }
  return {
    sequences: [sequence(working, workingReport), sequence(BLOCKED_CALL, blockedReport)],
    consoleMessages,
    explanations,
    problems: blockedReport.problems.filter((p) => p.severity === 'error').map((p) => p.id),
  };
}
