// No CORS code here: proxy.ts adds the headers to everything under /proxied.
export const GET = () => Response.json({ proxied: true });
