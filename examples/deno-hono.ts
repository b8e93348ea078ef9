// corsguard with Hono on Deno.
//   deno add npm:corsguard npm:hono
//   deno run --allow-net --allow-env=PORT deno-hono.ts
import { Hono } from 'hono';
import { cors } from 'corsguard/hono';

const app = new Hono();
app.use(
  '/api/*',
  cors({
    allowOrigins: ['https://app.example.com', 'http://localhost:*'],
    allowMethods: ['PUT', 'DELETE'],
    allowHeaders: ['Authorization', 'Content-Type'],
    allowCredentials: true,
    exposeHeaders: ['X-Total-Count'],
    maxAge: 600,
  }),
);
app.get('/api/items', (c) => {
  c.header('X-Total-Count', '1');
  return c.json([{ id: 1, name: 'first' }]);
});
app.put('/api/items', (c) => c.json({ saved: true }));

Deno.serve(
  {
    hostname: '127.0.0.1',
    port: Number(Deno.env.get('PORT') ?? 8000),
    onListen: ({ port }) => console.log(`listening http://127.0.0.1:${port}`),
  },
  app.fetch,
);
