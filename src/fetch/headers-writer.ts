import { mergeVary, type HeaderWriter } from '../core/policy.js';

/** Writes the engine's headers on a Web `Headers` object. */
export const webHeaderWriter: HeaderWriter<Headers> = {
  set(headers, name, value) {
    headers.set(name, value);
  },
  remove(headers, name) {
    headers.delete(name);
  },
  appendVary(headers, tokens) {
    const merged = mergeVary(headers.get('vary') ?? undefined, tokens);
    if (merged !== undefined) headers.set('Vary', merged);
  },
};
