/** The packed package installs a working `corsguard` executable (what `npx corsguard` runs). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../..', import.meta.url));

test('npm pack, npm install: node_modules/.bin/corsguard runs the CLI', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'corsguard-bin-'));
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };
    assert.equal(pkg.bin['corsguard'], 'dist/cli/main.js');
    assert.match(readFileSync(join(root, pkg.bin['corsguard']!), 'utf8'), /^#!\/usr\/bin\/env node\n/);
    // dist/ is already built by `npm test`; skip the prepare script.
    await run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: root });
    writeFileSync(join(dir, 'package.json'), '{"name":"consumer","version":"1.0.0","private":true}');
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', `./corsguard-${pkg.version}.tgz`], { cwd: dir });
    const help = await run(join(dir, 'node_modules', '.bin', 'corsguard'), ['--help']);
    assert.match(help.stdout, /Usage: corsguard <command>/);
    const refused = await run(join(dir, 'node_modules', '.bin', 'corsguard'), ['check', 'http://127.0.0.1:1/', '--origin', 'https://a.example']).then(
      () => assert.fail('exit status 0 for a refused connection'),
      (error: { code: number; stderr: string }) => error,
    );
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /connection refused/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
