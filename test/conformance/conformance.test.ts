import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { NODE_TARGETS } from './adapters.js';
import { CASES } from './cases.js';
import { runConformance } from './run.js';

it('the conformance table has at least 60 cases, with unique names', () => {
  assert.ok(CASES.length >= 60, `only ${CASES.length} cases`);
  const names = CASES.map((c) => `${c.config} ${c.name}`);
  assert.equal(new Set(names).size, names.length);
});

it('docs/frameworks.md states the number of cases and every difference a framework has', () => {
  const docs = readFileSync(new URL('../../../docs/frameworks.md', import.meta.url), 'utf8');
  assert.ok(docs.includes(`(${CASES.length} cases:`), `docs/frameworks.md should say ${CASES.length} cases`);
  assert.ok(docs.includes(`table of\n${CASES.length} requests`), `docs/frameworks.md should say ${CASES.length} requests`);
  for (const testCase of CASES) {
    for (const [adapter, difference] of Object.entries(testCase.differences ?? {})) {
      assert.ok(docs.includes(difference.why), `${testCase.name}: the ${adapter} difference is not in docs/frameworks.md`);
    }
  }
});

for (const target of NODE_TARGETS) runConformance(target);
