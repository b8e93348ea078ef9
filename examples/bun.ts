// corsguard on Bun with a plain fetch handler.
//   bun add corsguard
//   bun run bun.ts
import { withCors } from 'corsguard/fetch';

async function api(request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  if (pathname === '/api/items' && request.method === 'GET') {
    return Response.json([{ id: 1, name: 'first' }], { headers: { 'X-Total-Count': '1' } });
  }
  if (pathname === '/api/items' && request.method === 'PUT') return Response.json({ saved: true });
  return new Response('Not Found', { status: 404 });
}

const handler = withCors(api, {
  allowOrigins: ['https://app.example.com', 'http://localhost:*'],
  allowMethods: ['PUT', 'DELETE'],
  allowHeaders: ['Authorization', 'Content-Type'],
  allowCredentials: true,
  exposeHeaders: ['X-Total-Count'],
  maxAge: 600,
});

const server = Bun.serve({ hostname: '127.0.0.1', port: Number(process.env.PORT ?? 8000), fetch: handler });
console.log(`listening http://127.0.0.1:${server.port}`);
