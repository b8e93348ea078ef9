/**
 * What the policy asks of a HeaderWriter, seen from an adapter someone writes for a new framework:
 * every call names a header and carries a string (never `undefined`, which a writer calling
 * `headers.append` would send as the text "undefined"), a writer without `get` gets the same
 * headers as one with it, and a writer with `get` that finds no other layer's header hears no
 * warning about one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CorsPolicy, type ActualAnswer, type CorsOptions, type HeaderWriter, type PreflightAnswer } from '../index.js';
import { corsRequest } from '../../test/support/drive-policy.js';

const APP = 'https://app.example';

type Call = readonly [operation: string, name: string, value?: unknown];

/** A writer that records its calls, with `get` (reading what it set) or without it. */
function recordingWriter(readable: boolean): { writer: HeaderWriter<Map<string, string>>; calls: Call[] } {
  const calls: Call[] = [];
  const writer: HeaderWriter<Map<string, string>> = {
    set(map, name, value) {
      calls.push(['set', name, value]);
      map.set(name.toLowerCase(), value);
    },
    remove(map, name) {
      calls.push(['remove', name]);
      map.delete(name.toLowerCase());
    },
    appendVary(map, tokens) {
      calls.push(['appendVary', 'Vary', tokens]);
      map.set('vary', map.has('vary') ? `${map.get('vary')}, ${tokens}` : tokens);
    },
  };
  if (readable) writer.get = (map, lowerName) => map.get(lowerName);
  return { writer, calls };
}

function policyOf(options: CorsOptions): { policy: CorsPolicy; warnings: string[] } {
  const warnings: string[] = [];
  const policy = new CorsPolicy({ ...options, onWarning: (warning) => warnings.push(warning.code), onError: () => undefined });
  return { policy, warnings };
}

function assertStringsOnly(calls: readonly Call[]): void {
  for (const call of calls) {
    assert.equal(typeof call[1], 'string', JSON.stringify(call));
    if (call[0] !== 'remove') assert.equal(typeof call[2], 'string', `${call[0]} ${call[1]} got ${String(call[2])}`);
  }
}

test("a public policy's preflight asks for no Vary at all: appendVary is never called with nothing", () => {
  const { policy } = policyOf({ allowOrigins: '*', allowMethods: ['PUT'] });
  const request = corsRequest('OPTIONS', { origin: APP, 'access-control-request-method': 'PUT' });
  const answer = policy.decide(request) as PreflightAnswer;
  for (const readable of [true, false]) {
    const { writer, calls } = recordingWriter(readable);
    const headers = new Map<string, string>();
    policy.writePreflight(headers, writer, request, answer);
    assertStringsOnly(calls);
    assert.deepEqual(Object.fromEntries(headers), { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'PUT' });
  }
});

test('an allowed answer written for a request without Origin (an adapter reusing answers) writes no Allow-Origin', () => {
  const { policy } = policyOf({ allowOrigins: [APP], allowCredentials: true, exposeHeaders: ['X-Total'] });
  const allowed = policy.decide(corsRequest('GET', { origin: APP })) as ActualAnswer;
  assert.equal(allowed.allowed, true);
  const withoutOrigin = corsRequest('GET', {});
  for (const readable of [true, false]) {
    for (const settledLater of [true, false]) {
      const { writer, calls } = recordingWriter(readable);
      const headers = new Map<string, string>();
      policy.writeActual(headers, writer, withoutOrigin, allowed, settledLater);
      assertStringsOnly(calls);
      assert.deepEqual(Object.fromEntries(headers), { vary: 'Origin' }, `readable ${readable}, settledLater ${settledLater}`);
    }
  }
});

test('a writer without get gets the same headers as one with it, and credentials only when allowed', () => {
  for (const allowCredentials of [false, true]) {
    const { policy, warnings } = policyOf({ allowOrigins: [APP], allowCredentials, exposeHeaders: ['X-Total'] });
    const request = corsRequest('GET', { origin: APP });
    const answer = policy.decide(request) as ActualAnswer;
    const written = [true, false].map((readable) => {
      const { writer, calls } = recordingWriter(readable);
      const headers = new Map<string, string>();
      policy.writeActual(headers, writer, request, answer, true);
      if (readable) policy.settleActual(headers, writer, request, answer);
      assertStringsOnly(calls);
      return Object.fromEntries(headers);
    });
    const expected: Record<string, string> = {
      vary: 'Origin',
      'access-control-allow-origin': APP,
      'access-control-expose-headers': 'X-Total',
    };
    if (allowCredentials) expected['access-control-allow-credentials'] = 'true';
    assert.deepEqual(written, [expected, expected], `allowCredentials ${allowCredentials}`);
    // Nothing but the policy wrote these headers: no foreign-cors-header warning.
    assert.deepEqual(warnings, []);
  }
});

test('settling headers on a response nobody else touched warns about nothing, with or without Origin', () => {
  const { policy, warnings } = policyOf({ allowOrigins: [APP], allowCredentials: true, exposeHeaders: ['X-Total'] });
  for (const origin of [APP, 'https://other.example', undefined]) {
    const request = corsRequest('GET', { origin });
    const answer = policy.decide(request) as ActualAnswer;
    const { writer } = recordingWriter(true);
    const headers = new Map<string, string>();
    policy.writeActual(headers, writer, request, answer);
    policy.settleActual(headers, writer, request, answer);
  }
  assert.deepEqual(warnings, []);
});

test("a public policy's actual response asks no writer for Vary, with get or without it", () => {
  const { policy } = policyOf({ allowOrigins: '*', exposeHeaders: ['X-Total-Count'] });
  const request = corsRequest('GET', { origin: APP });
  const answer = policy.decide(request) as ActualAnswer;
  for (const readable of [true, false]) {
    for (const settledLater of [false, true]) {
      const { writer, calls } = recordingWriter(readable);
      const headers = new Map<string, string>();
      policy.writeActual(headers, writer, request, answer, settledLater);
      assert.deepEqual(
        calls.filter(([operation]) => operation === 'appendVary'),
        [],
        `readable ${readable}, settledLater ${settledLater}`,
      );
      assert.deepEqual(Object.fromEntries(headers), {
        'access-control-allow-origin': '*',
        'access-control-expose-headers': 'X-Total-Count',
      });
    }
  }
});
