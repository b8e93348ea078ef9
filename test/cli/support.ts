/**
 * Running the built `corsguard` executable as a child process, and servers that answer CORS
 * exactly as scripted (several lines of one header included), for the CLI's end-to-end tests.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
export const CLI_PATH = `${root}dist/cli/main.js`;

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node dist/cli/main.js ...args` without a terminal (plain output unless env says otherwise). */
export function corsguard(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    if (!('FORCE_COLOR' in env)) delete childEnv['FORCE_COLOR'];
    execFile(process.execPath, [CLI_PATH, ...args], { env: childEnv, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number') {
        reject(error);
        return;
      }
      resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
    });
  });
}

/** Runs `check ... --json` and parses the report. */
export async function checkJson(args: readonly string[]): Promise<{ code: number; report: CheckJson; stderr: string }> {
  const run = await corsguard(['check', ...args, '--json']);
  let report: CheckJson;
  try {
    report = JSON.parse(run.stdout) as CheckJson;
  } catch {
    throw new Error(`check printed no JSON (exit ${run.code}): ${run.stdout}\n${run.stderr}`);
  }
  return { code: run.code, report, stderr: run.stderr };
}

export interface CheckJson {
  allowed: boolean;
  preflight: boolean;
  responseReadable: boolean;
  status: number | null;
  problems: { id: string; severity: string; message: string; fix: string }[];
  readHeaders: { name: string; readable: boolean; present: boolean }[];
  preflightCacheSeconds: Record<string, number> | null;
  exchanges: { step: string; request: { method: string; url: string; headers: [string, string][] }; response: { status: number } }[];
}

/** A scripted answer: status, header lines (a name may repeat) and body. */
export interface Reply {
  readonly status?: number;
  readonly headers?: readonly (readonly [string, string])[];
  readonly body?: string;
}

/** A listener that answers every request with what `route` returns. */
export function scripted(route: (req: IncomingMessage) => Reply): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const reply = route(req);
    const lines = new Map<string, string[]>();
    for (const [name, value] of reply.headers ?? []) {
      const list = lines.get(name) ?? [];
      list.push(value);
      lines.set(name, list);
    }
    for (const [name, values] of lines) res.setHeader(name, values.length === 1 ? values[0]! : values);
    res.statusCode = reply.status ?? 200;
    res.end(reply.body ?? '');
  };
}

/** The origin the tests' pages run at. */
export const APP = 'https://app.example.com';

/** A self-signed certificate for `localhost` (openssl), in a temporary folder `remove()` deletes. */
export function selfSignedLocalhost(): { key: Buffer; cert: Buffer; certFile: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'corsguard-tls-'));
  const [keyFile, certFile] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  return {
    key: readFileSync(keyFile),
    cert: readFileSync(certFile),
    certFile,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
