// What each entry point adds to an application's bundle: esbuild bundles `import { <every runtime
// export> } from 'corsguard/<entry>'` from the built package (dist/, resolved through package.json
// `exports` as an application would), minified; the gzipped figure is gzip -9 of that output.
//
// Usage: node scripts/bundle-size.mjs           print the table (build first: npm run build)
//        node scripts/bundle-size.mjs --write   also replace the table in README.md (between the
//                                               bundle-size markers)
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const esbuildVersion = JSON.parse(readFileSync(new URL('node_modules/esbuild/package.json', root), 'utf8')).version;

const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

const rows = [];
for (const subpath of Object.keys(pkg.exports).filter((key) => key !== './package.json')) {
  const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
  const names = Object.keys(await import(specifier)).sort();
  const result = await build({
    stdin: { contents: `export { ${names.join(', ')} } from '${specifier}';`, resolveDir: new URL('.', root).pathname },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  rows.push(
    `| \`${specifier}\` | ${names.map((n) => `\`${n}\``).join(', ')} | ${kB(code.length)} | ${kB(gzipSync(code, { level: 9 }).length)} |`,
  );
}

const table = [
  '| Entry point | Imports | Minified | Gzipped |',
  '|---|---|---:|---:|',
  ...rows,
  '',
  `Measured by \`node scripts/bundle-size.mjs\` (esbuild ${esbuildVersion}, \`--bundle --minify --format=esm --platform=node\`, gzip -9).`,
].join('\n');
console.log(table);

if (process.argv.includes('--write')) {
  const readmeUrl = new URL('README.md', root);
  const readme = readFileSync(readmeUrl, 'utf8');
  const markers = /(<!-- bundle-size:start -->\n)[\s\S]*?(<!-- bundle-size:end -->)/;
  if (!markers.test(readme)) {
    console.error('README.md has no <!-- bundle-size:start --> ... <!-- bundle-size:end --> markers');
    process.exit(1);
  }
  writeFileSync(
    readmeUrl,
    readme.replace(markers, (_all, start, end) => `${start}${table}\n${end}`),
  );
  console.error('README.md updated');
}
