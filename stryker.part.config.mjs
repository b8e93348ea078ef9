// One part of the library's mutation run (`CORSGUARD_MUTATE_PART=<part> npm run mutate:part`), for machines where the whole
// run does not fit in one sitting: each part writes its own report under reports/mutation/parts/, and
// scripts/merge-mutation-reports.mjs joins the parts into reports/mutation/mutation.json. Every mutant is
// still run against the same fast suites as in `npm run mutate`; only the bookkeeping is split.
import base from './stryker.config.mjs';

export const PARTS = {
  spec: ['src/spec/**/*.ts'],
  'browser-model': ['src/cli/browser-model.ts'],
  adapters: ['src/{node,fetch,express,fastify,koa,hono}/**/*.ts'],
  core: ['src/core/**/*.ts'],
};

const part = process.env.CORSGUARD_MUTATE_PART ?? '';
if (!Object.hasOwn(PARTS, part)) {
  throw new Error(`CORSGUARD_MUTATE_PART must be one of: ${Object.keys(PARTS).join(', ')} (got "${part}")`);
}

export default {
  ...base,
  mutate: [...PARTS[part], '!src/**/*.test.ts'],
  htmlReporter: { fileName: `reports/mutation/parts/${part}.html` },
  jsonReporter: { fileName: `reports/mutation/parts/${part}.json` },
  incrementalFile: `reports/mutation/parts/${part}.json`,
};
