/**
 * corsguard for AWS Lambda behind API Gateway REST APIs (proxy payload 1.0), HTTP APIs (payload
 * 2.0), Function URLs (2.0) and Application Load Balancers (with or without multi-value headers):
 * `export const handler = withCors(myHandler, options)`. The handler reads the policy's answer with
 * `corsDecisionOf(event)`; the origin predicate's `request.context` is the event.
 *
 * This adapter only translates between the event/result shapes and the policy. Preflights are
 * answered here and never reach the handler; a handler that throws or rejects is answered with a
 * 500 that keeps the CORS headers, and the error goes to `onError`. Header names are matched
 * without regard to case in both `headers` and `multiValueHeaders`, and a header the policy sets
 * is left in exactly one of the two maps (API Gateway and ALB would otherwise send both values).
 */
import { CorsPolicy, mergeVary, type CorsAnswer, type HeaderWriter } from '../core/policy.js';
import type { CorsOptions } from '../core/options.js';
import { readRequest } from '../core/request.js';

export type { CorsOptions } from '../core/options.js';
export type { CorsAnswer } from '../core/policy.js';
export { CorsConfigError } from '../core/errors.js';

type HeaderValue = string | number | boolean;

/**
 * The parts of an HTTP event from API Gateway, a Function URL or an ALB that corsguard reads.
 * No index signature, so that the event interfaces of `@types/aws-lambda` satisfy it.
 */
export interface LambdaHttpEvent {
  /** Payload 2.0 (HTTP APIs, Function URLs): `'2.0'`. Payload 1.0 (REST APIs): `'1.0'` or absent. */
  version?: string;
  /** Payload 1.0 and ALB. */
  httpMethod?: string;
  /** Payload 1.0 and ALB. */
  path?: string;
  /** Payload 2.0. */
  rawPath?: string;
  headers?: Readonly<Record<string, string | undefined>> | null;
  multiValueHeaders?: Readonly<Record<string, readonly string[] | undefined>> | null;
  /**
   * Payload 2.0: `http.method`; ALB: `elb`. Typed loosely (read with checks) because each
   * source's context shares no field with the others'.
   */
  requestContext?: object;
}

/** A structured result for any of the four sources (each ignores the fields it does not know). */
export interface LambdaHttpResult {
  statusCode: number;
  /** ALB only. */
  statusDescription?: string;
  headers?: Record<string, HeaderValue>;
  /** Payload 1.0, and ALB with multi-value headers enabled (which then reads only this map). */
  multiValueHeaders?: Record<string, HeaderValue[]>;
  /** Payload 2.0 only: one `Set-Cookie` each. */
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
  [key: string]: unknown;
}

/**
 * A Lambda handler for HTTP events. Payload 2.0 handlers may return anything JSON-serializable
 * instead of a result: API Gateway and Function URLs then answer 200 with that value as an
 * `application/json` body (a string is the body as it is).
 */
export type LambdaHttpHandler<E extends LambdaHttpEvent, C> = (event: E, context: C) => unknown;

