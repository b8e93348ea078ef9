/**
 * A short list of multi-label public suffixes where anyone can get a subdomain: shared
 * hosting platforms and common second-level registries. A subdomain pattern on one of these
 * (or on any single-label TLD) trusts strangers. This is a curated excerpt, not the full
 * Public Suffix List: corsguard has no runtime dependencies.
 */
export const SHARED_HOSTING_SUFFIXES: ReadonlySet<string> = new Set([
  // hosting platforms
  'github.io',
  'gitlab.io',
  'pages.dev',
  'workers.dev',
  'vercel.app',
  'netlify.app',
  'herokuapp.com',
  'appspot.com',
  'web.app',
  'firebaseapp.com',
  'azurewebsites.net',
  'azurestaticapps.net',
  'cloudfront.net',
  'amazonaws.com',
  's3.amazonaws.com',
  'onrender.com',
  'fly.dev',
  'glitch.me',
  'repl.co',
  'replit.app',
  'codesandbox.io',
  'ngrok.io',
  'ngrok-free.app',
  'trycloudflare.com',
  'blogspot.com',
  'wordpress.com',
  'surge.sh',
  'deno.dev',
  'railway.app',
  'up.railway.app',
  'loca.lt',
  // second-level registries
  'co.uk',
  'org.uk',
  'ac.uk',
  'gov.uk',
  'com.au',
  'net.au',
  'org.au',
  'co.jp',
  'ne.jp',
  'or.jp',
  'co.nz',
  'co.za',
  'com.br',
  'com.cn',
  'com.mx',
  'co.in',
  'co.kr',
  'com.tr',
  'com.sg',
]);

/** Whether `host` is a public suffix by the curated list, or is a single label (a TLD). */
export function isPublicSuffix(host: string): boolean {
  return !host.includes('.') || SHARED_HOSTING_SUFFIXES.has(host);
}
