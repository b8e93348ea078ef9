/**
 * Starting Bun, Deno and workerd (through Miniflare), all from node_modules, on loopback
 * port 0. Every process started here is stopped by its own pid when the server is closed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Miniflare } from 'miniflare';
import type { RunningServer } from '../support/server.js';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BUN = join(ROOT, 'node_modules/.bin/bun');
export const DENO = join(ROOT, 'node_modules/.bin/deno');
const WORK = join(ROOT, 'build/runtimes');

/** Longest wait for a runtime to start listening: a guard against a hang, not a measurement. */
const START_LIMIT_MS = 60_000;

/** Spawns a server process and resolves once it prints `listening <url>`. */
export function startProcess(command: string, args: readonly string[], env: Record<string, string> = {}): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const fail = (why: string): void => {
      child.kill();
      reject(new Error(`${command} ${args.join(' ')}: ${why}\nstdout: ${stdout}\nstderr: ${stderr}`));
    };
    const timer = setTimeout(() => fail('did not start listening in time'), START_LIMIT_MS);
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!stdout.includes('listening ')) reject(new Error(`${command} exited with ${code}\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      const before = stdout.includes('listening ');
      stdout += chunk.toString();
      const match = /listening (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (!before && match !== null) {
        clearTimeout(timer);
        resolve({
          url: match[1]!,
          close: async () => {
            if (child.exitCode === null) child.kill();
            await exited;
          },
        });
      }
    });
  });
}

/** Bundles an ES module and what it imports into one file for workerd, as wrangler would. */
export function bundle(entry: string, name: string): string {
  mkdirSync(WORK, { recursive: true });
  const outfile = join(WORK, name);
  const result = spawnSync(BUN, ['build', entry, '--target=browser', '--format=esm', `--outfile=${outfile}`], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`bun build ${entry} failed:\n${result.stdout}\n${result.stderr}`);
  return outfile;
}

/** Runs a bundled Worker module on workerd; `path` is prepended to the returned URL. */
export async function startWorker(script: string, path = ''): Promise<RunningServer> {
  const miniflare = new Miniflare({
    modules: true,
    scriptPath: script,
    compatibilityDate: '2025-01-01',
    host: '127.0.0.1',
    port: 0,
  });
  const url = await miniflare.ready;
  return { url: new URL(path, url).href.replace(/\/$/, ''), close: () => miniflare.dispose() };
}

/**
 * The import map a Deno project gets from `deno add npm:corsguard`, pointed at this
 * repository's dist/ (Deno itself finds `hono` in node_modules through package.json).
 */
export function denoImportMap(): string {
  const file = join(WORK, 'import-map.json');
  mkdirSync(dirname(file), { recursive: true });
  const dist = (entry: string): string => pathToFileURL(join(ROOT, 'dist', entry, 'index.js')).href;
  writeFileSync(file, JSON.stringify({ imports: { 'corsguard/fetch': dist('fetch'), 'corsguard/hono': dist('hono') } }));
  return file;
}

/** `deno run` with only what the servers need: loopback, reading this repository, PORT. */
export function denoArgs(script: string): string[] {
  return ['run', '--no-lock', `--import-map=${denoImportMap()}`, '--allow-net=127.0.0.1', `--allow-read=${ROOT}`, '--allow-env', script];
}
