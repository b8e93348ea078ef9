// Serves one conformance app on Bun or Deno: `bun serve.mjs <fetch|hono>` or
// `deno run --allow-net=127.0.0.1 --allow-read serve.mjs <fetch|hono>`. Prints
// `listening <url>` once ready, and serves until killed.
import { apps } from './conformance-app.mjs';

const runtime = globalThis.Bun ? 'bun' : globalThis.Deno ? 'deno' : undefined;
const args = runtime === 'deno' ? globalThis.Deno.args : globalThis.process.argv.slice(2);
const build = apps[args[0]];
if (runtime === undefined || build === undefined) throw new Error('usage: (bun|deno) serve.mjs (fetch|hono)');
const handler = build();

if (runtime === 'bun') {
  const server = globalThis.Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: handler });
  console.log(`listening http://127.0.0.1:${server.port}`);
} else {
  globalThis.Deno.serve(
    { hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(`listening http://127.0.0.1:${port}`) },
    handler,
  );
}
