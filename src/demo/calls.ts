/** The calls the demo's frontend makes, each with what a browser should show. */
export interface DemoCall {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** fetch(..., { credentials: 'include' }) */
  readonly credentials: boolean;
  /** Whether a browser sends a preflight first. */
  readonly preflight: boolean;
  readonly expectedStatus: number;
  /** A response header the page reads (it must be exposed). */
  readonly readHeader?: string;
  readonly shows: string;
}

export const DEMO_CALLS: readonly DemoCall[] = [
  {
    name: 'simple GET',
    method: 'GET',
    path: '/',
    headers: {},
    credentials: false,
    preflight: false,
    expectedStatus: 200,
    shows: '200 {"message":"Hello World"}: a simple request, no preflight',
  },
  {
    name: 'exposed X-Total-Count',
    method: 'GET',
    path: '/api/items',
    headers: {},
    credentials: false,
    preflight: false,
    expectedStatus: 200,
    readHeader: 'X-Total-Count',
    shows: 'X-Total-Count: 3, readable because it is in exposeHeaders',
  },
  {
    name: 'preflighted PUT with Authorization',
    method: 'PUT',
    path: '/api/items/1',
    headers: { Authorization: 'Bearer demo-token', 'Content-Type': 'application/json' },
    body: '{"name":"Mechanical keyboard"}',
    credentials: false,
    preflight: true,
    expectedStatus: 200,
    shows: 'a preflight (OPTIONS, 204) then 200 {"updated":...}',
  },
  {
    name: 'credentialed login (sets a cookie)',
    method: 'POST',
    path: '/api/login',
    headers: {},
    credentials: true,
    preflight: false,
    expectedStatus: 200,
    shows: '200 {"loggedIn":true}, and the browser stores the session cookie',
  },
  {
    name: 'credentialed request (sends the cookie)',
    method: 'GET',
    path: '/api/me',
    headers: {},
    credentials: true,
    preflight: false,
    expectedStatus: 200,
    shows: '200 {"user":"demo-user"}: the cookie went along and the page can read the answer',
  },
  {
    name: 'endpoint that throws',
    method: 'GET',
    path: '/api/error',
    headers: {},
    credentials: false,
    preflight: false,
    expectedStatus: 500,
    shows: '500 Internal Server Error, readable by the page because the CORS headers survived the error',
  },
];

/**
 * The call a browser blocks: PATCH is not in the API's allowMethods, so the preflight answer
 * does not allow it, and the browser never sends the PATCH. The demo shows what each engine
 * prints in its console for it, and what `corsguard explain` makes of that message.
 */
export const BLOCKED_CALL: DemoCall = {
  name: 'PATCH, which the API does not allow',
  method: 'PATCH',
  path: '/api/items/1',
  headers: { 'Content-Type': 'application/json' },
  body: '{"name":"Trackball"}',
  credentials: false,
  preflight: true,
  expectedStatus: 0,
  shows:
    'blocked: the answer to the preflight (OPTIONS) does not list PATCH in Access-Control-Allow-Methods, so the browser never sends the PATCH',
};

/** The problem `corsguard check` reports for BLOCKED_CALL. */
export const BLOCKED_PROBLEM = 'method-not-allowed';
