/**
 * The conformance app on Koa 3 and, from the same code, on Koa 2, with hand-written routing
 * (Koa has no router of its own).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import Koa from 'koa';
import Koa2 from 'koa2';
import { cors } from '../../../src/koa/index.js';
import { BODY, OTHER_LAYER_CORS, configFor, isAuthorized, type ConfigName, type ErrorLog } from '../app-contract.js';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

function koaAppOn(KoaApp: typeof Koa, config: ConfigName, log: ErrorLog): Listener {
  const app = new KoaApp();
  app.use(async (ctx, next) => {
    if (ctx.path === '/cors-elsewhere') ctx.set(OTHER_LAYER_CORS);
    await next();
  });
  app.use(cors(configFor(config, log)));
  app.use(async (ctx, next) => {
    if (ctx.path.startsWith('/private/') && !isAuthorized(ctx.get('authorization'))) ctx.throw(401, 'Unauthorized');
    await next();
  });
  app.use(async (ctx) => {
    switch (ctx.path) {
      case '/resource':
        if (ctx.method === 'GET' || ctx.method === 'HEAD') {
          ctx.set('X-Total-Count', '42');
          ctx.body = BODY.resource;
        } else if (ctx.method === 'PUT') ctx.body = BODY.updated;
        else if (ctx.method === 'OPTIONS') ctx.body = BODY.options;
        else {
          ctx.set('Allow', 'GET, HEAD, PUT, OPTIONS');
          ctx.status = 405;
        }
        return;
      case '/vary':
        ctx.vary('Accept-Encoding');
        ctx.body = BODY.vary;
        return;
      case '/own-vary':
        ctx.set('Vary', 'Accept-Encoding');
        ctx.body = BODY.vary;
        return;
      case '/throw':
        throw new Error('handler failed synchronously');
      case '/reject':
        await Promise.resolve();
        throw new Error('handler rejected');
      case '/cors-elsewhere':
        ctx.body = BODY.elsewhere;
        return;
      case '/cors-in-handler':
        ctx.set(OTHER_LAYER_CORS);
        ctx.body = BODY.elsewhere;
        return;
      case '/500':
        ctx.status = 500;
        ctx.body = BODY.failed;
        return;
      case '/private/data':
        ctx.body = BODY.secret;
        return;
      default:
      // No body: Koa answers 404.
    }
  });
  app.on('error', (error: { status?: number }) => {
    if ((error.status ?? 500) >= 500) log.record('handler');
  });
  return app.callback();
}

export function koaApp(config: ConfigName, log: ErrorLog): Listener {
  return koaAppOn(Koa, config, log);
}

export function koa2App(config: ConfigName, log: ErrorLog): Listener {
  // The calls the app makes are the same on Koa 2; only @types/koa@2 spells them otherwise.
  return koaAppOn(Koa2 as unknown as typeof Koa, config, log);
}
