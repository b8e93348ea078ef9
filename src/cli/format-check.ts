/**
 * Human and JSON renderings of a `corsguard check` report. Every string the human rendering
 * did not write itself (from the server, the redirects and the command line) is printed through
 * forTerminal, before any colour is added.
 */
import type { Engine } from './browser-model.js';
import { problemKey, type CheckReport, type EngineVerdict, type Exchange } from './check.js';
import type { Problem } from './problems.js';
import type { RealComparison } from './real.js';
import type { Style } from './style.js';
import { forTerminal } from './terminal-text.js';

/** ` [firefox, webkit]` when only some of the report's engines are concerned; '' when all are. */
function engineTag(engines: readonly Engine[], report: CheckReport, style: Style): string {
  if (engines.length === 0 || report.engines.every((e) => engines.includes(e))) return '';
  return style.dim(` [${engines.join(', ')}]`);
}

/**
 * Whether every engine ended the same way (then one verdict line says it all; paths that differ
 * on the way show in the tagged exchanges).
 */
function enginesAgree(report: CheckReport): boolean {
  const outcome = (v: EngineVerdict): string =>
    JSON.stringify([v.allowed, v.responseReadable, v.status ?? null, v.problems.map(problemKey), v.readHeaders]);
  return new Set(report.verdicts.map(outcome)).size <= 1;
}

/** The engines that report a problem. */
function enginesWith(p: Problem, report: CheckReport): Engine[] {
  const key = problemKey(p);
  return report.verdicts.filter((v) => v.problems.some((q) => problemKey(q) === key)).map((v) => v.engine);
}

function verdictLine(report: CheckReport, v: Pick<EngineVerdict, 'allowed' | 'status' | 'problems'>, style: Style): string {
  if (v.allowed) {
    return (
      `${style.green(style.bold('ALLOWED'))}: a browser lets ${forTerminal(report.origin)} read the response` +
      (v.status === undefined ? '' : ` (status ${v.status})`)
    );
  }
  const why = v.problems.find((p) => p.severity === 'error')?.message ?? 'the browser blocks it';
  return `${style.red(style.bold('BLOCKED'))}: ${forTerminal(why)}`;
}

/** Response headers worth showing: the CORS protocol's, Vary and Location. */
function shown(name: string, extra: ReadonlySet<string>): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('access-control-') || lower === 'vary' || lower === 'location' || extra.has(lower);
}

function firstLine(text: string, max = 160): string {
  const end = text.indexOf('\n');
  const line = (end === -1 ? text : text.slice(0, end)).trim();
  return line.length > max ? `${line.slice(0, max)}...` : line;
}

function renderExchange(ex: Exchange, extra: ReadonlySet<string>, report: CheckReport, style: Style): string[] {
  const out: string[] = [];
  const req = ex.request;
  out.push(`  ${style.cyan('>')} ${forTerminal(req.method)} ${forTerminal(req.url)}${engineTag(ex.engines, report, style)}`);
  for (const [name, value] of req.headers) {
    if (name === 'Accept' && ex.step !== 'preflight') continue;
    out.push(style.dim(`      ${forTerminal(name)}: ${forTerminal(value)}`));
  }
  const res = ex.response;
  out.push(`  ${style.cyan('<')} ${res.status} ${forTerminal(res.statusText)}`);
  const lines = res.lines.filter(([name]) => shown(name, extra));
  if (lines.length === 0) out.push(style.dim('      (no CORS headers)'));
  for (const [name, value] of lines) out.push(style.dim(`      ${forTerminal(name)}: ${forTerminal(value)}`));
  const type = res.headers['content-type'] ?? '';
  if ((res.status < 200 || res.status > 299) && type.startsWith('text/plain') && res.bodyStart.trim() !== '') {
    out.push(style.dim(`      body: ${forTerminal(firstLine(res.bodyStart))}`));
  }
  return out;
}

