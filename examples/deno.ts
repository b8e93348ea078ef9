// corsguard on Deno with a plain fetch handler.
//   deno add npm:corsguard
//   deno run --allow-net --allow-env=PORT deno.ts
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

Deno.serve(
  {
    hostname: '127.0.0.1',
    port: Number(Deno.env.get('PORT') ?? 8000),
    onListen: ({ port }) => console.log(`listening http://127.0.0.1:${port}`),
  },
  handler,
);
