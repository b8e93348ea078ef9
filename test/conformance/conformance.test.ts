import { NODE_TARGETS } from './adapters.js';
import { CASES } from './cases.js';
import { runConformance } from './run.js';
import assert from 'node:assert/strict';
import { it } from 'node:test';

it('the conformance table has at least 60 cases, with unique names', () => {
  assert.ok(CASES.length >= 60, `only ${CASES.length} cases`);
  const names = CASES.map((c) => `${c.config} ${c.name}`);
  assert.equal(new Set(names).size, names.length);
});

for (const target of NODE_TARGETS) runConformance(target);
