/** The conformance app on Express 5 and, from the same code, on Express 4. */
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import express4 from 'express4';
import { cors } from '../../../src/express/index.js';
import { BODY, OTHER_LAYER_CORS, configFor, isAuthorized, type ConfigName, type ErrorLog } from '../app-contract.js';

interface ExpressMajor {
  readonly createApp: () => express.Express;
  /** Express 5 passes a handler's rejected promise to the error middleware; Express 4 ignores it. */
  readonly catchesRejections: boolean;
}

/**
 * Express 4's idiom for an async handler: pass its rejection to `next` (without this the request
 * would hang; Express 4 never looks at the promise).
 */
function forwardRejection(handler: RequestHandler): RequestHandler {
  return (req, res, next) => {
    Promise.resolve(handler(req, res, next)).catch(next);
  };
}

function expressAppOn(major: ExpressMajor, config: ConfigName, log: ErrorLog): express.Express {
  const app = major.createApp();
  // Express's final handler prints every error outside the 'test' environment.
  app.set('env', 'test');
  app.use('/cors-elsewhere', (_req, res, next) => {
    res.set(OTHER_LAYER_CORS);
    next();
  });
  app.use(cors(configFor(config, log)));
  app.use('/private', (req, res, next) => {
    if (isAuthorized(req.get('authorization'))) next();
    else res.status(401).type('text').send('Unauthorized');
  });
  app
    .route('/resource')
    .get((_req, res) => {
      res.set('X-Total-Count', '42').type('text').send(BODY.resource);
    })
    .put((_req, res) => {
      res.type('text').send(BODY.updated);
    })
    .options((_req, res) => {
      res.type('text').send(BODY.options);
    });
  app.get('/vary', (_req, res) => {
    res.vary('Accept-Encoding');
    res.type('text').send(BODY.vary);
  });
  app.get('/own-vary', (_req, res) => {
    res.set('Vary', 'Accept-Encoding').type('text').send(BODY.vary);
  });
  app.get('/throw', () => {
    throw new Error('handler failed synchronously');
  });
  const reject: RequestHandler = async () => {
    await Promise.resolve();
    throw new Error('handler rejected');
  };
  app.get('/reject', major.catchesRejections ? reject : forwardRejection(reject));
  app.get('/cors-elsewhere', (_req, res) => {
    res.type('text').send(BODY.elsewhere);
  });
  app.get('/cors-in-handler', (_req, res) => {
    res.set(OTHER_LAYER_CORS).type('text').send(BODY.elsewhere);
  });
  app.get('/500', (_req, res) => {
    res.status(500).type('text').send(BODY.failed);
  });
  app.get('/private/data', (_req, res) => {
    res.type('text').send(BODY.secret);
  });
  const recordErrors: ErrorRequestHandler = (error, _req, _res, next) => {
    log.record('handler');
    next(error);
  };
  app.use(recordErrors);
  return app;
}

export function expressApp(config: ConfigName, log: ErrorLog): express.Express {
  return expressAppOn({ createApp: express, catchesRejections: true }, config, log);
}

export function express4App(config: ConfigName, log: ErrorLog): express.Express {
  // The calls the app makes are the same on Express 4; only @types/express@4 spells them otherwise.
  return expressAppOn({ createApp: express4 as unknown as () => express.Express, catchesRejections: false }, config, log);
}
