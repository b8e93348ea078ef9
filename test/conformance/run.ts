/** Runs the conformance table against one target, as one `node:test` suite. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { send, type RawResponse } from '../support/http.js';
import type { RunningServer } from '../support/server.js';
import type { ConformanceTarget } from './adapters.js';
import { CASES, type ConformanceCase, type Expectation } from './cases.js';
import { REPORTED_PATH } from './mount.js';

const SINGLE_VALUED = [
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-expose-headers',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-max-age',
];

function varyTokens(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '');
}

/** The expectation for this target: the table's, with the target's documented difference applied. */
export function expectationFor(testCase: ConformanceCase, target: ConformanceTarget): Expectation {
  const difference = testCase.differences?.[target.adapter];
  if (difference === undefined) return testCase.expect;
  const { why: _why, ...changes } = difference;
  return { ...testCase.expect, ...changes };
}

export function checkResponse(response: RawResponse, expected: Expectation, reported: readonly string[]): void {
  const shown = `${response.status} ${JSON.stringify(response.headers)} ${JSON.stringify(response.body.slice(0, 200))}`;
  assert.equal(response.status, expected.status, `status; got ${shown}`);
  for (const [name, value] of Object.entries(expected.headers ?? {})) {
    assert.equal(response.headers[name], value ?? undefined, `header ${name}; got ${shown}`);
  }
  for (const name of SINGLE_VALUED) {
    assert.ok((response.lineCounts[name] ?? 0) <= 1, `${name} sent more than once; got ${shown}`);
  }
  if (expected.vary !== undefined) {
    const tokens = varyTokens(response.headers.vary);
    assert.equal(new Set(tokens).size, tokens.length, `Vary has a token twice: ${response.headers.vary}`);
    assert.deepEqual([...tokens].sort(), [...expected.vary].sort(), `Vary; got ${shown}`);
  }
  if (expected.body !== undefined) assert.equal(response.body, expected.body, `body; got ${shown}`);
  if (expected.bodyIncludes !== undefined) {
    assert.ok(response.body.includes(expected.bodyIncludes), `body should include ${JSON.stringify(expected.bodyIncludes)}; got ${shown}`);
  }
  assert.deepEqual(reported, expected.reported ?? [], 'errors reported');
}

export function runConformance(target: ConformanceTarget): void {
  describe(`conformance: ${target.label}`, () => {
    let server: RunningServer;
    before(async () => {
      server = await target.start();
    });
    after(async () => {
      await server?.close();
    });
    for (const testCase of CASES) {
      const expected = expectationFor(testCase, target);
      it(`[${testCase.config}] ${testCase.name}`, async () => {
        const response = await send(`${server.url}/${testCase.config}${testCase.path}`, {
          method: testCase.method,
          headers: testCase.headers ?? {},
        });
        const reported = JSON.parse((await send(`${server.url}${REPORTED_PATH}`)).body) as string[];
        checkResponse(response, expected, reported);
      });
    }
  });
}
