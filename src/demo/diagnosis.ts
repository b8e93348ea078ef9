/**
 * What the demo page shows beside its calls: the request sequence of a call that works (a
 * preflighted PUT) and of the call a browser blocks (BLOCKED_CALL), as `corsguard check` sees
 * them against the running API, the console message each engine prints for the blocked one,
 * and what `corsguard explain` makes of each message.
 */
import { ENGINES, type Engine } from '../cli/browser-model.js';
import { runCheck, type CheckReport } from '../cli/check.js';
import { explainJson, explainMessage } from '../cli/explain.js';
import { forTerminal } from '../cli/terminal-text.js';
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

/** `corsguard explain --json`'s answer, the fields the demo shows. */
export interface ExplainAnswer {
  readonly engine: Engine;
  readonly step: string;
  readonly problems: readonly { readonly id: string; readonly cause: string | null; readonly fix: string | null }[];
  /** The `corsguard check` command that confirms it. */
  readonly check: string;
}

export interface DemoDiagnosis {
  readonly sequences: readonly Sequence[];
  /** The blocked call's console message, per engine, as that engine prints it. */
  readonly consoleMessages: Readonly<Partial<Record<Engine, string>>>;
  /** `corsguard explain --json` on each of those messages. */
  readonly explanations: Readonly<Partial<Record<Engine, ExplainAnswer>>>;
  /** The problem ids check reports for the blocked call. */
  readonly problems: readonly string[];
}

/** `corsguard check` on one call of the page, from `origin`, in every engine. */
export function checkDemoCall(apiUrl: string, origin: string, call: DemoCall, timeoutMs: number): Promise<CheckReport> {
  return runCheck({
    url: `${apiUrl}${call.path}`,
    origin,
    method: call.method,
    headers: Object.entries(call.headers),
    credentials: call.credentials,
    readHeaders: call.readHeader === undefined ? [] : [call.readHeader],
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

/** The preflighted call that works: the page's first call that sends a preflight. */
export const WORKING_PREFLIGHTED_CALL: DemoCall = DEMO_CALLS.find((c) => c.preflight)!;

/**
 * The diagnosis from check's reports on WORKING_PREFLIGHTED_CALL and on BLOCKED_CALL: the two
 * sequences, the blocked call's console message per engine, and explain's answer to each.
 */
export function diagnoseReports(workingReport: CheckReport, blockedReport: CheckReport): DemoDiagnosis {
  const consoleMessages: Partial<Record<Engine, string>> = {};
  const explanations: Partial<Record<Engine, ExplainAnswer>> = {};
  for (const verdict of blockedReport.verdicts) {
    if (verdict.consoleMessage === undefined) continue;
    consoleMessages[verdict.engine] = verdict.consoleMessage.text;
    const explanation = explainMessage(verdict.consoleMessage.text);
    if (explanation !== undefined) explanations[verdict.engine] = explainJson(explanation) as ExplainAnswer;
  }
  return {
    sequences: [sequence(WORKING_PREFLIGHTED_CALL, workingReport), sequence(BLOCKED_CALL, blockedReport)],
    consoleMessages,
    explanations,
    problems: blockedReport.problems.filter((p) => p.severity === 'error').map((p) => p.id),
  };
}

/** Runs check for the preflighted call that works and for the blocked call, and explains the block. */
export async function diagnoseDemo(apiUrl: string, origin: string, timeoutMs = 10_000): Promise<DemoDiagnosis> {
  const workingReport = await checkDemoCall(apiUrl, origin, WORKING_PREFLIGHTED_CALL, timeoutMs);
  const blockedReport = await checkDemoCall(apiUrl, origin, BLOCKED_CALL, timeoutMs);
  return diagnoseReports(workingReport, blockedReport);
}

/**
 * The diagnosis as terminal lines, for `corsguard demo` and `npm run demo -- --once`: the page
 * shows the same (page.ts), with the sequences drawn.
 */
export function formatDiagnosis(diagnosis: DemoDiagnosis): string[] {
  const out: string[] = [
    `${BLOCKED_CALL.method} ${BLOCKED_CALL.path} is the call a browser blocks. The requests, as corsguard check sees them:`,
  ];
  for (const s of diagnosis.sequences) {
    out.push(`  ${s.allowed ? 'allowed' : 'BLOCKED'} ${s.title}:`);
    for (const step of s.steps)
      out.push(
        `    page -> API  ${step.request}${step.step === 'preflight' ? ' (preflight)' : ''}`,
        `    page <- API  ${step.status} ${step.note}`,
      );
    if (s.stopped !== undefined) out.push(`    the browser stops here, the ${BLOCKED_CALL.method} is never sent: ${s.stopped}`);
  }
  out.push('', 'What each browser prints in its console for it:');
  for (const [engine, text] of Object.entries(diagnosis.consoleMessages)) out.push(`  ${engine}: ${forTerminal(text)}`);
  out.push('', 'corsguard explain, given each of those lines:');
  for (const [engine, answer] of Object.entries(diagnosis.explanations)) {
    const [likely, ...others] = answer.problems;
    const cause = likely === undefined ? 'no reason given' : `most likely ${likely.id} (fix: ${likely.fix ?? '?'})`;
    const also = others.length === 0 ? '' : `; also possible: ${others.map((p) => p.id).join(', ')}`;
    out.push(`  ${engine}'s line: the ${answer.step} failed; ${forTerminal(cause + also)}`);
  }
  const first = Object.values(diagnosis.explanations)[0];
  if (first !== undefined) out.push(`  confirm with: ${forTerminal(first.check)}`);
  return out;
}
