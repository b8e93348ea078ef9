// h3 1: toWebHandler(app) is a fetch handler, wrapped by corsguard/fetch (served here by srvx).
import { createApp, createError, createRouter, defineEventHandler, toWebHandler } from 'h3-v1';
import { serve } from 'srvx';
import { withCors } from 'corsguard/fetch';

const router = createRouter()
  .get(
    '/items',
    defineEventHandler(() => [1, 2, 3]),
  )
  .put(
    '/items',
    defineEventHandler(() => ({ saved: true })),
  )
  .get(
    '/forbidden',
    defineEventHandler(() => {
      throw createError({ statusCode: 403, statusMessage: 'not yours' });
    }),
  );
const app = createApp().use(router);

const server = serve({
  fetch: withCors(toWebHandler(app), {
    allowOrigins: ['https://app.example.com'],
    allowMethods: ['PUT', 'DELETE'],
    allowHeaders: ['Content-Type'],
  }),
  hostname: '127.0.0.1',
  port: Number(process.env.PORT ?? 3000),
  silent: true,
});
await server.ready();
console.log(`listening ${server.url!.replace(/\/$/, '')}`);
