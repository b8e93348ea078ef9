/** The conformance app on Fastify 5. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Fastify from 'fastify';
import { cors } from '../../../src/fastify/index.js';
import { BODY, OTHER_LAYER_CORS, configFor, isAuthorized, type ConfigName, type ErrorLog } from '../app-contract.js';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

export async function fastifyApp(config: ConfigName, log: ErrorLog): Promise<Listener> {
  let listener: Listener | undefined;
  const app = Fastify({
    // Capture Fastify's request listener so that the conformance mount can call it.
    serverFactory: (handler) => {
      listener = handler;
      return createServer(handler);
    },
  });
  await app.register(cors, configFor(config, log));
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/private/') && !isAuthorized(request.headers.authorization)) {
      return reply.code(401).type('text/plain').send('Unauthorized');
    }
  });
  app.addHook('onError', async () => {
    log.record('handler');
  });
  app.get('/resource', async (_request, reply) => reply.header('X-Total-Count', '42').type('text/plain').send(BODY.resource));
  app.put('/resource', async (_request, reply) => reply.type('text/plain').send(BODY.updated));
  app.options('/resource', async (_request, reply) => reply.type('text/plain').send(BODY.options));
  app.get('/vary', async (_request, reply) => reply.header('Vary', 'Accept-Encoding').type('text/plain').send(BODY.vary));
  app.get('/throw', () => {
    throw new Error('handler failed synchronously');
  });
  app.get('/reject', async () => {
    await Promise.resolve();
    throw new Error('handler rejected');
  });
  app.get('/cors-elsewhere', async (_request, reply) => reply.headers(OTHER_LAYER_CORS).type('text/plain').send(BODY.elsewhere));
  app.get('/500', async (_request, reply) => reply.code(500).type('text/plain').send(BODY.failed));
  app.get('/private/data', async (_request, reply) => reply.type('text/plain').send(BODY.secret));
  await app.ready();
  return listener!;
}
