// The conformance apps as one Cloudflare Worker: `/fetch/...` and `/hono/...`, bundled for
// workerd by the runtime test.
import { apps } from './conformance-app.mjs';

const handlers = { fetch: apps.fetch(), hono: apps.hono() };

export default {
  fetch(request) {
    const url = new URL(request.url);
    const slash = url.pathname.indexOf('/', 1);
    const kind = url.pathname.slice(1, slash === -1 ? undefined : slash);
    const handler = handlers[kind];
    if (handler === undefined) return new Response('unknown app', { status: 500 });
    url.pathname = slash === -1 ? '/' : url.pathname.slice(slash);
    return handler(new Request(url, request));
  },
};
