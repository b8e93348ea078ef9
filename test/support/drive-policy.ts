/**
 * Drives a policy the way an adapter that writes before its handler does (node:http, Express,
 * Koa): read the request, decide, write. For tests of the policy's answers that need no server.
 */
import type { CorsPolicy, HeaderWriter, PreflightAnswer } from '../../src/core/policy.js';
import { readRequest, type CorsRequest } from '../../src/core/request.js';

type Headers = Readonly<Record<string, string | undefined>>;

/** A CorsRequest with these headers (lower-case names). */
export function corsRequest(method: string, headers: Headers, url?: string): CorsRequest {
  return readRequest(method, url, headers, (h, name) => h[name], undefined);
}

/**
 * Decides and writes one request: the preflight's answer (its headers written on `target`), or
 * undefined for an actual request (its headers written, to be settled again at the head).
 */
export function drive<T>(
  policy: CorsPolicy,
  target: T,
  writer: HeaderWriter<T>,
  method: string,
  origin: string | undefined,
  requestMethod: string | undefined,
  requestHeaders: string | undefined,
  url?: string,
): PreflightAnswer | undefined | Promise<PreflightAnswer | undefined> {
  const request = corsRequest(
    method,
    { origin, 'access-control-request-method': requestMethod, 'access-control-request-headers': requestHeaders },
    url,
  );
  const decided = policy.decide(request);
  const write = (answer: Awaited<typeof decided>): PreflightAnswer | undefined => {
    if (answer.kind === 'preflight') {
      policy.writePreflight(target, writer, request, answer);
      return answer;
    }
    policy.writeActual(target, writer, request, answer, true);
    return undefined;
  };
  return decided instanceof Promise ? decided.then(write) : write(decided);
}
