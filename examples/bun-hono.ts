// corsguard with Hono on Bun.
//   bun add corsguard hono
//   bun run bun-hono.ts
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

const server = Bun.serve({ hostname: '127.0.0.1', port: Number(process.env.PORT ?? 8000), fetch: app.fetch });
console.log(`listening http://127.0.0.1:${server.port}`);
