/**
 * `corsguard scan --openapi <file>`: every operation of an OpenAPI document checked from one
 * origin, as `corsguard check` checks one request (the same runCheck, the same browser model), and
 * the verdicts as a matrix of operations x engines, as JSON, and as JUnit XML for CI. Strings from
 * the document and from the server reach the terminal only through forTerminal; in the XML they are
 * escaped, and characters XML 1.0 cannot carry are written as visible escapes.
 */
import type { Engine } from './browser-model.js';
import { runCheck, type CheckReport } from './check.js';
import { checkJson } from './format-check.js';
import { RequestFailedError, type ReceivedResponse, type SentRequest } from './http.js';
import type { OpenApiOperation } from './openapi.js';
import type { Style } from './style.js';
import { forTerminal } from './terminal-text.js';

export interface OpenApiScanOptions {
  readonly operations: readonly OpenApiOperation[];
  readonly origin: string;
  readonly engines: readonly Engine[];
  readonly timeoutMs: number;
  readonly onProgress?: ((done: number, total: number, name: string) => void) | undefined;
}

export interface OperationResult {
  readonly operation: OpenApiOperation;
  readonly report: CheckReport;
}

export interface OpenApiScanReport {
  readonly origin: string;
  readonly engines: readonly Engine[];
  readonly results: readonly OperationResult[];
  /** Operations of the document that were not checked, each with why. */
  readonly skipped: readonly string[];
  /** Every operation allowed in every engine. */
  readonly allowed: boolean;
}

/** Checks each operation in turn, as `check` would (fragility probes off: one request per step). */
export async function runOpenApiScan(
  options: OpenApiScanOptions,
  skipped: readonly string[] = [],
  send?: (req: SentRequest, timeoutMs: number) => Promise<ReceivedResponse>,
): Promise<OpenApiScanReport> {
  const results: OperationResult[] = [];
  for (const [index, operation] of options.operations.entries()) {
    options.onProgress?.(index, options.operations.length, operation.name);
    let report: CheckReport;
    try {
      report = await runCheck(
        {
          url: operation.url,
          origin: options.origin,
          method: operation.method,
          headers: operation.headers,
          credentials: operation.credentials,
          readHeaders: [],
          body: operation.body,
          engines: options.engines,
          probes: false,
          timeoutMs: options.timeoutMs,
        },
        send,
      );
    } catch (error) {
      // Which operation could not be checked, in the one sentence the scan ends with.
      if (error instanceof RequestFailedError) throw new RequestFailedError(`${operation.name}: ${error.message}`);
      throw error;
    }
    results.push({ operation, report });
  }
  options.onProgress?.(options.operations.length, options.operations.length, '');
  return { origin: options.origin, engines: options.engines, results, skipped, allowed: results.every((r) => r.report.allowed) };
}

/** The error ids of one engine's verdict (what blocked it). */
function blockingIds(report: CheckReport, engine: Engine): string[] {
  const verdict = report.verdicts.find((v) => v.engine === engine);
  return verdict === undefined ? [] : [...new Set(verdict.problems.filter((p) => p.severity === 'error').map((p) => p.id))];
}

function cell(report: CheckReport, engine: Engine): string {
  const verdict = report.verdicts.find((v) => v.engine === engine);
  if (verdict === undefined) return '-';
  if (!verdict.allowed) return `BLOCKED ${blockingIds(report, engine).join(',')}`;
  // CORS lets the page read it, but the request reached an error response, not success.
  return verdict.status !== undefined && verdict.status >= 400 ? `allowed (${verdict.status})` : 'allowed';
}

/** The matrix, then each blocked operation's problems and fixes. */
export function formatOpenApiScan(report: OpenApiScanReport, style: Style): string {
  const out: string[] = [];
  out.push(style.bold(`corsguard scan --openapi: ${report.results.length} operations from ${forTerminal(report.origin)}`));
  out.push('');
  const names = report.results.map((r) => forTerminal(r.operation.name));
  const first = Math.max('operation'.length, ...names.map((n) => n.length));
  const widths = report.engines.map((engine) => Math.max(engine.length, ...report.results.map((r) => cell(r.report, engine).length)));
  out.push(`  ${'operation'.padEnd(first)}  ${report.engines.map((e, i) => e.padEnd(widths[i]!)).join('  ')}`.trimEnd());
  for (const [row, result] of report.results.entries()) {
    const cells = report.engines.map((engine, i) => {
      const text = cell(result.report, engine).padEnd(widths[i]!);
      return text.startsWith('allowed') ? style.green(text) : style.red(text);
    });
    out.push(`  ${names[row]!.padEnd(first)}  ${cells.join('  ')}`.trimEnd());
  }
  const blocked = report.results.filter((r) => !r.report.allowed);
  for (const { operation, report: check } of blocked) {
    out.push('');
    out.push(
      `${style.red(style.bold('BLOCKED'))} ${style.bold(forTerminal(operation.name))}: ${forTerminal(check.method)} ${forTerminal(operation.url)}`,
    );
    if (operation.because.length > 0) out.push(`  the page sends: ${operation.because.map(forTerminal).join('; ')}`);
    for (const problem of check.problems.filter((p) => p.severity === 'error')) {
      const engines = report.engines.filter((engine) => blockingIds(check, engine).includes(problem.id));
      const tag = engines.length === report.engines.length ? '' : style.dim(` [${engines.join(', ')}]`);
      out.push(`  ${style.red('error')} [${problem.id}] ${forTerminal(problem.message)}${tag}`);
      out.push(`    fix: ${forTerminal(problem.fix)}`);
    }
    out.push(
      `  details: corsguard check ${forTerminal(shellQuote(operation.url))} --origin ${forTerminal(shellQuote(report.origin))} ${checkFlags(operation)}`.trimEnd(),
    );
  }
  for (const reason of report.skipped) out.push(style.dim(`skipped: ${forTerminal(reason)}`));
  out.push('');
  out.push(
    blocked.length === 0
      ? style.green(`All ${report.results.length} operations are allowed in ${report.engines.join(', ')}.`)
      : style.red(`${blocked.length} of ${report.results.length} operations blocked in at least one engine.`),
  );
  return `${out.join('\n')}\n`;
}

