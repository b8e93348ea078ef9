// h3 2 (fetch-native): its app.fetch wrapped by corsguard/fetch, served by srvx, h3's own server.
import { H3, HTTPError } from 'h3';
import { serve } from 'srvx';
import { withCors } from 'corsguard/fetch';

const app = new H3()
  .get('/items', () => [1, 2, 3])
  .put('/items', () => ({ saved: true }))
  .get('/forbidden', () => {
    throw new HTTPError({ status: 403, message: 'not yours' });
  });

const server = serve({
  fetch: withCors(app.fetch, {
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
