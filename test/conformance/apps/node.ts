/** The conformance app on bare `node:http`, with `withCors` and with `corsMiddleware`. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { corsMiddleware, withCors } from '../../../src/node/index.js';
import { BODY, OTHER_LAYER_CORS, configFor, isAuthorized, type ConfigName, type ErrorLog } from '../app-contract.js';

type Listener = (req: IncomingMessage, res: ServerResponse) => unknown;

function text(res: ServerResponse, status: number, body: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(body);
}

/** Routes of the contract, as a plain request listener. */
export function router(req: IncomingMessage, res: ServerResponse): void | Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const method = req.method ?? 'GET';
  switch (path) {
    case '/resource':
      if (method === 'GET' || method === 'HEAD') {
        res.setHeader('X-Total-Count', '42');
        return text(res, 200, BODY.resource);
      }
      if (method === 'PUT') return text(res, 200, BODY.updated);
      if (method === 'OPTIONS') return text(res, 200, BODY.options);
      res.setHeader('Allow', 'GET, HEAD, PUT, OPTIONS');
      return text(res, 405, 'Method Not Allowed');
    case '/vary': {
      const vary = res.getHeader('Vary');
      res.setHeader('Vary', vary === undefined ? 'Accept-Encoding' : `${String(vary)}, Accept-Encoding`);
      return text(res, 200, BODY.vary);
    }
    case '/own-vary':
      res.setHeader('Vary', 'Accept-Encoding');
      return text(res, 200, BODY.vary);
    case '/throw':
      throw new Error('handler failed synchronously');
    case '/reject':
      return Promise.reject(new Error('handler rejected'));
    case '/cors-elsewhere':
      return text(res, 200, BODY.elsewhere);
    case '/cors-in-handler': {
      const { 'Access-Control-Allow-Origin': allowOrigin, ...others } = OTHER_LAYER_CORS;
      res.setHeader('Access-Control-Allow-Origin', allowOrigin!);
      res.writeHead(200, { ...others, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(BODY.elsewhere);
      return;
    }
    case '/500':
      return text(res, 500, BODY.failed);
    case '/private/data':
      return text(res, 200, BODY.secret);
    default:
      return text(res, 404, 'Not Found');
  }
}

/** The layer before corsguard that sets CORS headers of its own on `/cors-elsewhere`. */
function otherLayerFirst(listener: Listener): Listener {
  return (req, res) => {
    if (req.url === '/cors-elsewhere') for (const [name, value] of Object.entries(OTHER_LAYER_CORS)) res.setHeader(name, value);
    return listener(req, res);
  };
}

function isPrivate(req: IncomingMessage): boolean {
  return (req.url ?? '').startsWith('/private/');
}

/** `withCors(auth(router))`: the auth layer sits inside, after CORS. */
export function withCorsApp(config: ConfigName, log: ErrorLog): Listener {
  const syncRouter: Listener = (req, res) => {
    if (isPrivate(req) && !isAuthorized(req.headers.authorization)) return text(res, 401, 'Unauthorized');
    return router(req, res);
  };
  return otherLayerFirst(withCors(syncRouter, configFor(config, log)));
}

/** A connect-style chain: corsMiddleware, then auth, then the routes, then an error handler. */
export function corsMiddlewareApp(config: ConfigName, log: ErrorLog): Listener {
  const cors = corsMiddleware(configFor(config, log));
  const fail = (res: ServerResponse): void => {
    log.record('handler');
    if (!res.headersSent) text(res, 500, 'Internal Server Error');
  };
  return otherLayerFirst((req, res) => {
    cors(req, res, (error?: unknown) => {
      if (error !== undefined) return fail(res);
      if (isPrivate(req) && !isAuthorized(req.headers.authorization)) return text(res, 401, 'Unauthorized');
      try {
        router(req, res)?.catch(() => fail(res));
      } catch {
        fail(res);
      }
    });
  });
}
