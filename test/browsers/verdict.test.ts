/**
 * The verdict code of the browser suite, without browsers: a cell must fail on every kind of
 * difference, so that a passing suite means something.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SCENARIOS } from './scenarios.js';
import { expectationFor, mismatches, type Actual } from './verdict.js';
import type { RequestExpectation } from './scenario-types.js';

const expected: RequestExpectation = {
  outcome: 'succeeds',
  status: 200,
  bodyIncludes: '"ok":true',
  readable: { 'X-Total-Count': '42', 'Custom-Header': null },
  handlerRuns: 1,
  preflights: 1,
};

const matching: Actual = {
  observation: {
    fetched: true,
    status: 200,
    body: '{"ok":true}',
    headers: { 'X-Total-Count': '42', 'Custom-Header': null },
    pageOrigin: 'http://127.0.0.1:1',
  },
  traffic: { preflights: 1, handlerRuns: 1, origin: 'http://127.0.0.1:1' },
};

test('a matching observation has no mismatches', () => {
  assert.deepEqual(mismatches(expected, matching, 'http://127.0.0.1:1'), []);
});

test('every kind of difference is reported', () => {
  const cases: [string, Actual, string][] = [
    ['outcome', { ...matching, observation: { fetched: false, error: 'TypeError', pageOrigin: 'x' } }, 'outcome'],
    ['status', { ...matching, observation: { ...matching.observation, status: 500 } }, 'status'],
    ['body', { ...matching, observation: { ...matching.observation, body: '{}' } }, 'body'],
    [
      'hidden header became readable',
      { ...matching, observation: { ...matching.observation, headers: { 'X-Total-Count': '42', 'Custom-Header': 'hello' } } },
      'header Custom-Header',
    ],
    [
      'exposed header hidden',
      { ...matching, observation: { ...matching.observation, headers: { 'X-Total-Count': null, 'Custom-Header': null } } },
      'header X-Total-Count',
    ],
    ['handler runs', { ...matching, traffic: { ...matching.traffic, handlerRuns: 0 } }, 'handler runs'],
    ['preflights', { ...matching, traffic: { ...matching.traffic, preflights: 2 } }, 'preflights'],
    ['origin', { ...matching, traffic: { ...matching.traffic, origin: 'null' } }, 'Origin'],
  ];
  for (const [what, actual, prefix] of cases) {
    const found = mismatches(expected, actual, 'http://127.0.0.1:1');
    assert.equal(found.length, 1, `${what}: ${found.join('; ')}`);
    assert.ok(found[0]!.startsWith(prefix), `${what}: ${found[0]}`);
  }
});

test('engine-specific expectations replace only the fields they name', () => {
  const scenario = SCENARIOS.find((s) => s.id === 'cache-no-store-request');
  assert.ok(scenario, 'the table has cache-no-store-request');
  const step = scenario.steps[1]!;
  assert.equal(expectationFor(step, 'chromium').preflights, 1);
  assert.equal(expectationFor(step, 'webkit').preflights, 0);
  assert.equal(expectationFor(step, 'webkit').outcome, 'succeeds');
});
