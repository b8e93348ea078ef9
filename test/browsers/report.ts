/**
 * The Markdown report of a run: scenario by engine and adapter, pass or fail, with the details
 * of every failure and the per-engine differences the table documents.
 */
import type { EngineName, Scenario } from './scenario-types.js';

export interface CellResult {
  readonly scenarioId: string;
  readonly engine: EngineName;
  readonly adapter: string;
  readonly passed: boolean;
  /** For a failure: what was expected and what happened, one line per problem. */
  readonly details: readonly string[];
}

export interface EngineRun {
  readonly engine: EngineName;
  readonly label: string;
  /** Browser version, or why the engine did not run. */
  readonly version?: string;
  readonly notRun?: string;
}

export interface RunSummary {
  readonly startedAt: Date;
  readonly seconds: number;
  readonly scenarios: readonly Scenario[];
  readonly adapters: readonly string[];
  readonly engines: readonly EngineRun[];
  readonly cells: readonly CellResult[];
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function renderReport(run: RunSummary): string {
  const byKey = new Map(run.cells.map((c) => [`${c.scenarioId}|${c.engine}|${c.adapter}`, c]));
  const passed = run.cells.filter((c) => c.passed).length;
  const ran = run.engines.filter((e) => e.notRun === undefined);
  const lines: string[] = [];
  lines.push('# corsguard browser conformance report', '');
  lines.push(
    `Run ${run.startedAt.toISOString()}, ${run.seconds.toFixed(0)} s: ${run.scenarios.length} scenarios x ` +
      `${ran.length} engines x ${run.adapters.length} adapters = ${run.cells.length} cells, ` +
      `**${passed} passed, ${run.cells.length - passed} failed**.`,
    '',
  );
  lines.push('| Engine | Version |', '|---|---|');
  for (const e of run.engines) lines.push(`| ${e.label} | ${e.version ?? `not run: ${escapeCell(e.notRun ?? '')}`} |`);
  lines.push(
    '',
    `Adapters: ${run.adapters.map((a) => `\`${a}\``).join(', ')}. A cell reads \`pass\` only when it passed with every adapter.`,
    '',
  );

  lines.push('## Results', '');
  lines.push(`| Scenario | Covers | Page | ${ran.map((e) => e.label).join(' | ')} |`);
  lines.push(`|---|---|---|${ran.map(() => '---').join('|')}|`);
  for (const s of run.scenarios) {
    const cells = ran.map((e) => {
      const results = run.adapters.map((a) => byKey.get(`${s.id}|${e.engine}|${a}`));
      if (results.some((r) => r === undefined)) return 'not run';
      const failed = results.filter((r) => !r!.passed).map((r) => r!.adapter);
      const differs = s.steps.some((step) => step.engines?.[e.engine] !== undefined) ? ' (engine-specific)' : '';
      return failed.length === 0 ? `pass${differs}` : `**FAIL** (${failed.join(', ')})`;
    });
    lines.push(`| \`${s.id}\`: ${escapeCell(s.title)} | ${escapeCell(s.covers)} | ${s.page} | ${cells.join(' | ')} |`);
  }

  const failures = run.cells.filter((c) => !c.passed);
  if (failures.length > 0) {
    lines.push('', '## Failures', '');
    for (const f of failures) {
      lines.push(`- \`${f.scenarioId}\` in ${f.engine} via ${f.adapter}:`);
      for (const d of f.details) lines.push(`  - ${escapeCell(d)}`);
    }
  }

  const differences = run.scenarios.flatMap((s) =>
    s.steps.flatMap((step, i) =>
      Object.entries(step.engines ?? {}).map(([engine, o]) => `- \`${s.id}\` step ${i + 1}, ${engine}: ${o!.why}`),
    ),
  );
  if (differences.length > 0) lines.push('', '## Where engines differ', '', ...differences);
  lines.push('');
  return lines.join('\n');
}