/** Where the policy writes: the result being sent, and the map the source reads headers from. */
interface ResultTarget {
  readonly result: LambdaHttpResult;
  /** ALB with multi-value headers reads only `multiValueHeaders`; every other source reads `headers`. */
  readonly multiValue: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Deletes every spelling of `lowerName` from a header map, adding the values it held to `into`
 * (only reads them with `keep`).
 */
function takeHeader(map: Record<string, unknown> | undefined, lowerName: string, into: string[], keep = false): void {
  if (map === undefined) return;
  for (const key of Object.keys(map)) {
    if (key.length !== lowerName.length || key.toLowerCase() !== lowerName) continue;
    const value = map[key];
    if (Array.isArray(value)) for (const item of value) into.push(String(item));
    else if (value !== undefined && value !== null) into.push(String(value));
    if (!keep) delete map[key];
  }
}

function setHeader(target: ResultTarget, name: string, value: string): void {
  const lowerName = name.toLowerCase();
  const discarded: string[] = [];
  const { result } = target;
  takeHeader(result.headers, lowerName, discarded);
  takeHeader(result.multiValueHeaders, lowerName, discarded);
  if (target.multiValue) {
    result.multiValueHeaders ??= {};
    result.multiValueHeaders[name] = [value];
  } else {
    result.headers ??= {};
    result.headers[name] = value;
  }
}

const lambdaHeaderWriter: HeaderWriter<ResultTarget> = {
  set: setHeader,
  remove(target, name) {
    const lowerName = name.toLowerCase();
    const discarded: string[] = [];
    takeHeader(target.result.headers, lowerName, discarded);
    takeHeader(target.result.multiValueHeaders, lowerName, discarded);
  },
  get(target, name) {
    const present: string[] = [];
    takeHeader(target.result.headers, name, present, true);
    takeHeader(target.result.multiValueHeaders, name, present, true);
    return present.length === 0 ? undefined : present.join(', ');
  },
  appendVary(target, tokens) {
    const present: string[] = [];
    // Read without deleting: copies of the maps, so that an unchanged Vary stays where it was.
    takeHeader(target.result.headers === undefined ? undefined : { ...target.result.headers }, 'vary', present);
    takeHeader(target.result.multiValueHeaders === undefined ? undefined : { ...target.result.multiValueHeaders }, 'vary', present);
    const merged = mergeVary(present.length === 0 ? undefined : present.join(', '), tokens);
    if (merged !== undefined) setHeader(target, 'Vary', merged);
  },
};

/** Answers by event, for corsDecisionOf. */
const answers = new WeakMap<object, CorsAnswer>();

/** The policy's answer for an event a `withCors` handler received, or undefined for any other event. */
export function corsDecisionOf(event: LambdaHttpEvent): CorsAnswer | undefined {
  return answers.get(event);
}

/** Reads a request header without regard to the case of its name, joining repeated values with ", ". */
function requestHeader(event: LambdaHttpEvent, lowerName: string): string | undefined {
  const values: string[] = [];
  // REST APIs send both maps (multiValueHeaders has every value, headers only the last);
  // ALBs send one of them; payload 2.0 sends only headers, repeated values already joined.
  const multi = event.multiValueHeaders;
  if (isRecord(multi)) takeHeader({ ...multi }, lowerName, values);
  else if (isRecord(event.headers)) takeHeader({ ...event.headers }, lowerName, values);
  // A repeated Origin joins to "a, b", which never parses as one origin: denied.
  return values.length === 0 ? undefined : values.join(', ');
}

const STATUS_TEXT: Readonly<Record<number, string>> = { 200: 'OK', 204: 'No Content', 403: 'Forbidden', 500: 'Internal Server Error' };

/**
 * Wraps a Lambda handler for HTTP events so that every result carries its CORS headers.
 * Options are validated now: bad ones throw a `CorsConfigError` at cold start.
 */
export function withCors<E extends LambdaHttpEvent, C = unknown>(
  handler: LambdaHttpHandler<E, C>,
  options: CorsOptions,
): (event: E, context: C) => Promise<LambdaHttpResult> {
  if (typeof handler !== 'function') {
    throw new TypeError('corsguard/lambda: withCors(handler, options) needs a Lambda handler function as its first argument.');
  }
  const policy = new CorsPolicy(options);
  return async function corsguardLambda(event: E, context: C): Promise<LambdaHttpResult> {
    if (!isRecord(event)) {
      throw new TypeError('corsguard/lambda: the event is not an HTTP event from API Gateway, a Function URL or an ALB.');
    }
    const v2 = event.version === '2.0';
    const requestContext: unknown = event.requestContext;
    const method = v2 ? isRecord(requestContext) && isRecord(requestContext.http) && requestContext.http.method : event.httpMethod;
    if (typeof method !== 'string') {
      throw new TypeError('corsguard/lambda: the event is not an HTTP event from API Gateway, a Function URL or an ALB.');
    }
    const alb = !v2 && isRecord(requestContext) && isRecord(requestContext.elb);
    const multiValue = alb && isRecord(event.multiValueHeaders);
    /** A result corsguard builds itself (preflight, 500), with its headers in the map the source reads. */
    const ownResult = (): ResultTarget => {
      const result: LambdaHttpResult = { statusCode: 500, body: '', isBase64Encoded: false };
      if (multiValue) result.multiValueHeaders = {};
      else result.headers = {};
      return { result, multiValue };
    };
    const answer = (target: ResultTarget, statusCode: number, body: string): LambdaHttpResult => {
      const { result } = target;
      result.statusCode = statusCode;
      result.body = body;
      if (alb) result.statusDescription = `${statusCode} ${STATUS_TEXT[statusCode] ?? ''}`.trimEnd();
      if (body !== '') setHeader(target, 'Content-Type', 'text/plain; charset=utf-8');
      return result;
    };

    const path = typeof event.rawPath === 'string' ? event.rawPath : event.path;
    const request = readRequest(method, path, event, requestHeader, event);
    const decided = policy.decide(request);
    const decision = decided instanceof Promise ? await decided : decided;
    if (decision.kind === 'preflight') {
      const target = ownResult();
      policy.writePreflight(target, lambdaHeaderWriter, request, decision);
      return answer(target, decision.status, decision.body);
    }
    answers.set(event, decision);
    let target: ResultTarget;
    try {
      target = { result: toResult(await handler(event, context), v2), multiValue };
    } catch (error) {
      policy.reportError(error, request);
      target = ownResult();
      answer(target, 500, 'Internal Server Error');
    }
    policy.writeActual(target, lambdaHeaderWriter, request, decision);
    return target.result;
  };
}

/**
 * The handler's answer as a result corsguard may write on: a copy (a handler may return one
 * shared object, which must not keep the allowed origin of one request for the next), with
 * payload 2.0's shorthand spelled out the way API Gateway and Function URLs read it.
 */
function toResult(returned: unknown, v2: boolean): LambdaHttpResult {
  if (isRecord(returned) && typeof returned.statusCode === 'number') {
    const result: LambdaHttpResult = { ...(returned as LambdaHttpResult) };
    if (isRecord(result.headers)) result.headers = { ...result.headers };
    else delete result.headers;
    if (isRecord(result.multiValueHeaders)) {
      const copy: Record<string, HeaderValue[]> = {};
      for (const [key, values] of Object.entries(result.multiValueHeaders)) copy[key] = Array.isArray(values) ? [...values] : values;
      result.multiValueHeaders = copy;
    } else {
      delete result.multiValueHeaders;
    }
    return result;
  }
  if (!v2) {
    // REST APIs and ALBs answer 502 to anything else; corsguard answers 500 with CORS headers instead.
    throw new TypeError('the Lambda handler did not return a result with a numeric statusCode');
  }
  const body = typeof returned === 'string' ? returned : JSON.stringify(returned ?? null);
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body, isBase64Encoded: false };
}
