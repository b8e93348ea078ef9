/**
 * What the tarball holds (`npm pack --dry-run`, the list `npm publish` uploads) and what installing it
 * runs: the license, every document the README links to, each file package.json names, and no
 * install-time script.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { packedFiles, root } from './packed.js';

interface ConditionalTarget {
  readonly types: string;
  readonly default: string;
}
interface Manifest {
  license: string;
  main: string;
  types: string;
  typesVersions: Record<string, Record<string, string[]>>;
  bin: Record<string, string>;
  exports: Record<string, { import: ConditionalTarget; require: ConditionalTarget } | string>;
  scripts: Record<string, string>;
}
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;

let packed: ReadonlySet<string> = new Set();
before(async () => {
  packed = new Set(await packedFiles());
});

/** `./dist/x.js` → `dist/x.js`, as npm lists the tarball. */
function packagePath(target: string): string {
  return posix.normalize(target);
}

function isPacked(path: string): boolean {
  return packed.has(path) || [...packed].some((file) => file.startsWith(`${path}/`));
}

/** Relative link targets of a markdown text (fenced code and inline code excluded), anchors stripped. */
function relativeLinks(markdown: string): string[] {
  const prose = markdown.replace(/^```[^\n]*\n[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  const targets: string[] = [];
  for (const match of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)|\b(?:href|src)="([^"]+)"/g)) {
    const target = match[1] ?? match[2] ?? '';
    if (target.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    targets.push(decodeURI(target.replace(/#.*$/, '')));
  }
  return targets;
}

test('the tarball holds the README, an MIT LICENSE (as package.json says), and every file the README links to', () => {
  assert.ok(packed.has('README.md'));
  assert.ok(packed.has('LICENSE'), 'LICENSE is not in the tarball');
  assert.equal(manifest.license, 'MIT');
  const license = readFileSync(join(root, 'LICENSE'), 'utf8');
  assert.match(license, /^MIT License\n\nCopyright \(c\) \d{4} corsguard contributors\n/);
  // Follow the links through the documents they reach, as a reader on the npm page would.
  const missing: string[] = [];
  const seen = new Set<string>();
  const queue = ['README.md'];
  for (let document = queue.shift(); document !== undefined; document = queue.shift()) {
    if (seen.has(document)) continue;
    seen.add(document);
    for (const target of relativeLinks(readFileSync(join(root, document), 'utf8'))) {
      const path = posix.normalize(posix.join(posix.dirname(document), target)).replace(/\/$/, '');
      if (path.startsWith('../') || !isPacked(path)) missing.push(`${document} → ${target}`);
      else if (path.endsWith('.md')) queue.push(path);
    }
  }
  assert.deepEqual(missing, [], 'links to files outside the tarball');
  assert.ok(seen.size > 1, 'the README links to no document (was the link syntax misread?)');
});

test('the tarball holds no tests, sources or build output of the repository', () => {
  const stray = [...packed].filter((file) => /\.test\.|(^|\/)test-support\//.test(file) || /^(src|test|build|bench|scripts)\//.test(file));
  assert.deepEqual(stray, []);
});

test('installing the package runs nothing: no install-time scripts, the build runs at prepack', () => {
  // npm runs these on a consumer's `npm install` (prepare too, for git and local installs).
  for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) {
    assert.equal(manifest.scripts[hook], undefined, `package.json has a "${hook}" script`);
  }
  // `npm pack` and `npm publish` build first, so a tarball never ships a stale or missing dist/.
  assert.match(manifest.scripts['prepack'] ?? '', /scripts\/build\.mjs/);
  // A fresh clone has no dist/: `npm test` and `npm run demo` build it themselves.
  assert.match(manifest.scripts['pretest'] ?? '', /scripts\/build\.mjs/);
  assert.match(manifest.scripts['predemo'] ?? '', /tsconfig\.build\.json|scripts\/build\.mjs/);
});

test('each entry point has import and require conditions, each with its own types, and node10 finds the require types', () => {
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    if (subpath === './package.json') continue;
    assert.equal(typeof target, 'object', subpath);
    const { import: esm, require: cjs } = target as { import: ConditionalTarget; require: ConditionalTarget };
    // "types" must come first: TypeScript takes the first condition that matches.
    assert.deepEqual(Object.keys(esm), ['types', 'default'], `${subpath} import`);
    assert.deepEqual(Object.keys(cjs), ['types', 'default'], `${subpath} require`);
    assert.ok(!esm.default.startsWith('./dist/cjs/') && cjs.default.startsWith('./dist/cjs/'), subpath);
    assert.equal(esm.types, esm.default.replace(/\.js$/, '.d.ts'), subpath);
    assert.equal(cjs.types, cjs.default.replace(/\.js$/, '.d.ts'), subpath);
    // moduleResolution node10 (TypeScript's `module: commonjs`) ignores exports: typesVersions maps the subpaths.
    if (subpath === '.') assert.deepEqual([manifest.main, manifest.types], [cjs.default, cjs.types]);
    else assert.deepEqual(manifest.typesVersions['*']?.[subpath.slice(2)], [cjs.types], `typesVersions for ${subpath}`);
  }
  assert.equal(Object.keys(manifest.typesVersions['*'] ?? {}).length, Object.keys(manifest.exports).length - 2);
});

test('every file package.json names is in the tarball, and dist/cjs is marked CommonJS', () => {
  const named = [manifest.main, manifest.types, ...Object.values(manifest.bin), ...Object.values(manifest.typesVersions['*'] ?? {}).flat()];
  for (const target of Object.values(manifest.exports)) {
    if (typeof target === 'string') named.push(target);
    else named.push(target.import.types, target.import.default, target.require.types, target.require.default);
  }
  assert.deepEqual(
    named.map(packagePath).filter((path) => !packed.has(path)),
    [],
  );
  assert.ok(packed.has('dist/cjs/package.json'));
  assert.deepEqual(JSON.parse(readFileSync(join(root, 'dist/cjs/package.json'), 'utf8')), { type: 'commonjs' });
});

test('every library directory of src/ is an entry point, and the CLI and the demo are not', () => {
  const libraries = readdirSync(join(root, 'src'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, 'src', entry.name, 'index.ts')))
    .map((entry) => `./${entry.name}`);
  const exported = Object.keys(manifest.exports).filter((key) => key !== '.' && key !== './package.json');
  assert.deepEqual(exported.sort(), libraries.sort());
  for (const internal of ['./cli', './demo']) assert.ok(!exported.includes(internal), internal);
});
