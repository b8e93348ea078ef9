/**
 * What an application bundles when it imports an entry point: esbuild's own resolution (package
 * exports, import and require conditions) over the built dist/, and the files it pulls in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { entryPoints, root } from './packed.js';

/** The files bundled for `import ... from specifier` (or `require(specifier)`), as paths from the root. */
async function bundledFiles(specifier: string, how: 'import' | 'require'): Promise<string[]> {
  const result = await build({
    stdin: { contents: how === 'import' ? `export * from '${specifier}';` : `module.exports = require('${specifier}');`, resolveDir: root },
    bundle: true,
    write: false,
    platform: 'node',
    format: how === 'import' ? 'esm' : 'cjs',
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs).filter((input) => input !== '<stdin>');
}

/**
 * corsguard/testing runs `check` in a test suite, so it takes the browser model and check's own
 * modules (the HTTP client, the redirect rules, the JSON report), but not the command line.
 */
const TESTING = 'corsguard/testing';
const CHECK_MODULES =
  /^dist\/(cjs\/)?cli\/(browser-model|check|console-messages|mixed-content|http|redirects|problems|format-check|style|terminal-text)\.js$/;

for (const how of ['import', 'require'] as const) {
  test(`${how}: no entry point pulls in the CLI, the demo or the browser model (corsguard/testing only check's modules), nor the other build`, async () => {
    for (const specifier of entryPoints()) {
      const files = await bundledFiles(specifier, how);
      assert.ok(files.length > 0, specifier);
      const strays = files.filter(
        (file) => /^dist\/(cjs\/)?(cli|demo)\/|browser-model/.test(file) && !(specifier === TESTING && CHECK_MODULES.test(file)),
      );
      assert.deepEqual(strays, [], `${how} '${specifier}' bundles the CLI or the demo`);
      if (specifier === TESTING)
        assert.ok(
          files.some((file) => /browser-model\.js$/.test(file)),
          'corsguard/testing runs the browser model',
        );
      // One module system per program: a require() that reached an ES module file (or the reverse)
      // would load a second copy of the policy.
      const otherBuild = files.filter((file) => (how === 'require') !== file.startsWith('dist/cjs/'));
      assert.deepEqual(otherBuild, [], `${how} '${specifier}' mixes the two builds`);
    }
  });
}

test('the README reports the bundle size of every entry point (scripts/bundle-size.mjs --write)', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const table = /<!-- bundle-size:start -->([\s\S]*?)<!-- bundle-size:end -->/.exec(readme)?.[1] ?? '';
  for (const specifier of entryPoints()) assert.match(table, new RegExp(`\\| \`${specifier}\` \\|`), specifier);
});