function shellQuote(text: string): string {
  return /^[A-Za-z0-9_/:.,=@%+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The `check` flags that replay one operation's request. */
function checkFlags(operation: OpenApiOperation): string {
  const flags: string[] = [];
  if (operation.method !== 'GET') flags.push(`-X ${operation.method}`);
  for (const [name, value] of operation.headers) flags.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  if (operation.body !== undefined) flags.push(`--body ${shellQuote(operation.body)}`);
  if (operation.credentials) flags.push('--credentials');
  return forTerminal(flags.join(' '));
}

export function openApiScanJson(report: OpenApiScanReport): unknown {
  return {
    origin: report.origin,
    browsers: report.engines,
    allowed: report.allowed,
    operations: report.results.map(({ operation, report: check }) => ({
      operation: operation.name,
      path: operation.path,
      operationId: operation.operationId ?? null,
      because: operation.because,
      ...(checkJson(check) as Record<string, unknown>),
    })),
    skipped: report.skipped,
  };
}

/** Text for an XML attribute or element: escaped, and characters XML 1.0 cannot hold made visible. */
function xml(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '&') out += '&amp;';
    else if (char === '<') out += '&lt;';
    else if (char === '>') out += '&gt;';
    else if (char === '"') out += '&quot;';
    else if (char === "'") out += '&apos;';
    else if (code === 0x09 || code === 0x0a) out += `&#${code};`;
    else if (
      code < 0x20 ||
      code === 0x7f ||
      (code >= 0x80 && code <= 0x9f) ||
      code === 0xfffe ||
      code === 0xffff ||
      (code >= 0xd800 && code <= 0xdfff)
    ) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += char;
  }
  return out;
}

/**
 * JUnit XML: one testsuite per engine, one testcase per operation in it, a failure per blocked
 * one carrying each problem and its fix (the format Jenkins, GitLab and GitHub reporters read).
 */
export function openApiScanJunit(report: OpenApiScanReport): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const total = report.results.length * report.engines.length;
  const failures = report.engines.reduce((n, engine) => n + report.results.filter((r) => !engineAllowed(r.report, engine)).length, 0);
  out.push(`<testsuites name="corsguard scan --openapi" tests="${total}" failures="${failures}">`);
  for (const engine of report.engines) {
    const failed = report.results.filter((r) => !engineAllowed(r.report, engine));
    out.push(
      `  <testsuite name="${xml(`CORS from ${report.origin} in ${engine}`)}" tests="${report.results.length}" failures="${failed.length}">`,
    );
    for (const { operation, report: check } of report.results) {
      const attributes = `classname="${xml(`corsguard.${engine}`)}" name="${xml(operation.name)}"`;
      if (engineAllowed(check, engine)) {
        out.push(`    <testcase ${attributes}/>`);
        continue;
      }
      const verdict = check.verdicts.find((v) => v.engine === engine)!;
      const errors = verdict.problems.filter((p) => p.severity === 'error');
      const first = errors[0];
      const body = errors.map((p) => `[${p.id}] ${p.message}\nfix: ${p.fix}`).join('\n\n');
      out.push(`    <testcase ${attributes}>`);
      out.push(
        `      <failure type="${xml(first?.id ?? 'blocked')}" message="${xml(first === undefined ? 'blocked' : `${first.id}: ${first.message}`)}">${xml(`${operation.method} ${operation.url} from ${report.origin}\n\n${body}`)}</failure>`,
      );
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

function engineAllowed(report: CheckReport, engine: Engine): boolean {
  return report.verdicts.find((v) => v.engine === engine)?.allowed ?? false;
}
