/** Human and JSON renderings of a `corsguard scan` report. */
import { SEVERITY_ORDER, type ScanReport, type Severity } from './scan.js';
import type { Style } from './style.js';

function badge(severity: Severity, style: Style): string {
  const text = severity.toUpperCase().padEnd(6);
  return severity === 'high' ? style.red(style.bold(text)) : severity === 'medium' ? style.yellow(text) : style.cyan(text);
}

export function formatScan(report: ScanReport, style: Style): string {
  const out: string[] = [];
  out.push(style.bold(`corsguard scan: ${report.url}`));
  out.push(`  trusted origin ${report.trustedOrigin}, domain ${report.domain}, ${report.probes.length} requests`);
  const trusted = report.probes[0];
  if (report.trustedOriginAllowed) {
    out.push(`  the trusted origin is allowed${trusted?.allowCredentials ? ', with credentials' : ''}`);
  } else {
    out.push(
      style.yellow(
        `  note: the server does not allow the trusted origin ${report.trustedOrigin} (Access-Control-Allow-Origin ${trusted?.allowOrigin === undefined ? 'absent' : `'${trusted.allowOrigin}'`}); pass the origin your frontend really uses with --origin`,
      ),
    );
  }
  out.push('');
  const findings = [...report.findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  if (findings.length === 0) {
    out.push(style.green('No findings: none of the crafted origins was allowed.'));
    return `${out.join('\n')}\n`;
  }
  for (const f of findings) {
    out.push(`${badge(f.severity, style)} ${style.bold(f.id)}: ${f.message}`);
    const proof =
      f.origin === ''
        ? 'a request without Origin'
        : `Origin: ${f.origin} -> Access-Control-Allow-Origin: ${f.allowOrigin ?? '(absent)'}${f.credentials ? ', Access-Control-Allow-Credentials: true' : ''}`;
    out.push(`       proof:    ${proof}`);
    out.push(`       attacker: ${f.attacker}`);
    out.push(`       fix:      ${f.fix}`);
    out.push('');
  }
  const count = (s: Severity): number => findings.filter((f) => f.severity === s).length;
  out.push(`${findings.length} finding${findings.length === 1 ? '' : 's'}: ${count('high')} high, ${count('medium')} medium, ${count('low')} low`);
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
