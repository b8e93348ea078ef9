/**
 * The package as a user meets it: `npm pack` (what `npm publish` uploads), then `npm install` of that
 * tarball into a throwaway project. Shared by the tests of the packed package.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../..', import.meta.url));

export interface Output {
  readonly stdout: string;
  readonly stderr: string;
}

/** A program that failed: its exit status (null when killed, e.g. at its timeout) and its output. */
export class RunError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`${message}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`);
  }
}

/**
 * Runs a program to completion and resolves with its output; rejects with a RunError on a non-zero exit,
 * or when it outlives `timeoutMs` (it is then killed).
 */
export function run(file: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<Output> {
  return new Promise((resolve, reject) => {
    const options = { cwd, timeout: timeoutMs, killSignal: 'SIGKILL' as const, maxBuffer: 16 * 1024 * 1024, env: childEnv() };
    execFile(file, args, options, (error, stdout, stderr) => {
      if (error === null) resolve({ stdout, stderr });
      else {
        const exitCode = typeof error.code === 'number' ? error.code : null;
        reject(new RunError(`${[file, ...args].join(' ')} (in ${cwd}) failed: ${error.message}`, exitCode, stdout, stderr));
      }
    });
  });
}

/**
 * The environment without what `npm test` exports to its scripts (npm_config_*, npm_package_*...), so
 * that an `npm` run in a consumer project is configured as in a user's shell, not as this package.
 */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!/^npm_/i.test(name)) env[name] = value;
  return env;
}

export interface Packed {
  /** Absolute path of the .tgz. */
  readonly tarball: string;
  /** Paths inside the package (`package/` stripped), e.g. `dist/index.js`. */
  readonly files: readonly string[];
}

function assertBuilt(): void {
  if (!existsSync(join(root, 'dist', 'cjs', 'package.json'))) {
    throw new Error('dist/ is not built: run `npm run build` (npm test does it first).');
  }
}

/**
 * `npm pack` into `destination`. Its `prepack` script (the build) is skipped: `npm test` has built dist/
 * already, and rebuilding it here would pull it from under the tests running beside this one.
 */
export async function pack(destination: string): Promise<Packed> {
  assertBuilt();
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], root, 120_000);
  return packResult(stdout, destination);
}

/** What `npm pack` would put in the tarball, without writing it. */
export async function packedFiles(): Promise<readonly string[]> {
  assertBuilt();
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--dry-run'], root, 120_000);
  return packResult(stdout, root).files;
}

function packResult(stdout: string, destination: string): Packed {
  const [result] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  if (result === undefined) throw new Error(`npm pack printed no result: ${stdout}`);
  return { tarball: join(destination, result.filename), files: result.files.map((f) => f.path) };
}

/**
 * A fresh project in `dir` with the given package.json and files, and the tarball installed with a plain
 * `npm install <tarball>` (offline: corsguard has no dependencies, so nothing else is fetched); resolves
 * with npm's output.
 */
export async function consumerProject(dir: string, packageJson: object, files: Record<string, string>, tarball: string): Promise<Output> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ version: '1.0.0', private: true, ...packageJson }, null, 2));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return run('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], dir, 120_000);
}

/**
 * Makes packages this repository has installed (typescript, jest, a framework) available to a consumer
 * project, as if it had them: a symlink each, added after `npm install`, which would prune them.
 */
export function linkFromRepository(dir: string, names: readonly string[]): void {
  for (const name of names) {
    const target = join(root, 'node_modules', name);
    if (!existsSync(target)) throw new Error(`${name} is not installed in this repository (npm install)`);
    const link = join(dir, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(target, link, 'dir');
  }
}

/** The package's entry points as a user writes them: `corsguard`, `corsguard/node`... (from `exports`). */
export function entryPoints(): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
  return Object.keys(pkg.exports)
    .filter((key) => key !== './package.json')
    .map((key) => (key === '.' ? 'corsguard' : `corsguard/${key.slice(2)}`));
}
