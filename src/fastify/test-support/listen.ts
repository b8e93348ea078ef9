// A Fastify 5 app on loopback (port 0) for one test file's tests, closed after them.
import { after } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';

/** Builds an app with `setup`, listens on 127.0.0.1, and returns its base URL. */
export async function listenFastify(setup: (app: FastifyInstance) => void | Promise<void>): Promise<string> {
  const app = Fastify();
  await setup(app);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  after(() => app.close());
  return address;
}
