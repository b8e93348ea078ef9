/**
 * `corsguard demo`: starts the demo API and page, then runs `check` against the API for each
 * call the page makes (and once from an origin the API does not list), so a newcomer sees
 * the server half and the diagnosis half of corsguard in one command.
 */
import { DEMO_CALLS } from '../demo/calls.js';
import { startDemo, type RunningDemo } from '../demo/server.js';
import { ENGINES } from './browser-model.js';
import { runCheck, type CheckReport } from './check.js';
import type { Style } from './style.js';

export interface DemoCheck {
  readonly title: string;
  readonly report: CheckReport;
  /** Whether the verdict is the one the demo expects. */
  readonly asExpected: boolean;
}

const REFUSED_ORIGIN = 'https://not-listed.example';

/** Runs `check` for every call of the demo page, plus one refused origin. */
export async function checkDemo(demo: RunningDemo, timeoutMs: number): Promise<DemoCheck[]> {
  const results: DemoCheck[] = [];
  for (const call of DEMO_CALLS) {
    const report = await runCheck({
      url: `${demo.apiUrl}${call.path}`,
      origin: demo.frontendOrigin,
      method: call.method,
      headers: Object.entries(call.headers),
      credentials: call.credentials,
      readHeaders: call.readHeader === undefined ? [] : [call.readHeader],
      body: call.body,
      engines: ENGINES,
      probes: false,
      timeoutMs,
    });
    results.push({
      title: `${call.method} ${call.path} (${call.name})`,
      report,
      asExpected: report.allowed && report.preflight === call.preflight,
    });
  }
  const refused = await runCheck({
    url: `${demo.apiUrl}/api/items`,
    origin: REFUSED_ORIGIN,
    method: 'GET',
    headers: [],
    credentials: false,
    readHeaders: [],
    engines: ENGINES,
    probes: false,
    timeoutMs,
  });
  results.push({
    title: `GET /api/items from ${REFUSED_ORIGIN}, an origin the API does not list`,
    report: refused,
    asExpected: !refused.allowed && refused.problems.some((p) => p.id === 'allow-origin-missing'),
  });
  return results;
}

export function formatDemoChecks(checks: readonly DemoCheck[], style: Style): string {
  const out: string[] = [style.bold('corsguard check, run against the demo API for each call of the page:')];
  for (const c of checks) {
    const r = c.report;
    const verdict = r.allowed ? style.green('ALLOWED') : style.red('BLOCKED');
    const steps: string[] = [];
    const preflight = r.exchanges.find((e) => e.step === 'preflight');
    if (preflight !== undefined) steps.push(`preflight ${preflight.response.status}`);
    const actual = r.exchanges.filter((e) => e.step === 'actual').at(-1);
    if (actual !== undefined) steps.push(`response ${actual.response.status}${r.responseReadable ? '' : ' hidden from the page'}`);
    for (const h of r.readHeaders) steps.push(`${h.name} ${h.readable ? 'readable' : 'hidden'}`);
    const ids = r.problems.map((p) => p.id);
    out.push(
      `  ${verdict} ${c.title}: ${steps.join(', ') || 'not sent'}` +
        (ids.length > 0 ? ` [${ids.join(', ')}]` : '') +
        (c.asExpected ? '' : style.red(' (not what the demo expects)')),
    );
  }
  const failed = checks.filter((c) => !c.asExpected).length;
  out.push(
    failed === 0
      ? style.green(`every verdict is the expected one (${checks.length} checks)`)
      : style.red(`${failed} verdict(s) differ from what the demo expects`),
  );
  out.push(
    `Run one yourself: corsguard check ${checks[2]?.report.url ?? ''} --origin ${checks[0]?.report.origin ?? ''} --method PUT -H 'Authorization: Bearer demo-token' -H 'Content-Type: application/json'`,
  );
  return `${out.join('\n')}\n`;
}

export { startDemo };
