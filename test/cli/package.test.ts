/** The packed package installs a working `corsguard` executable (what `npx corsguard` runs). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consumerProject, pack, root, run, RunError } from '../package/packed.js';

test('npm pack, npm install: node_modules/.bin/corsguard runs the CLI', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'corsguard-bin-'));
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    assert.equal(pkg.bin['corsguard'], 'dist/cli/main.js');
    assert.match(readFileSync(join(root, pkg.bin['corsguard']!), 'utf8'), /^#!\/usr\/bin\/env node\n/);
    const { tarball } = await pack(dir);
    const project = join(dir, 'consumer');
    await consumerProject(project, { name: 'consumer' }, {}, tarball);
    const bin = join(project, 'node_modules', '.bin', 'corsguard');
    const help = await run(bin, ['--help'], project, 60_000);
    assert.match(help.stdout, /Usage: corsguard <command>/);
    const refused = await run(bin, ['check', 'http://127.0.0.1:1/', '--origin', 'https://a.example'], project, 60_000).then(
      () => assert.fail('exit status 0 for a refused connection'),
      (error: unknown) => {
        assert.ok(error instanceof RunError, String(error));
        return error;
      },
    );
    assert.equal(refused.exitCode, 2);
    assert.match(refused.stderr, /connection refused/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
