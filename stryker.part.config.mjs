// One part of the library's mutation run (`CORSGUARD_MUTATE_PART=<part> npm run mutate:part`), for
// machines where the whole run does not fit in one sitting: each part writes its own report under
// reports/mutation/parts/, and scripts/merge-mutation-reports.mjs joins the parts into
// reports/mutation/mutation.json. Every mutant is run against the same fast suites as in
// `npm run mutate`; only the bookkeeping is split, and the part's own unit tests run first.
//
// A part is one of PARTS, or a single library file (`CORSGUARD_MUTATE_PART=src/protocol/origin.ts`):
// the smallest piece that keeps its result if the machine is needed before a whole part finishes.
// Parts may be of either kind as long as no file is in two of them (the merge refuses that).
import { PARTS, libraryFiles, partReportName } from './scripts/mutation-parts.mjs';
import base, { FAST_SUITES } from './stryker.config.mjs';

/** A single library file as a part: the unit tests of its own folder run first. */
function filePart(file) {
  if (!libraryFiles().includes(file)) return undefined;
  return { mutate: [file], ownTests: [`build/${file.slice(0, file.lastIndexOf('/'))}/*.test.js`] };
}

const part = process.env.CORSGUARD_MUTATE_PART ?? '';
const chosen = Object.hasOwn(PARTS, part) ? PARTS[part] : filePart(part);
if (chosen === undefined) {
  throw new Error(
    `CORSGUARD_MUTATE_PART must be one of: ${Object.keys(PARTS).join(', ')}, or one library file such as src/protocol/origin.ts (got "${part}")`,
  );
}
const { mutate, ownTests } = chosen;
const report = `reports/mutation/parts/${partReportName(part)}`;

export default {
  ...base,
  mutate: [...mutate, '!src/**/*.test.ts', '!src/**/test-support/**', '!src/**/*.generated.ts'],
  tap: { ...base.tap, testFiles: [...ownTests, ...FAST_SUITES] },
  htmlReporter: { fileName: `${report}.html` },
  jsonReporter: { fileName: `${report}.json` },
  incrementalFile: `${report}.json`,
};
