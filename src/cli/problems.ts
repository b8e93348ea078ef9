/**
 * The problems `corsguard check` recognises. Ids are stable: scripts match on them, and
 * docs/cli.md explains each one.
 */

/** Problems that make a browser block the request, or hide what the page asked to read. */
export const ERROR_IDS = [
  'preflight-redirect',
  'preflight-unauthorized',
  'preflight-forbidden',
  'preflight-no-options-route',
  'preflight-server-error',
  'preflight-status',
  'allow-origin-missing',
  'allow-origin-multiple',
  'allow-origin-trailing-slash',
  'allow-origin-case',
  'allow-origin-scheme',
  'allow-origin-port',
  'allow-origin-mismatch',
  'allow-origin-wildcard-credentials',
  'allow-credentials-missing',
  'allow-credentials-not-true',
  'allow-methods-malformed',
  'allow-headers-malformed',
  'method-not-allowed',
  'method-case-mismatch',
  'method-wildcard-credentials',
  'header-not-allowed',
  'header-wildcard-credentials',
  'authorization-wildcard',
  'header-not-exposed',
  'expose-wildcard-credentials',
  'header-never-exposed',
  'redirect-limit',
  'redirect-location-invalid',
  'redirect-not-http',
  'redirect-credentials',
  'url-credentials',
  'mixed-content',
] as const;

/** Things that work today but are fragile, or requests a browser would not send as asked. */
export const WARNING_IDS = [
  'vary-origin-missing',
  'error-response-without-cors',
  'max-age-above-cap',
  'max-age-invalid',
  'request-header-forbidden',
  'redirect-drops-authorization',
] as const;

/**
 * What the browser model knows about a request but `check` does not yet put in its verdicts:
 * `explain` maps console lines to these ids, and they are warnings (the request may still go
 * through). local-network-access: local-network-access.ts.
 */
export const NOTE_IDS = ['local-network-access'] as const;

export type ProblemId = (typeof ERROR_IDS)[number] | (typeof WARNING_IDS)[number] | (typeof NOTE_IDS)[number];

export interface Problem {
  readonly id: ProblemId;
  /** `error`: the browser blocks the request or hides a header; `warning`: works, but fragile. */
  readonly severity: 'error' | 'warning';
  /** What is wrong, in plain words. */
  readonly message: string;
  /** What to change on the server. */
  readonly fix: string;
}

const WARNINGS: ReadonlySet<string> = new Set([...WARNING_IDS, ...NOTE_IDS]);

export function problem(id: ProblemId, message: string, fix: string): Problem {
  return { id, severity: WARNINGS.has(id) ? 'warning' : 'error', message, fix };
}
