import type { OutgoingMessage } from 'node:http';
import { mergeVary, type HeaderWriter } from '../core/policy.js';

/** Reads a header of a Node response as one string, joining repeated values. */
export function headerText(value: number | string | readonly string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return value.join(', ');
}

/** Writes the engine's headers on a `node:http` response (or anything built on one). */
export const nodeHeaderWriter: HeaderWriter<OutgoingMessage> = {
  set(res, name, value) {
    res.setHeader(name, value);
  },
  remove(res, name) {
    // The header is almost never there; asking is cheaper than removeHeader's validation and delete.
    if (res.hasHeader(name)) res.removeHeader(name);
  },
  appendVary(res, tokens) {
    const merged = mergeVary(headerText(res.getHeader('vary')), tokens);
    if (merged !== undefined) res.setHeader('Vary', merged);
  },
};
