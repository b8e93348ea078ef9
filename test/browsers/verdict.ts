/**
 * Compares what a page observed (and what the server counted) with what the table expects.
 */
import type { Traffic } from './api.js';
import type { PageObservation } from './pages.js';
import type { EngineName, RequestExpectation, ScenarioStep } from './scenario-types.js';

/** The expectation for one engine: the table's, with that engine's documented differences applied. */
export function expectationFor(step: ScenarioStep, engine: EngineName): RequestExpectation {
  const override = step.engines?.[engine];
  return override === undefined ? step.expect : { ...step.expect, ...override.expect };
}

/** What actually happened, in the vocabulary of the expectations. */
export interface Actual {
  readonly observation: PageObservation;
  /** Counts for this request only, and the Origin the server saw. */
  readonly traffic: Traffic;
}

function describeExpected(e: RequestExpectation): string {
  const parts: string[] = [e.outcome];
  if (e.outcome === 'succeeds' && e.status !== undefined) parts.push(`status ${e.status}`);
  if (e.bodyIncludes !== undefined) parts.push(`body has ${e.bodyIncludes}`);
  if (e.bodyExcludes !== undefined) parts.push(`body lacks ${e.bodyExcludes}`);
  for (const [name, value] of Object.entries(e.readable ?? {})) parts.push(`${name}: ${value === null ? 'hidden' : value}`);
  parts.push(`handler ran ${e.handlerRuns}x`, `${e.preflights} preflight(s)`);
  return parts.join(', ');
}

export function describeActual(a: Actual): string {
  const o = a.observation;
  const parts: string[] = [o.fetched ? 'succeeds' : `blocked (${o.error ?? 'no error'})`];
  if (o.fetched) {
    parts.push(`status ${o.status}`);
    const body = o.body ?? '';
    parts.push(`body ${JSON.stringify(body.length > 160 ? `${body.slice(0, 160)}...` : body)}`);
    for (const [name, value] of Object.entries(o.headers ?? {})) parts.push(`${name}: ${value === null ? 'hidden' : value}`);
  }
  parts.push(`handler ran ${a.traffic.handlerRuns}x`, `${a.traffic.preflights} preflight(s)`, `Origin sent: ${a.traffic.origin || 'none'}`);
  return parts.join(', ');
}

/** Every way the actual outcome differs from the expected one (empty when it matches). */
export function mismatches(expected: RequestExpectation, actual: Actual, expectedOrigin: string): string[] {
  const o = actual.observation;
  const found: string[] = [];
  if (actual.traffic.origin !== expectedOrigin) {
    found.push(`Origin: expected the browser to send ${expectedOrigin}, the server saw ${actual.traffic.origin || 'none'}`);
  }
  const outcome = o.fetched ? 'succeeds' : 'blocked';
  if (outcome !== expected.outcome) found.push(`outcome: expected ${expected.outcome}, got ${outcome}`);
  if (o.fetched && expected.outcome === 'succeeds') {
    if (expected.status !== undefined && o.status !== expected.status) found.push(`status: expected ${expected.status}, got ${o.status}`);
    const body = o.body ?? '';
    if (expected.bodyIncludes !== undefined && !body.includes(expected.bodyIncludes)) {
      found.push(`body: expected to contain ${expected.bodyIncludes}`);
    }
    if (expected.bodyExcludes !== undefined && body.includes(expected.bodyExcludes)) {
      found.push(`body: expected not to contain ${expected.bodyExcludes}`);
    }
    for (const [name, value] of Object.entries(expected.readable ?? {})) {
      const seen = o.headers?.[name];
      if (seen !== value)
        found.push(
          `header ${name}: expected ${value === null ? 'hidden' : JSON.stringify(value)}, got ${seen === null ? 'hidden' : JSON.stringify(seen)}`,
        );
    }
  }
  if (actual.traffic.handlerRuns !== expected.handlerRuns) {
    found.push(`handler runs: expected ${expected.handlerRuns}, got ${actual.traffic.handlerRuns}`);
  }
  if (actual.traffic.preflights !== expected.preflights) {
    found.push(`preflights: expected ${expected.preflights}, got ${actual.traffic.preflights}`);
  }
  return found;
}

export { describeExpected };
