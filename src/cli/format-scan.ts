/**
 * Human and JSON renderings of a `corsguard scan` report. Every string the human rendering did
 * not write itself (what the server answered, and the command line) is printed through
 * forTerminal, before any colour is added.
 */
import { SEVERITY_ORDER, type Finding, type PreflightProof, type ScanReport, type Severity } from './scan.js';
import type { Style } from './style.js';
import { forTerminal } from './terminal-text.js';

function badge(severity: Severity, style: Style): string {
  const text = severity.toUpperCase().padEnd(6);
  return severity === 'high' ? style.red(style.bold(text)) : severity === 'medium' ? style.yellow(text) : style.cyan(text);
}

function quoted(value: string | undefined): string {
  return value === undefined ? '(absent)' : `'${forTerminal(value)}'`;
}

function requestProof(f: Finding): string {
  if (f.origin === '') return 'a request without Origin';
  return (
    `${f.request === 'preflight' ? 'OPTIONS with ' : ''}Origin: ${forTerminal(f.origin)} -> Access-Control-Allow-Origin: ${f.allowOrigin === undefined ? '(absent)' : forTerminal(f.allowOrigin)}` +
    (f.credentials ? ', Access-Control-Allow-Credentials: true' : '')
  );
}

function preflightProof(p: PreflightProof): string {
  return (
    `OPTIONS with Origin: ${forTerminal(p.origin)}, Access-Control-Request-Method: ${forTerminal(p.requestMethod)}, ` +
    `Access-Control-Request-Headers: ${forTerminal(p.requestHeaders)} -> Access-Control-Allow-Origin: ${forTerminal(p.allowOrigin)}` +
    (p.credentials ? ', Access-Control-Allow-Credentials: true' : '') +
    `, Access-Control-Allow-Methods: ${quoted(p.allowMethods)}, Access-Control-Allow-Headers: ${quoted(p.allowHeaders)}`
  );
}

export function formatScan(report: ScanReport, style: Style): string {
  const out: string[] = [];
  out.push(style.bold(`corsguard scan: ${forTerminal(report.url)}`));
  const preflights = report.probes.filter((p) => p.request === 'preflight').length;
  out.push(
    `  trusted origin ${forTerminal(report.trustedOrigin)}, domain ${forTerminal(report.domain)}, ${report.probes.length} requests (${preflights} of them preflights)`,
  );
  const trusted = report.probes[0];
  if (report.trustedOriginAllowed) {
    out.push(`  the trusted origin is allowed${trusted?.allowCredentials ? ', with credentials' : ''}`);
  } else {
    out.push(
      style.yellow(
        `  note: the server does not allow the trusted origin ${forTerminal(report.trustedOrigin)} (Access-Control-Allow-Origin ${trusted?.allowOrigin === undefined ? 'absent' : `'${forTerminal(trusted.allowOrigin)}'`}); pass the origin your frontend really uses with --origin`,
      ),
    );
  }
  out.push('');
  const findings = [...report.findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  if (findings.length === 0) {
    out.push(style.green('No findings: none of the crafted origins was allowed, on requests or preflights.'));
    return `${out.join('\n')}\n`;
  }
  for (const f of findings) {
    out.push(`${badge(f.severity, style)} ${style.bold(f.id)}: ${forTerminal(f.message)}`);
    // A finding proved by a preflight alone carries that preflight in full.
    if (f.request === 'actual' || f.preflight === null) out.push(`       proof:    ${requestProof(f)}`);
    if (f.preflight !== null) out.push(`       proof:    ${preflightProof(f.preflight)}`);
    out.push(`       attacker: ${forTerminal(f.attacker)}`);
    out.push(`       fix:      ${forTerminal(f.fix)}`);
    out.push('');
  }
  const count = (s: Severity): number => findings.filter((f) => f.severity === s).length;
  out.push(
    `${findings.length} finding${findings.length === 1 ? '' : 's'}: ${count('high')} high, ${count('medium')} medium, ${count('low')} low`,
  );
  return `${out.join('\n')}\n`;
}

export function scanJson(report: ScanReport): unknown {
  return {
    url: report.url,
    trustedOrigin: report.trustedOrigin,
    domain: report.domain,
    trustedOriginAllowed: report.trustedOriginAllowed,
    requests: report.probes.length,
    findings: report.findings,
    probes: report.probes,
  };
}
