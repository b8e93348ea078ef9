// Builds the published package: the ES modules (with the CLI and the demo) into dist/, and the
// library's CommonJS build into dist/cjs/ for require(), Jest and TypeScript's `module: commonjs`.
// dist/ is removed first, so a deleted or renamed source never ships a stale file. The two
// compilations are independent, so they run side by side.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

function compile(project) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, '-p', project], { cwd: root, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tsc -p ${project} exited with ${code}`))));
  });
}

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
try {
  await Promise.all([compile('tsconfig.build.json'), compile('tsconfig.build.cjs.json')]);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
// The package is "type": "module"; this marks dist/cjs/**/*.js (and its .d.ts) as CommonJS.
mkdirSync(new URL('../dist/cjs', import.meta.url), { recursive: true });
writeFileSync(new URL('../dist/cjs/package.json', import.meta.url), '{\n  "type": "commonjs"\n}\n');
