/**
 * A HeaderWriter over a Map of lower-case header names, for tests of the policy's answers that
 * need no server. Unlike Web `Headers` it accepts any value, so a test sees exactly what the
 * policy would write, even bytes a platform would refuse. It imports nothing but the policy, so tests that use it also run from a copy of
 * build/ without node_modules (scripts/mutation-survivors.mjs --apply).
 */
import { mergeVary, type HeaderWriter } from '../../src/core/policy.js';

export const mapHeaderWriter: HeaderWriter<Map<string, string>> = {
  set(map, name, value) {
    map.set(name.toLowerCase(), value);
  },
  remove(map, name) {
    map.delete(name.toLowerCase());
  },
  appendVary(map, tokens) {
    const merged = mergeVary(map.get('vary'), tokens);
    if (merged !== undefined) map.set('vary', merged);
  },
};
