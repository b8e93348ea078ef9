// corsguard with Hono in a Cloudflare Worker.
//   npm install corsguard hono
//   npx wrangler dev worker-hono.js
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

export default app;
