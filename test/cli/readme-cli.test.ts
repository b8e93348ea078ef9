/**
 * The README's `check curl ...` and `scan --openapi ...` examples, run as written (split by the
 * same shell-word parser `check` uses), with only the API's address swapped for a loopback server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile } from 'node:child_process';
import { stringify } from 'yaml';
import { shellWords } from '../../src/cli/curl-args.js';
import { withCors } from '../../src/node/index.js';
import { listen } from '../support/server.js';
import { CLI_PATH } from './support.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const README_API = 'http://localhost:8000';

/** The README command that starts with `start`, continuation lines joined, as words. */
function readmeCommand(start: string): string[] {
  const lines = readFileSync(join(root, 'README.md'), 'utf8').split('\n');
  let at = lines.findIndex((line) => line.startsWith(start));
  assert.notEqual(at, -1, `README has a line starting with ${start}`);
  let text = lines[at]!;
  while (text.endsWith('\\')) text += `\n${lines[++at]}`;
  const words = shellWords(text);
  assert.deepEqual(words.slice(0, 2), ['npx', 'corsguard']);
  return words.slice(2);
}

function run(args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI_PATH, ...args], { cwd }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

test('README: the pasted "Copy as cURL" check and the scan --openapi example run as written', async () => {
  const server = await listen(
    withCors((_req, res) => res.end('{}'), {
      allowOrigins: ['http://localhost:3000'],
      allowCredentials: true,
      allowMethods: ['PUT'],
      allowHeaders: ['Content-Type'],
      onWarning: () => {},
    }),
  );
  const dir = mkdtempSync(join(tmpdir(), 'corsguard-readme-'));
  const local = (words: string[]): string[] => words.map((w) => w.split(README_API).join(server.url));
  try {
    const check = await run(local(readmeCommand('npx corsguard check curl ')), dir);
    assert.equal(check.code, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /corsguard check: PUT .*\/api\/items\n {2}from origin http:\/\/localhost:3000, credentials 'include'/);

    const scan = readmeCommand('npx corsguard scan --openapi ');
    writeFileSync(
      join(dir, scan[scan.indexOf('--openapi') + 1]!),
      stringify({ openapi: '3.0.3', paths: { '/api/items': { get: {}, put: { requestBody: { content: { 'application/json': {} } } } } } }),
    );
    const scanned = await run(local(scan), dir);
    assert.equal(scanned.code, 0, scanned.stdout + scanned.stderr);
    assert.match(scanned.stdout, /All 2 operations are allowed in chromium, firefox, webkit\./);
    assert.match(
      readFileSync(join(dir, scan[scan.indexOf('--junit') + 1]!), 'utf8'),
      /<testsuites name="corsguard scan --openapi" tests="6" failures="0">/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.close();
  }
});