export function formatCheck(report: CheckReport, style: Style): string {
  const out: string[] = [];
  const extra = new Set(report.readHeaders.map((h) => h.name.toLowerCase()));
  out.push(style.bold(`corsguard check: ${forTerminal(report.method)} ${forTerminal(report.url)}`));
  out.push(
    `  from origin ${forTerminal(report.origin)}, credentials ${report.credentials ? "'include'" : "'same-origin' (none cross-origin)"}` +
      (report.engines.length === 1 ? `, as ${report.engines[0]}` : ''),
  );
  out.push('');
  const preflighting = report.verdicts.filter((v) => v.preflight).map((v) => v.engine);
  if (report.preflight) {
    out.push(style.bold('1. Preflight: needed') + engineTag(preflighting, report, style) + style.bold(', because'));
    for (const reason of report.preflightReasons) out.push(`  - ${forTerminal(reason)}`);
  } else {
    out.push(style.bold('1. Preflight: not needed') + ' (safelisted method and headers: a simple request)');
  }
  for (const ex of report.exchanges.filter((e) => e.step === 'preflight')) {
    out.push(...renderExchange(ex, extra, report, style));
  }
  if (report.preflightCacheSeconds !== undefined) {
    const cached = report.preflightCacheSeconds;
    const cache = report.engines
      .filter((e) => cached[e] !== undefined)
      .map((e) => `${e} ${cached[e]} s`)
      .join(', ');
    out.push(`  ${style.green('ok')} preflight passed; cached for ${cache}`);
  }
  out.push('');
  const actual = report.exchanges.filter((e) => e.step === 'actual');
  out.push(style.bold('2. Actual request'));
  if (actual.length === 0) {
    out.push(
      report.exchanges.length === 0
        ? '  not sent: the browser refuses the request before sending anything'
        : '  not sent: the browser stops after a failed preflight',
    );
  }
  for (const ex of actual) out.push(...renderExchange(ex, extra, report, style));
  const readable = report.verdicts.filter((v) => v.responseReadable).map((v) => v.engine);
  if (readable.length > 0)
    out.push(`  ${style.green('ok')} CORS check passed: the page can read the response${engineTag(readable, report, style)}`);
  if (report.readHeaders.length > 0) {
    out.push('  response headers the page wants to read:');
    for (const h of report.readHeaders) {
      const mark = h.readable ? style.green('readable') : style.red('hidden');
      out.push(`    ${forTerminal(h.name)}: ${mark}${h.present ? '' : ' (not in this response)'}`);
    }
  }
  const probes = report.exchanges.filter((e) => e.step === 'probe');
  if (probes.length > 0) {
    out.push('');
    out.push(style.bold('3. Probes for fragile setups'));
    for (const ex of probes) {
      const acao = ex.response.headers['access-control-allow-origin'];
      const vary = ex.response.headers['vary'];
      out.push(
        `  ${ex.label}: ${ex.response.status}, ` +
          `Access-Control-Allow-Origin ${acao === undefined ? 'absent' : `'${forTerminal(acao)}'`}, Vary ${vary === undefined ? 'absent' : `'${forTerminal(vary)}'`}`,
      );
    }
  }
  out.push('');
  const errors = report.problems.filter((p) => p.severity === 'error');
  const warnings = report.problems.filter((p) => p.severity === 'warning');
  if (enginesAgree(report)) {
    out.push(`${style.bold('Verdict:')} ${verdictLine(report, report, style)}`);
  } else {
    // The engines split: each one's outcome, on its own line.
    out.push(`${style.bold('Verdict:')} the engines differ`);
    const width = Math.max(...report.verdicts.map((v) => v.engine.length));
    for (const v of report.verdicts) out.push(`  ${`${v.engine}:`.padEnd(width + 1)} ${verdictLine(report, v, style)}`);
  }
  const errorAnswer = errorResponseNote(report);
  if (errorAnswer !== undefined) out.push(`  ${style.yellow('note')} ${errorAnswer}`);
  for (const p of [...errors, ...warnings]) {
    const tag = p.severity === 'error' ? style.red('error') : style.yellow('warning');
    out.push(`  ${tag} [${p.id}] ${forTerminal(p.message)}${engineTag(enginesWith(p, report), report, style)}`);
    out.push(`    fix: ${forTerminal(p.fix)}`);
  }
  const printed = report.verdicts.filter((v) => v.consoleMessage !== undefined);
  if (printed.length > 0) {
    out.push('');
    out.push(style.bold("What each browser's console says") + style.dim(" (paste one into 'corsguard explain')"));
    for (const v of printed) out.push(`  ${v.engine}: ${forTerminal(v.consoleMessage!.text)}`);
  }
  return `${out.join('\n')}\n`;
}

