/**
 * The conformance app on Hono. It takes the `cors` factory as a parameter so that the same app
 * runs on Node (from src) and on Bun, Deno and workerd (from dist).
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { CorsOptions } from '../../../src/core/options.js';
import { BODY, OTHER_LAYER_CORS, configFor, isAuthorized, type ConfigName, type ErrorLog } from '../app-contract.js';
import type { WebHandler } from '../mount.js';

export type HonoCors = (options: CorsOptions) => MiddlewareHandler;

export function honoConformanceApp(cors: HonoCors): (config: ConfigName, log: ErrorLog) => WebHandler {
  return (config, log) => {
    const app = new Hono();
    app.use(cors(configFor(config, log)));
    app.use('/private/*', async (c, next) => {
      if (!isAuthorized(c.req.header('authorization'))) throw new HTTPException(401, { message: 'Unauthorized' });
      await next();
    });
    app.get('/resource', (c) => {
      c.header('X-Total-Count', '42');
      return c.text(BODY.resource);
    });
    app.put('/resource', (c) => c.text(BODY.updated));
    app.options('/resource', (c) => c.text(BODY.options));
    app.get('/vary', (c) => {
      c.header('Vary', 'Accept-Encoding', { append: true });
      return c.text(BODY.vary);
    });
    app.get('/own-vary', (c) => {
      c.header('Vary', 'Accept-Encoding');
      return c.text(BODY.vary);
    });
    app.get('/throw', () => {
      throw new Error('handler failed synchronously');
    });
    app.get('/reject', async () => {
      await Promise.resolve();
      throw new Error('handler rejected');
    });
    app.get('/cors-in-handler', (c) => {
      for (const [name, value] of Object.entries(OTHER_LAYER_CORS)) c.header(name, value);
      return c.text(BODY.elsewhere);
    });
    app.get('/cors-elsewhere', (c) => {
      for (const [name, value] of Object.entries(OTHER_LAYER_CORS)) c.header(name, value);
      return c.text(BODY.elsewhere);
    });
    app.get('/500', (c) => c.text(BODY.failed, 500));
    app.get('/private/data', (c) => c.text(BODY.secret));
    app.onError((error, c) => {
      if (error instanceof HTTPException) return error.getResponse();
      log.record('handler');
      return c.text('Internal Server Error', 500);
    });
    return (request) => app.fetch(request);
  };
}
