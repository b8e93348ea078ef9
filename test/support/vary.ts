/**
 * The check every adapter's "handler sets its own Vary" test makes: from an allowed origin, a
 * denied one and without Origin, the response's `Vary` holds the handler's tokens and `Origin`,
 * each exactly once (over every `Vary` line), and only the allowed origin gets
 * `Access-Control-Allow-Origin`.
 */
import assert from 'node:assert/strict';
import { send } from './http.js';

export const VARY_ALLOWED_ORIGIN = 'https://app.example';
export const VARY_DENIED_ORIGIN = 'https://evil.example';

/** The tokens of a `Vary` value, lower-cased and sorted (test code: the value is our own server's). */
export function varyList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter((token) => token !== '')
    .sort();
}

/** Requests `url` from the allowed origin, the denied one and without Origin, and checks `Vary`. */
export async function assertVaryKeepsOrigin(url: string, handlerTokens: readonly string[]): Promise<void> {
  const expected = [...handlerTokens.map((token) => token.toLowerCase()), 'origin'].sort();
  for (const origin of [VARY_ALLOWED_ORIGIN, VARY_DENIED_ORIGIN, undefined]) {
    const res = await send(url, { headers: origin === undefined ? {} : { origin } });
    const label = `${url} from ${origin ?? 'no Origin'}: Vary ${JSON.stringify(res.headers.vary)}`;
    assert.equal(res.status, 200, label);
    assert.deepEqual(varyList(res.headers.vary), expected, label);
    assert.equal(res.headers['access-control-allow-origin'], origin === VARY_ALLOWED_ORIGIN ? origin : undefined, label);
  }
}
