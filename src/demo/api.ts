/**
 * The demo API: the FastAPI guide's production example, written with corsguard on node:http.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { withCors } from '../node/index.js';
import type { CorsOptions } from '../core/options.js';

/** The guide's production configuration, plus the header the frontend reads. */
export function demoCorsOptions(frontendOrigin: string): CorsOptions {
  return {
    allowOrigins: [frontendOrigin, 'https://yourdomain.com', 'https://www.yourdomain.com'],
    allowCredentials: true,
    allowMethods: ['GET', 'POST', 'PUT', 'DELETE'],
    allowHeaders: ['Authorization', 'Content-Type'],
    exposeHeaders: ['X-Total-Count'],
    maxAge: 600,
    // The demo's frontend is plain http://localhost, which is a secure context: no warning.
    onError(error) {
      console.error(`  [api] handler error, answered with a 500 that keeps its CORS headers: ${(error as Error).message}`);
    },
  };
}

const ITEMS = [
  { id: 1, name: 'Keyboard' },
  { id: 2, name: 'Mouse' },
  { id: 3, name: 'Monitor' },
];

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The API's routes, before CORS is applied. */
export async function demoApiHandler(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  const route = `${req.method} ${path}`;
  switch (route) {
    case 'GET /':
      return json(res, 200, { message: 'Hello World' });
    case 'GET /api/items':
      res.setHeader('X-Total-Count', String(ITEMS.length));
      return json(res, 200, ITEMS);
    case 'PUT /api/items/1': {
      // Authentication runs after CORS, so preflights (which never carry credentials) still pass.
      if (req.headers.authorization !== 'Bearer demo-token') return json(res, 401, { error: 'missing or wrong token' });
      let body = '';
      for await (const chunk of req) body += chunk;
      const item = { id: 1, ...(JSON.parse(body || '{}') as object) };
      return json(res, 200, { updated: item });
    }
    case 'POST /api/login':
      res.setHeader('Set-Cookie', 'session=demo-user; Path=/; HttpOnly; SameSite=Lax');
      return json(res, 200, { loggedIn: true });
    case 'GET /api/me': {
      const session = readCookie(req, 'session');
      return session === undefined ? json(res, 401, { error: 'no session cookie' }) : json(res, 200, { user: session });
    }
    case 'GET /api/error':
      // The guide's "missing await" bug: the handler throws.
      throw new Error('something went wrong in /api/error');
    default:
      return json(res, 404, { error: `no route ${route}` });
  }
}

export function createDemoApi(frontendOrigin: string): (req: IncomingMessage, res: ServerResponse) => void {
  return withCors(demoApiHandler, demoCorsOptions(frontendOrigin));
}
