import { mergeVary, type HeaderWriter } from '../core/policy.js';

/** Writes the policy's headers on a Web `Headers` object. */
export const webHeaderWriter: HeaderWriter<Headers> = {
  set(headers, name, value) {
    headers.set(name, value);
  },
  remove(headers, name) {
    headers.delete(name);
  },
  get(headers, name) {
    return headers.get(name) ?? undefined;
  },
  appendVary(headers, tokens) {
    const merged = mergeVary(headers.get('vary') ?? undefined, tokens);
    if (merged !== undefined) headers.set('Vary', merged);
  },
};

/**
 * A copy of a Response whose headers can be written: those of `Response.redirect()`,
 * `Response.error()` and `fetch()` results are immutable. Status, status text and every header
 * line (each `Set-Cookie` on its own) are copied explicitly rather than passing the Response
 * as the init of another: under @hono/node-server 1.x, that failed on a streaming `fetch()`
 * response.
 */
export function withWritableHeaders(response: Response): Response {
  const headers = new Headers();
  for (const [name, value] of response.headers) headers.append(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
