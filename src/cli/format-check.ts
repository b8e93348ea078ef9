/**
 * Human and JSON renderings of a `corsguard check` report. Every string the human rendering
 * did not write itself (from the server, the redirects and the command line) is printed through
 * forTerminal, before any colour is added.
 */
import type { CheckReport, Exchange } from './check.js';
import type { Style } from './style.js';
import { forTerminal } from './terminal-text.js';

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

function renderExchange(ex: Exchange, extra: ReadonlySet<string>, style: Style): string[] {
  const out: string[] = [];
  const req = ex.request;
  out.push(`  ${style.cyan('>')} ${forTerminal(req.method)} ${forTerminal(req.url)}`);
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
  if (report.preflight) {
    out.push(style.bold('1. Preflight: needed, because'));
    for (const reason of report.preflightReasons) out.push(`  - ${forTerminal(reason)}`);
  } else {
    out.push(style.bold('1. Preflight: not needed') + ' (safelisted method and headers: a simple request)');
  }
  for (const ex of report.exchanges.filter((e) => e.step === 'preflight')) {
    out.push(...renderExchange(ex, extra, style));
  }
  if (report.preflightCacheSeconds !== undefined) {
    const cache = report.engines.map((e) => `${e} ${report.preflightCacheSeconds![e]} s`).join(', ');
    out.push(`  ${style.green('ok')} preflight passed; cached for ${cache}`);
  }
  out.push('');
  const actual = report.exchanges.filter((e) => e.step === 'actual');
  out.push(style.bold('2. Actual request'));
  if (actual.length === 0) out.push('  not sent: the browser stops after a failed preflight');
  for (const ex of actual) out.push(...renderExchange(ex, extra, style));
  if (report.responseReadable) out.push(`  ${style.green('ok')} CORS check passed: the page can read the response`);
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
  if (report.allowed) {
    out.push(
      `${style.bold('Verdict:')} ${style.green(style.bold('ALLOWED'))}: a browser lets ${forTerminal(report.origin)} read the response` +
        (report.status === undefined ? '' : ` (status ${report.status})`),
    );
  } else {
    const why = errors[0]?.message ?? 'the browser blocks it';
    out.push(`${style.bold('Verdict:')} ${style.red(style.bold('BLOCKED'))}: ${forTerminal(why)}`);
  }
  for (const p of [...errors, ...warnings]) {
    const tag = p.severity === 'error' ? style.red('error') : style.yellow('warning');
    out.push(`  ${tag} [${p.id}] ${forTerminal(p.message)}`);
    out.push(`    fix: ${forTerminal(p.fix)}`);
  }
  return `${out.join('\n')}\n`;
}

export function checkJson(report: CheckReport): unknown {
  return {
    allowed: report.allowed,
    preflight: report.preflight,
    problems: report.problems.map((p) => ({ id: p.id, severity: p.severity, message: p.message, fix: p.fix })),
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
    exchanges: report.exchanges.map((e) => ({
      step: e.step,
      label: e.label,
      request: { method: e.request.method, url: e.request.url, headers: e.request.headers },
      response: { status: e.response.status, headers: e.response.lines },
    })),
  };
}
