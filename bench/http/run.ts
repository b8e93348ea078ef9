/**
 * The HTTP benchmark: every server variant in its own process on loopback, loaded by
 * autocannon in another process (so the load generator never shares the server's event
 * loop). Each comparison (say corsguard on Koa against `@koa/cors`) is measured as two
 * back-to-back runs, in alternating order from one round to the next, and its ratio is the
 * median of the per-round ratios: on a noisy 2-core machine, a slow moment then hits both
 * sides of a pair, not one variant.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PREFLIGHT_HEADERS, PREFLIGHT_METHOD, ONE_ORIGIN } from '../workloads.js';
import { VARIANTS } from './servers.js';

export interface HttpSettings {
  readonly rounds: number;
  /** Seconds of each measured run, or 0 to send `amount` requests instead (quick mode). */
  readonly seconds: number;
  readonly amount: number;
  readonly warmupSeconds: number;
  readonly connections: number;
}

export const HTTP_FULL: HttpSettings = { rounds: 7, seconds: 2, amount: 0, warmupSeconds: 1, connections: 10 };
export const HTTP_QUICK: HttpSettings = { rounds: 1, seconds: 0, amount: 200, warmupSeconds: 0, connections: 4 };

export interface HttpWorkload {
  readonly id: string;
  readonly label: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
}

export const HTTP_WORKLOADS: readonly HttpWorkload[] = [
  { id: 'actual', label: 'GET /items, allowed Origin', method: 'GET', headers: { origin: ONE_ORIGIN } },
  {
    id: 'preflight',
    label: 'preflight of a PUT with Authorization, allowed Origin',
    method: 'OPTIONS',
    headers: { origin: ONE_ORIGIN, 'access-control-request-method': PREFLIGHT_METHOD, 'access-control-request-headers': PREFLIGHT_HEADERS },
  },
];

export interface HttpRun {
  /** Mean requests per second over the run. */
  readonly rps: number;
  /** 99th percentile latency, milliseconds. */
  readonly p99: number;
}

/** A variant against what it is compared with. */
export interface Comparison {
  readonly subject: string;
  readonly reference: string;
}

export const COMPARISONS: readonly Comparison[] = VARIANTS.flatMap((v) => {
  if (v.role === 'floor') return [{ subject: v.id, reference: 'node-bare' }];
  if (v.role !== 'corsguard') return [];
  const reference = v.framework === 'node:http' ? 'node-floor' : VARIANTS.find((p) => p.framework === v.framework && p.role === 'plugin')!.id;
  return [{ subject: v.id, reference }];
});

export interface HttpResult extends Comparison {
  readonly workload: string;
  /** One pair of back-to-back runs per round, in round order. */
  readonly subjectRuns: readonly HttpRun[];
  readonly referenceRuns: readonly HttpRun[];
}

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const autocannonCli = join(dirname(require.resolve('autocannon')), 'autocannon.js');

interface Server {
  readonly id: string;
  readonly port: number;
  readonly child: ChildProcess;
}

async function startServer(id: string): Promise<Server | undefined> {
  const child = spawn(process.execPath, [join(here, 'servers.js'), id], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`server ${id} exited with ${code} before listening`)));
  });
  lines.close();
  const { port } = JSON.parse(first) as { port: number | null };
  if (port === null) return undefined;
  return { id, port, child };
}

function stopServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.child.once('exit', () => resolve());
    server.child.stdin!.end();
  });
}

interface AutocannonJson {
  requests: { average: number; total: number };
  latency: { p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}

function autocannon(port: number, workload: HttpWorkload, settings: HttpSettings, seconds: number): Promise<AutocannonJson> {
  const args = [autocannonCli, '--json', '-n', '-c', String(settings.connections), '-m', workload.method];
  if (seconds > 0) args.push('-d', String(seconds));
  else args.push('-a', String(settings.amount));
  for (const [name, value] of Object.entries(workload.headers)) args.push('-H', `${name}=${value}`);
  args.push(`http://127.0.0.1:${port}/items`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`autocannon exited with ${code}: ${err}`));
      else resolve(JSON.parse(out) as AutocannonJson);
    });
  });
}

/** One request, to check that a server answers what its variant claims before it is timed. */
function probe(port: number, workload: HttpWorkload): Promise<{ status: number; allowOrigin: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/items', method: workload.method, headers: workload.headers }, (res) => {
      res.resume();
      res.on('end', () => {
        const value = res.headers['access-control-allow-origin'];
        resolve({ status: res.statusCode ?? 0, allowOrigin: value });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

async function checkServer(server: Server, workload: HttpWorkload): Promise<void> {
  const { status, allowOrigin } = await probe(server.port, workload);
  const expected = server.id === 'node-bare' ? undefined : ONE_ORIGIN;
  if (allowOrigin !== expected || status < 200 || status > 299) {
    throw new Error(`${server.id}/${workload.id}: status ${status}, Access-Control-Allow-Origin ${allowOrigin}, expected ${expected}`);
  }
}

export async function runHttp(settings: HttpSettings, log: (line: string) => void): Promise<HttpResult[]> {
  const servers: Server[] = [];
  try {
    for (const variant of VARIANTS) {
      const server = await startServer(variant.id);
      if (server === undefined) log(`http: ${variant.id} skipped (its corsguard adapter is not merged yet)`);
      else servers.push(server);
    }
    const results: HttpResult[] = [];
    const byId = new Map(servers.map((server) => [server.id, server]));
    const comparisons = COMPARISONS.filter((c) => byId.has(c.subject) && byId.has(c.reference));
    const measure = async (server: Server, workload: HttpWorkload): Promise<HttpRun> => {
      const json = await autocannon(server.port, workload, settings, settings.seconds);
      if (json.errors > 0 || json.timeouts > 0 || json.non2xx > 0 || json['2xx'] === 0) {
        throw new Error(`${server.id}/${workload.id}: ${json.errors} errors, ${json.timeouts} timeouts, ${json.non2xx} non-2xx`);
      }
      return { rps: json.requests.average, p99: json.latency.p99 };
    };
    for (const workload of HTTP_WORKLOADS) {
      for (const server of servers) await checkServer(server, workload);
      if (settings.warmupSeconds > 0) {
        for (const server of servers) await autocannon(server.port, workload, settings, settings.warmupSeconds);
      }
      const pairs = comparisons.map((c) => ({ ...c, workload: workload.id, subjectRuns: [] as HttpRun[], referenceRuns: [] as HttpRun[] }));
      for (let round = 0; round < settings.rounds; round++) {
        log(`http: ${workload.id}, round ${round + 1} of ${settings.rounds}`);
        for (const pair of pairs) {
          const subject = byId.get(pair.subject)!;
          const reference = byId.get(pair.reference)!;
          if (round % 2 === 0) {
            pair.referenceRuns.push(await measure(reference, workload));
            pair.subjectRuns.push(await measure(subject, workload));
          } else {
            pair.subjectRuns.push(await measure(subject, workload));
            pair.referenceRuns.push(await measure(reference, workload));
          }
        }
      }
      results.push(...pairs);
    }
    return results;
  } finally {
    await Promise.all(servers.map(stopServer));
  }
}
