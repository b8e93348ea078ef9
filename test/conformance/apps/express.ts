/** The conformance app on Express 5. */
import express, { type ErrorRequestHandler } from 'express';
import { cors } from '../../../src/express/index.js';
import { BODY, OTHER_LAYER_CORS, configFor, isAuthorized, type ConfigName, type ErrorLog } from '../app-contract.js';

export function expressApp(config: ConfigName, log: ErrorLog): express.Express {
  const app = express();
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
  app.get('/throw', () => {
    throw new Error('handler failed synchronously');
  });
  app.get('/reject', async () => {
    await Promise.resolve();
    throw new Error('handler rejected');
  });
  app.get('/cors-elsewhere', (_req, res) => {
    res.type('text').send(BODY.elsewhere);
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
