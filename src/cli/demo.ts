/**
 * `corsguard demo`: starts the demo API and page (src/demo), then runs `check` against the API
 * for each call the page makes, for the call a browser blocks, and once from an origin the API
 * does not list, so a newcomer sees the server half and the diagnosis half of corsguard in one
 * command. The blocked call's console messages, explain's answers and request sequences come from
 * src/demo/diagnosis.ts, the same diagnosis the page shows.
 */
import { BLOCKED_CALL, BLOCKED_PROBLEM, DEMO_CALLS, type DemoCall } from '../demo/calls.js';
import { checkDemoCall, type DemoDiagnosis, diagnoseReports, formatDiagnosis, WORKING_PREFLIGHTED_CALL } from '../demo/diagnosis.js';
import { startDemo, type RunningDemo } from '../demo/server.js';
import type { CheckReport } from './check.js';
import type { Style } from './style.js';

export interface DemoCheck {
  readonly title: string;
  readonly report: CheckReport;
  /** Whether the verdict is the one the demo expects. */
  readonly asExpected: boolean;
}

export interface DemoChecks {
  readonly checks: readonly DemoCheck[];
  readonly diagnosis: DemoDiagnosis;
}

const REFUSED_ORIGIN = 'https://not-listed.example';
const REFUSED_CALL: DemoCall = DEMO_CALLS.find((c) => c.path === '/api/items')!;

const callTitle = (call: DemoCall): string => `${call.method} ${call.path} (${call.name})`;

/** Runs `check` for every call of the demo page, the blocked call and one refused origin. */
export async function checkDemo(demo: RunningDemo, timeoutMs: number): Promise<DemoChecks> {
  const checks: DemoCheck[] = [];
  const reports = new Map<DemoCall, CheckReport>();
  for (const call of DEMO_CALLS) {
    const report = await checkDemoCall(demo.apiUrl, demo.frontendOrigin, call, timeoutMs);
    reports.set(call, report);
    checks.push({ title: callTitle(call), report, asExpected: report.allowed && report.preflight === call.preflight });
  }
  const blocked = await checkDemoCall(demo.apiUrl, demo.frontendOrigin, BLOCKED_CALL, timeoutMs);
  checks.push({
    title: callTitle(BLOCKED_CALL),
    report: blocked,
    asExpected: !blocked.allowed && blocked.problems.some((p) => p.id === BLOCKED_PROBLEM),
  });
  const refused = await checkDemoCall(demo.apiUrl, REFUSED_ORIGIN, REFUSED_CALL, timeoutMs);
  checks.push({
    title: `GET /api/items from ${REFUSED_ORIGIN}, an origin the API does not list`,
    report: refused,
    asExpected: !refused.allowed && refused.problems.some((p) => p.id === 'allow-origin-missing'),
  });
  return { checks, diagnosis: diagnoseReports(reports.get(WORKING_PREFLIGHTED_CALL)!, blocked) };
}

function checkLine(c: DemoCheck, style: Style): string {
  const r = c.report;
  const verdict = r.allowed ? style.green('ALLOWED') : style.red('BLOCKED');
  const steps: string[] = [];
  const preflight = r.exchanges.find((e) => e.step === 'preflight');
  if (preflight !== undefined) steps.push(`preflight ${preflight.response.status}`);
  const actual = r.exchanges.filter((e) => e.step === 'actual').at(-1);
  if (actual !== undefined) steps.push(`response ${actual.response.status}${r.responseReadable ? '' : ' hidden from the page'}`);
  for (const h of r.readHeaders) steps.push(`${h.name} ${h.readable ? 'readable' : 'hidden'}`);
  const ids = r.problems.map((p) => p.id);
  return (
    `  ${verdict} ${c.title}: ${steps.join(', ') || 'not sent'}` +
    (ids.length > 0 ? ` [${ids.join(', ')}]` : '') +
    (c.asExpected ? '' : style.red(' (not what the demo expects)'))
  );
}

export function formatDemoChecks({ checks, diagnosis }: DemoChecks, style: Style): string {
  const out: string[] = [style.bold('corsguard check, run against the demo API for each call of the page:')];
  for (const c of checks) out.push(checkLine(c, style));
  const failed = checks.filter((c) => !c.asExpected).length;
  out.push(
    failed === 0
      ? style.green(`every verdict is the expected one (${checks.length} checks)`)
      : style.red(`${failed} verdict(s) differ from what the demo expects`),
  );
  out.push('', ...formatDiagnosis(diagnosis), '');
  const put = checks.find((c) => c.report.method === 'PUT')?.report;
  out.push(
    `Run one yourself: corsguard check ${put?.url ?? ''} --origin ${put?.origin ?? ''} --method PUT -H 'Authorization: Bearer demo-token' -H 'Content-Type: application/json'`,
  );
  return `${out.join('\n')}\n`;
}

export { startDemo };
