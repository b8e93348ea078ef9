// Elysia on Bun: app.handle is a fetch handler, wrapped by corsguard/fetch.
import { Elysia } from 'elysia';
import { withCors } from 'corsguard/fetch';

const app = new Elysia()
  .get('/items', () => [1, 2, 3])
  .put('/items', () => ({ saved: true }))
  .get('/forbidden', ({ status }) => status(403, 'not yours'));

const server = Bun.serve({
  fetch: withCors((request: Request) => app.handle(request), {
    allowOrigins: ['https://app.example.com'],
    allowMethods: ['PUT', 'DELETE'],
    allowHeaders: ['Content-Type'],
  }),
  hostname: '127.0.0.1',
  port: Number(process.env.PORT ?? 3000),
});
console.log(`listening http://127.0.0.1:${server.port}`);
