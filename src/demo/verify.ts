/**
 * Replays the demo page's calls from Node, sending what a browser on the frontend's origin
 * sends, and checks the answers the way a browser would decide to hand them to the page.
 */
import { BLOCKED_CALL, DEMO_CALLS, type DemoCall } from './calls.js';

export interface CallOutcome {
  readonly call: DemoCall;
  readonly ok: boolean;
  readonly detail: string;
}

function listHas(value: string | null, item: string): boolean {
  if (value === null) return false;
  const wanted = item.toLowerCase();
  let start = 0;
  for (let i = 0; i <= value.length; i++) {
    if (i === value.length || value[i] === ',') {
      const element = value.slice(start, i).trim().toLowerCase();
      if (element === wanted || (element === '*' && wanted !== 'authorization')) return true;
      start = i + 1;
    }
  }
  return false;
}

function corsProblem(response: Response, origin: string, credentials: boolean): string | undefined {
  const allowOrigin = response.headers.get('access-control-allow-origin');
  if (allowOrigin === null) return 'no Access-Control-Allow-Origin';
  if (allowOrigin !== origin && !(allowOrigin === '*' && !credentials)) {
    return `Access-Control-Allow-Origin is '${allowOrigin}', not '${origin}'`;
  }
  if (credentials && response.headers.get('access-control-allow-credentials') !== 'true') {
    return "Access-Control-Allow-Credentials is not 'true'";
  }
  return undefined;
}

async function verifyCall(apiUrl: string, origin: string, call: DemoCall, cookies: string[]): Promise<CallOutcome> {
  const url = apiUrl + call.path;
  if (call.preflight) {
    const requested = Object.keys(call.headers)
      .map((h) => h.toLowerCase())
      .sort();
    const preflight = await fetch(url, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': call.method,
        ...(requested.length > 0 ? { 'Access-Control-Request-Headers': requested.join(',') } : {}),
      },
    });
    const problem = corsProblem(preflight, origin, call.credentials);
    if (problem !== undefined || preflight.status < 200 || preflight.status > 299) {
      return { call, ok: false, detail: `preflight failed (${preflight.status}): ${problem ?? 'status is not 2xx'}` };
    }
    if (!listHas(preflight.headers.get('access-control-allow-methods'), call.method)) {
      return { call, ok: false, detail: `preflight does not allow ${call.method}` };
    }
    for (const name of requested) {
      if (!listHas(preflight.headers.get('access-control-allow-headers'), name)) {
        return { call, ok: false, detail: `preflight does not allow header ${name}` };
      }
    }
  }
  const headers: Record<string, string> = { Origin: origin, ...call.headers };
  if (call.credentials && cookies.length > 0) headers.Cookie = cookies.join('; ');
  const response = await fetch(url, { method: call.method, headers, body: call.body });
  const body = await response.text();
  const problem = corsProblem(response, origin, call.credentials);
  if (problem !== undefined) return { call, ok: false, detail: `blocked: ${problem}` };
  if (call.credentials) {
    for (const cookie of response.headers.getSetCookie()) cookies.push(cookie.split(';')[0] ?? '');
  }
  let detail = `${call.preflight ? 'preflight 2xx, then ' : ''}${response.status} ${body.slice(0, 60)}`;
  if (call.readHeader !== undefined) {
    const readable = listHas(response.headers.get('access-control-expose-headers'), call.readHeader);
    const value = response.headers.get(call.readHeader);
    if (!readable || value === null) return { call, ok: false, detail: `${call.readHeader} is not readable by the page` };
    detail += ` | ${call.readHeader}: ${value}`;
  }
  if (response.status !== call.expectedStatus) {
    return { call, ok: false, detail: `expected status ${call.expectedStatus}, got ${detail}` };
  }
  return { call, ok: true, detail };
}

export async function verifyDemo(apiUrl: string, frontendOrigin: string): Promise<CallOutcome[]> {
  const cookies: string[] = [];
  const outcomes: CallOutcome[] = [];
  for (const call of DEMO_CALLS) outcomes.push(await verifyCall(apiUrl, frontendOrigin, call, cookies));
  return outcomes;
}

/** Replays BLOCKED_CALL: ok when the browser's rules block it (its detail says where). */
export async function verifyBlockedCall(apiUrl: string, frontendOrigin: string): Promise<CallOutcome> {
  const outcome = await verifyCall(apiUrl, frontendOrigin, BLOCKED_CALL, []);
  return { call: BLOCKED_CALL, ok: !outcome.ok, detail: outcome.ok ? `not blocked: ${outcome.detail}` : outcome.detail };
}
