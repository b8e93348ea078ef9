// The parts a mutation run can be split into (stryker.part.config.mjs) and the files they must cover
// together (scripts/merge-mutation-reports.mjs). Importable without choosing a part.
import { readdirSync } from 'node:fs';
import { ADAPTER_DIRS } from '../stryker.config.mjs';

export const PARTS = {
  protocol: { mutate: ['src/protocol/**/*.ts'], ownTests: ['build/src/protocol/**/*.test.js'] },
  'browser-model': { mutate: ['src/cli/browser-model.ts'], ownTests: ['build/src/cli/browser-model*.test.js'] },
  adapters: {
    mutate: [`src/{${ADAPTER_DIRS.join(',')}}/**/*.ts`],
    ownTests: ADAPTER_DIRS.map((dir) => `build/src/${dir}/**/*.test.js`),
  },
  core: { mutate: ['src/core/**/*.ts'], ownTests: ['build/src/core/**/*.test.js'] },
};

/** The report file of a part: a file part's path with its slashes as `~` (src~protocol~origin.ts). */
export const partReportName = (part) => part.replaceAll('/', '~');

/** Every file the whole run mutates (`mutate` in stryker.config.mjs), as a path from the repository root. */
export function libraryFiles() {
  const under = (dir) =>
    readdirSync(dir, { recursive: true })
      .filter(
        (name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.generated.ts') && !name.includes('test-support/'),
      )
      .map((name) => `${dir}/${name}`);
  return [
    ...under('src/core'),
    ...under('src/protocol'),
    ...ADAPTER_DIRS.flatMap((dir) => under(`src/${dir}`)),
    'src/cli/browser-model.ts',
  ].sort();
}
