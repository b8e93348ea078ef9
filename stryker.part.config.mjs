// One part of the library's mutation run (`CORSGUARD_MUTATE_PART=<part> npm run mutate:part`), for
// machines where the whole run does not fit in one sitting: each part writes its own report under
// reports/mutation/parts/, and scripts/merge-mutation-reports.mjs joins the parts into
// reports/mutation/mutation.json. Every mutant is run against the same fast suites as in
// `npm run mutate`; only the bookkeeping is split, and the part's own unit tests run first.
import base, { ADAPTER_DIRS, FAST_SUITES } from './stryker.config.mjs';

export const PARTS = {
  protocol: { mutate: ['src/protocol/**/*.ts'], ownTests: ['build/src/protocol/**/*.test.js'] },
  'browser-model': { mutate: ['src/cli/browser-model.ts'], ownTests: ['build/src/cli/browser-model*.test.js'] },
  adapters: {
    mutate: [`src/{${ADAPTER_DIRS.join(',')}}/**/*.ts`],
    ownTests: ADAPTER_DIRS.map((dir) => `build/src/${dir}/**/*.test.js`),
  },
  core: { mutate: ['src/core/**/*.ts'], ownTests: ['build/src/core/**/*.test.js'] },
};

const part = process.env.CORSGUARD_MUTATE_PART ?? '';
if (!Object.hasOwn(PARTS, part)) {
  throw new Error(`CORSGUARD_MUTATE_PART must be one of: ${Object.keys(PARTS).join(', ')} (got "${part}")`);
}
const { mutate, ownTests } = PARTS[part];

export default {
  ...base,
  mutate: [...mutate, '!src/**/*.test.ts'],
  tap: { ...base.tap, testFiles: [...ownTests, ...FAST_SUITES] },
  htmlReporter: { fileName: `reports/mutation/parts/${part}.html` },
  jsonReporter: { fileName: `reports/mutation/parts/${part}.json` },
  incrementalFile: `reports/mutation/parts/${part}.json`,
};