/**
 * A 4xx or 5xx answer to the actual request is no success, whatever CORS says: said plainly, so
 * an ALLOWED verdict is not read as "the API works".
 */
function errorResponseNote(report: CheckReport): string | undefined {
  const actual = report.exchanges.filter((e) => e.step === 'actual');
  const last = actual[actual.length - 1];
  if (last === undefined || last.response.status < 400) return undefined;
  const status = `${last.response.status}${last.response.statusText === '' ? '' : ` ${forTerminal(last.response.statusText)}`}`;
  return report.allowed
    ? `the request reached an error response (${status}), not success: the page can read it, but fetch()'s response.ok is false; CORS is fine, the request itself is not`
    : `the request reached an error response (${status}), not success; fix that as well as CORS, or the page gets the error once CORS lets it through`;
}

export function checkJson(report: CheckReport) {
  return {
    allowed: report.allowed,
    preflight: report.preflight,
    problems: report.problems.map((p) => ({ ...problemJson(p), browsers: enginesWith(p, report) })),
    responseReadable: report.responseReadable,
    status: report.status ?? null,
    url: report.url,
    origin: report.origin,
    method: report.method,
    credentials: report.credentials,
    browsers: report.engines,
    preflightReasons: report.preflightReasons,
    preflightCacheSeconds: report.preflightCacheSeconds ?? null,
    readHeaders: report.readHeaders,
    consoleMessages: Object.fromEntries(
      report.verdicts.flatMap((v) => (v.consoleMessage === undefined ? [] : [[v.engine, v.consoleMessage.text]])),
    ),
    exchanges: report.exchanges.map((e) => ({
      step: e.step,
      label: e.label,
      browsers: e.engines,
      request: { method: e.request.method, url: e.request.url, headers: e.request.headers },
      response: { status: e.response.status, headers: e.response.lines },
    })),
    verdicts: Object.fromEntries(
      report.verdicts.map((v) => [
        v.engine,
        {
          allowed: v.allowed,
          responseReadable: v.responseReadable,
          status: v.status ?? null,
          preflight: v.preflight,
          preflightCacheSeconds: v.preflightCacheSeconds ?? null,
          readHeaders: v.readHeaders,
          problems: v.problems.map(problemJson),
          exchanges: v.exchanges,
          consoleMessage: v.consoleMessage === undefined ? null : { text: v.consoleMessage.text, followUp: v.consoleMessage.followUp },
        },
      ]),
    ),
  };
}

function problemJson(p: Problem): { id: string; severity: string; message: string; fix: string } {
  return { id: p.id, severity: p.severity, message: p.message, fix: p.fix };
}

/** `check --real`: each real browser's outcome and console lines beside the model's verdict. */
export function formatReal(report: CheckReport, comparisons: readonly RealComparison[], style: Style): string {
  const out: string[] = ['', style.bold('Real browsers') + style.dim(' (the same request, from a page at the origin)')];
  for (const { engine, real, differences } of comparisons) {
    const verdict = report.verdicts.find((v) => v.engine === engine)!;
    const model = verdict.responseReadable ? 'allowed' : 'blocked';
    if (real.fetched === undefined) {
      out.push(`  ${engine}: model ${model}; real: not run (${forTerminal(real.unavailable ?? 'unavailable')})`);
      continue;
    }
    const seen = real.fetched ? style.green(`allowed (status ${real.status})`) : style.red('blocked');
    out.push(`  ${engine}: model ${model}; real: ${seen} in ${forTerminal(real.browser ?? engine)}`);
    for (const line of real.console ?? []) out.push(`    console: ${forTerminal(line)}`);
    for (const d of differences) out.push(`    ${style.red(style.bold('DIFFERENCE'))}: ${forTerminal(d)}`);
  }
  return `${out.join('\n')}\n`;
}

/** The `real` member `--json` adds to each engine's verdict. */
export function realJson(comparison: RealComparison) {
  const { real, differences } = comparison;
  if (real.fetched === undefined) return { ran: false, unavailable: real.unavailable ?? null };
  return {
    ran: true,
    browser: real.browser ?? null,
    allowed: real.fetched,
    status: real.status ?? null,
    error: real.error ?? null,
    console: real.console ?? [],
    differences,
  };
}
