import type { PreflightAnswer } from '../core/policy.js';

/**
 * The Response for a preflight the policy decided, carrying the headers it wrote: empty when
 * allowed, a plain-text explanation when refused.
 */
export function preflightResponse(result: PreflightAnswer, headers: Headers): Response {
  if (result.body === '') return new Response(null, { status: result.status, headers });
  headers.set('Content-Type', 'text/plain; charset=utf-8');
  return new Response(result.body, { status: result.status, headers });
}
