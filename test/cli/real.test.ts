/**
 * `check --real` where what it needs is not installed: the built CLI, copied with its
 * package.json into a directory with no node_modules above it, must say which package to install
 * for each engine and exit 2, without launching anything; WebKit without a MiniBrowser, or
 * without a display, says that. (The browsers themselves: test/browsers/real.test.ts.)
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { listen } from '../support/server.js';
import { checkJson, corsguard } from './support.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

test('check --real without playwright-core or puppeteer-core names the package to install, exit 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'corsguard-no-peers-'));
  const api = await listen((_req, res) => res.end('ok'));
  try {
    cpSync(join(root, 'dist'), join(dir, 'dist'), { recursive: true });
    cpSync(join(root, 'package.json'), join(dir, 'package.json'));
    // Executables that exist, so the missing driver is what stops each engine; WebKit needs no
    // package, so its browser is what is missing.
    const env = {
      ...process.env,
      CORSGUARD_CHROMIUM_PATH: process.execPath,
      CORSGUARD_FIREFOX_PATH: process.execPath,
      CORSGUARD_MINIBROWSER_PATH: join(dir, 'no-MiniBrowser'),
    };
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
      execFile(
        process.execPath,
        [join(dir, 'dist/cli/main.js'), 'check', `${api.url}/`, '--origin', 'http://localhost:3000', '--real', '--skip-probes', '--json'],
        { env, timeout: 30_000 },
        (error, stdout, stderr) => {
          if (error !== null && typeof error.code !== 'number') reject(error);
          else resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
        },
      );
    });
    const { verdicts } = JSON.parse(run.stdout) as { verdicts: Record<string, { real: { ran: boolean; unavailable: string } }> };
    assert.deepEqual(verdicts['chromium']!.real, {
      ran: false,
      unavailable: 'the optional package playwright-core is not installed (npm install --save-dev playwright-core)',
    });
    assert.deepEqual(verdicts['firefox']!.real, {
      ran: false,
      unavailable: 'the optional package puppeteer-core is not installed (npm install --save-dev puppeteer-core)',
    });
    assert.deepEqual(verdicts['webkit']!.real, {
      ran: false,
      unavailable: `CORSGUARD_MINIBROWSER_PATH (${join(dir, 'no-MiniBrowser')}) is not an executable`,
    });
    assert.match(run.stderr, /--real: no browser could run the request/);
    assert.equal(run.code, 2);
  } finally {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('check --real --browser webkit without a display or Xvfb says WebKit needs one, exit 2', async () => {
  const api = await listen((_req, res) => res.end('ok'));
  try {
    // An executable stands in for MiniBrowser: the missing display stops WebKit before it starts.
    const env = {
      CORSGUARD_MINIBROWSER_PATH: process.execPath,
      CORSGUARD_XVFB_PATH: join(tmpdir(), 'corsguard-no-Xvfb'),
      DISPLAY: '',
      WAYLAND_DISPLAY: '',
    };
    const run = await corsguard(
      ['check', `${api.url}/`, '--origin', 'http://localhost:3000', '--real', '--browser', 'webkit', '--skip-probes', '--json'],
      env,
    );
    const { verdicts } = JSON.parse(run.stdout) as { verdicts: Record<string, { real: unknown }> };
    assert.deepEqual(verdicts['webkit']!.real, {
      ran: false,
      unavailable:
        'WebKitGTK needs a display: DISPLAY is not set and no Xvfb was found (on PATH, or at CORSGUARD_XVFB_PATH; Debian package xvfb)',
    });
    assert.equal(run.code, 2);
  } finally {
    await api.close();
  }
});

test("check's predicted console messages spell Access-Control-Allow-Origin as the engines print it", async () => {
  // The spelling `check --real` found Chromium 156, Firefox ESR 153 and WebKitGTK 2.50 printing
  // (the lines test/browsers/real.test.ts compares), whatever case the server wrote the header in.
  const api = await listen((_req, res) => res.end('ok'));
  try {
    const url = `${api.url}/items`;
    const { report } = await checkJson([url, '--origin', 'http://localhost:3000', '--skip-probes']);
    assert.deepEqual((report as unknown as { consoleMessages: Record<string, string> }).consoleMessages, {
      chromium: `Access to fetch at '${url}' from origin 'http://localhost:3000' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.`,
      firefox: `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${url}. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 200.`,
      webkit: 'Origin http://localhost:3000 is not allowed by Access-Control-Allow-Origin. Status code: 200',
    });
  } finally {
    await api.close();
  }
});
