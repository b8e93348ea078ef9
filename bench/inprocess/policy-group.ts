/**
 * The policy alone: `policy.decide(request)` and `policy.writePreflight`/`writeActual` with a writer that stores headers in a plain
 * object. No framework, no `node:http` header validation, no response: this is what
 * corsguard's own decision and bookkeeping cost, and what "refused in under 5 µs" measures
 * for the adversarial inputs (the decision, not node writing the refusal).
 */
import { CorsPolicy, mergeVary, type CorsAnswer, type HeaderWriter, type PreflightAnswer } from '../../src/core/policy.js';
import { readRequest } from '../../src/core/request.js';
import { HEADER } from '../../src/protocol/fetch-standard.js';
import { corsguardOptions, type Workload } from '../workloads.js';
import type { Case, Group } from './library.js';
import { freshHeaders } from './node-objects.js';

interface Exchange {
  readonly headers: Record<string, string>;
  readonly response: Record<string, string>;
  result: PreflightAnswer | undefined;
}

const headerOf = (headers: Record<string, string | undefined>, name: string): string | undefined => headers[name];

const objectWriter: HeaderWriter<Record<string, string>> = {
  // The policy always spells names the same way, so they can key the object as they are.
  set(target, name, value) {
    target[name] = value;
  },
  remove(target, name) {
    if (name in target) delete target[name];
  },
  appendVary(target, tokens) {
    const merged = mergeVary(target[HEADER.vary], tokens);
    if (merged !== undefined) target[HEADER.vary] = merged;
  },
};

/** Replaces the first character of the host by a number, so that every request has its own origin. */
function distinctOrigin(origin: string, n: number): string {
  const hostStart = origin.indexOf('//') + 2;
  return `${origin.slice(0, hostStart)}${n.toString(36).padStart(4, '0')}${origin.slice(hostStart + 1)}`;
}

function policyCase(workload: Workload, set = workload.set): Case<Exchange> {
  const policy = new CorsPolicy(corsguardOptions(set, workload.anyMethod));
  let made = 0;
  return {
    async: false,
    make() {
      const headers = freshHeaders(workload);
      if (workload.distinctOrigins === true) headers.origin = distinctOrigin(headers.origin!, made++ % 1_000_000);
      return { headers, response: {}, result: undefined };
    },
    run(exchange) {
      const request = readRequest(workload.method, undefined, exchange.headers, headerOf, undefined);
      const answer = policy.decide(request) as CorsAnswer;
      if (answer.kind === 'preflight') {
        policy.writePreflight(exchange.response, objectWriter, request, answer);
        exchange.result = answer;
      } else {
        policy.writeActual(exchange.response, objectWriter, request, answer, true);
      }
    },
    observe: (exchange) => ({ allowOrigin: exchange.response[HEADER.allowOrigin], status: exchange.result?.status }),
  };
}

export const policyGroup: Group = {
  id: 'policy',
  title: 'The policy alone (`CorsPolicy.decide` and its writers, with a plain-object writer)',
  measures:
    '`policy.decide(request)` then `writePreflight`/`writeActual(target, writer, request, answer)` with a writer that stores headers in a plain object: ' +
    "corsguard's own decision and bookkeeping, without node's header validation or a response. For the adversarial " +
    'inputs, this is the time to refuse them.',
  libraries: [
    { id: 'corsguard', role: 'corsguard', label: 'corsguard policy', cases: (w) => policyCase(w) as Case<unknown> },
    {
      // The same request against a 1-origin policy: see Library['role'].
      id: 'corsguard-one-origin',
      role: 'scale',
      label: 'corsguard policy, 1-origin list',
      cases: (w) => (w.set === 'thousand' && w.allowed ? (policyCase(w, 'one') as Case<unknown>) : undefined),
    },
  ],
};
