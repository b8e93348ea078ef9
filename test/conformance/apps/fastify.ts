/** The conformance app on Fastify 5 and, from the same code, on Fastify 4. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Fastify from 'fastify';
import Fastify4 from 'fastify4';
import { cors } from '../../../src/fastify/index.js';
import { BODY, OTHER_LAYER_CORS, configFor, isAuthorized, type ConfigName, type ErrorLog } from '../app-contract.js';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

async function fastifyAppOn(createApp: typeof Fastify, config: ConfigName, log: ErrorLog): Promise<Listener> {
  let listener: Listener | undefined;
  const app = createApp({
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
  // corsguard writes in onSend, after the handler: there is nothing to replace yet, so this is /vary again.
  app.get('/own-vary', async (_request, reply) => reply.header('Vary', 'Accept-Encoding').type('text/plain').send(BODY.vary));
  app.get('/throw', () => {
    throw new Error('handler failed synchronously');
  });
  app.get('/reject', async () => {
    await Promise.resolve();
    throw new Error('handler rejected');
  });
  app.get('/cors-elsewhere', async (_request, reply) => reply.headers(OTHER_LAYER_CORS).type('text/plain').send(BODY.elsewhere));
  app.get('/cors-in-handler', async (_request, reply) => reply.headers(OTHER_LAYER_CORS).type('text/plain').send(BODY.elsewhere));
  app.get('/500', async (_request, reply) => reply.code(500).type('text/plain').send(BODY.failed));
  app.get('/private/data', async (_request, reply) => reply.type('text/plain').send(BODY.secret));
  await app.ready();
  return listener!;
}

export function fastifyApp(config: ConfigName, log: ErrorLog): Promise<Listener> {
  return fastifyAppOn(Fastify, config, log);
}

export function fastify4App(config: ConfigName, log: ErrorLog): Promise<Listener> {
  // The calls the app makes are the same on Fastify 4; only its types are another copy.
  return fastifyAppOn(Fastify4 as unknown as typeof Fastify, config, log);
}
