// corsguard in a Cloudflare Worker with a plain fetch handler.
//   npm install corsguard
//   npx wrangler dev worker.js   (or set `main = "worker.js"` in wrangler.toml)
import { withCors } from 'corsguard/fetch';

async function api(request) {
  const { pathname } = new URL(request.url);
  if (pathname === '/api/items' && request.method === 'GET') {
    return Response.json([{ id: 1, name: 'first' }], { headers: { 'X-Total-Count': '1' } });
  }
  if (pathname === '/api/items' && request.method === 'PUT') return Response.json({ saved: true });
  return new Response('Not Found', { status: 404 });
}

export default {
  // (request, env, ctx): corsguard passes env and ctx through to your handler.
  fetch: withCors(api, {
    allowOrigins: ['https://app.example.com', 'http://localhost:*'],
    allowMethods: ['PUT', 'DELETE'],
    allowHeaders: ['Authorization', 'Content-Type'],
    allowCredentials: true,
    exposeHeaders: ['X-Total-Count'],
    maxAge: 600,
  }),
};
