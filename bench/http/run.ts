/**
 * The HTTP benchmark: every server variant in its own process on loopback, loaded by wrk
 * (or autocannon where wrk is not installed) in other processes.
 *
 * A comparison (say corsguard on Koa against `@koa/cors`) is measured in rounds. On a machine
 * with two or more CPUs and `taskset`, both servers of a pair are pinned to the same CPU and
 * loaded at the same time by two load generators pinned to the other CPUs: the two processes
 * then split one core (each in a session of its own, so the scheduler gives each process half,
 * whatever its threads), so the ratio of their req/s is the
 * inverse ratio of their CPU cost per request, and a slow second on a shared host hits both
 * at once. Measured one after the other instead, two runs of the same server here differed by
 * up to 36% (see BENCHMARKS.md), more than the differences this benchmark is after. Without
 * pinning, the pair runs back to back, in alternating order. Either way the ratio is the
 * median of the per-round ratios, and the start order alternates from round to round. The
 * server's CPU time per response (from /proc) is recorded too: it does not depend on how the
 * core was shared.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PREFLIGHT_HEADERS, PREFLIGHT_METHOD, ONE_ORIGIN } from '../workloads.js';
import { VARIANTS } from './servers.js';

export interface HttpSettings {
  readonly rounds: number;
  /** Seconds of each measured run (whole seconds: wrk's unit). */
  readonly seconds: number;
  readonly warmupSeconds: number;
  /** Connections per load generator. */
  readonly connections: number;
}

export const HTTP_FULL: HttpSettings = { rounds: 5, seconds: 2, warmupSeconds: 1, connections: 10 };
export const HTTP_QUICK: HttpSettings = { rounds: 1, seconds: 1, warmupSeconds: 0, connections: 4 };

/** How this machine runs the HTTP benchmark; printed with the tables. */
export interface HttpMethod {
  readonly generator: 'wrk' | 'autocannon';
  /** Present when pairs run at the same time on one pinned CPU. */
  readonly pinning: { readonly serverCpu: string; readonly clientCpus: string } | undefined;
}

export function detectHttpMethod(): HttpMethod {
  const generator = spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined ? 'wrk' : 'autocannon';
  const cpus = availableParallelism();
  const tasksetWorks = spawnSync('setsid', ['taskset', '-c', '0', process.execPath, '-e', ''], { stdio: 'ignore' }).status === 0;
  const pinning = cpus >= 2 && tasksetWorks ? { serverCpu: String(cpus - 1), clientCpus: cpus === 2 ? '0' : `0-${cpus - 2}` } : undefined;
  return { generator, pinning };
}

export function describeHttpMethod(method: HttpMethod, settings: HttpSettings): string {
  const load =
    `${method.generator}, ${settings.connections} connections, one pair at a time: ${settings.warmupSeconds} s of warm-up, ` +
    `then ${settings.rounds} rounds of ${settings.seconds} s`;
  if (method.pinning === undefined) {
    return `${load}; the two servers of a pair run back to back, in alternating order; the ratio is the median of the per-round ratios.`;
  }
  return (
    `${load}; the two servers of a pair are loaded at the same time, both pinned to CPU ${method.pinning.serverCpu} ` +
    `(load generators on CPU ${method.pinning.clientCpus}), so each has half a core: req/s are per server while ` +
    "sharing it, and p99 includes waiting for the other process's time slice. The ratio is the median of the " +
    'per-round ratios; start order alternates.'
  );
}

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
  /** The server's CPU time (all its threads) per response, microseconds; absent where /proc is not. */
  readonly cpuUs?: number;
}

/** A variant against what it is compared with. */
export interface Comparison {
  readonly subject: string;
  readonly reference: string;
}

export const COMPARISONS: readonly Comparison[] = VARIANTS.flatMap((v) => {
  if (v.role === 'floor') return [{ subject: v.id, reference: 'node-bare' }];
  if (v.role === 'control') return [{ subject: v.id, reference: 'node-floor' }];
  if (v.role !== 'corsguard') return [];
  const reference =
    v.framework === 'node:http' ? 'node-floor' : VARIANTS.find((p) => p.framework === v.framework && p.role === 'plugin')!.id;
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

/**
 * The command line that runs `command` on `cpus`, in a session of its own: Linux schedules
 * each session as one group (autogroup), so two servers on one CPU get half of it each,
 * however many threads (V8's GC and compiler helpers) either of them runs.
 */
function pinned(cpus: string | undefined, command: string, args: readonly string[]): [string, string[]] {
  return cpus === undefined ? [command, [...args]] : ['setsid', ['taskset', '-c', cpus, command, ...args]];
}

async function startServer(id: string, method: HttpMethod): Promise<Server | undefined> {
  const [command, args] = pinned(method.pinning?.serverCpu, process.execPath, [join(here, 'servers.js'), id]);
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
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

/** Linux reports process CPU time in clock ticks of 1/100 s (USER_HZ, fixed at 100 for user space). */
const CLOCK_TICKS = 100;

/** User plus system CPU time of a process so far, in clock ticks, from /proc (Linux); undefined elsewhere. */
function cpuTicks(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks : undefined;
}

/** What one load-generator run reports, whichever generator ran it. */
interface LoadReport {
  readonly rps: number;
  readonly p99: number;
  readonly ok: number;
  /** Responses received. */
  readonly total: number;
  readonly failures: string;
}

function runProcess(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${err}`));
      else resolve(out);
    });
  });
}

/** wrk prints its summary as one JSON line through this script (wrk's own output is text). */
function wrkScript(dir: string, workload: HttpWorkload): string {
  const path = join(dir, `${workload.id}.lua`);
  writeFileSync(
    path,
    `wrk.method = "${workload.method}"\n` +
      'done = function(summary, latency, requests)\n' +
      '  local e = summary.errors\n' +
      '  io.write(string.format(\'{"requests":%d,"duration_us":%d,"p99_us":%d,"errors":%d,"non2xx":%d}\\n\',\n' +
      '    summary.requests, summary.duration, latency:percentile(99), e.connect + e.read + e.write + e.timeout, e.status))\n' +
      'end\n',
  );
  return path;
}

async function load(
  port: number,
  workload: HttpWorkload,
  settings: HttpSettings,
  method: HttpMethod,
  scripts: ReadonlyMap<string, string>,
): Promise<LoadReport> {
  const url = `http://127.0.0.1:${port}/items`;
  const cpus = method.pinning?.clientCpus;
  if (method.generator === 'wrk') {
    const args = ['-t1', '-c', String(settings.connections), '-d', `${settings.seconds}s`, '-s', scripts.get(workload.id)!];
    for (const [name, value] of Object.entries(workload.headers)) args.push('-H', `${name}: ${value}`);
    const [command, full] = pinned(cpus, 'wrk', [...args, url]);
    const out = await runProcess(command, full);
    const json = JSON.parse(out.trim().split('\n').pop()!) as {
      requests: number;
      duration_us: number;
      p99_us: number;
      errors: number;
      non2xx: number;
    };
    return {
      rps: (json.requests / json.duration_us) * 1e6,
      p99: json.p99_us / 1000,
      ok: json.requests - json.non2xx,
      total: json.requests,
      failures: json.errors > 0 || json.non2xx > 0 ? `${json.errors} socket errors, ${json.non2xx} responses of 4xx/5xx` : '',
    };
  }
  const args = [autocannonCli, '--json', '-n', '-c', String(settings.connections), '-m', workload.method, '-d', String(settings.seconds)];
  for (const [name, value] of Object.entries(workload.headers)) args.push('-H', `${name}=${value}`);
  const [command, full] = pinned(cpus, process.execPath, [...args, url]);
  const json = JSON.parse(await runProcess(command, full)) as {
    requests: { average: number; total: number };
    latency: { p99: number };
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
  };
  return {
    rps: json.requests.average,
    p99: json.latency.p99,
    ok: json['2xx'],
    total: json.requests.total,
    failures:
      json.errors > 0 || json.timeouts > 0 || json.non2xx > 0
        ? `${json.errors} errors, ${json.timeouts} timeouts, ${json.non2xx} non-2xx`
        : '',
  };
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

export async function runHttp(settings: HttpSettings, log: (line: string) => void, method = detectHttpMethod()): Promise<HttpResult[]> {
  const scriptDir = mkdtempSync(join(tmpdir(), 'corsguard-wrk-'));
  const running = new Set<Server>();
  const start = async (id: string): Promise<Server | undefined> => {
    const server = await startServer(id, method);
    if (server === undefined) log(`http: ${id} skipped (its corsguard adapter is not merged yet)`);
    else running.add(server);
    return server;
  };
  const stop = async (server: Server | undefined): Promise<void> => {
    if (server === undefined) return;
    running.delete(server);
    await stopServer(server);
  };
  try {
    const scripts = new Map(HTTP_WORKLOADS.map((w) => [w.id, wrkScript(scriptDir, w)]));
    const only = process.env.CORSGUARD_BENCH_ONLY;
    const comparisons = COMPARISONS.filter((c) => only === undefined || c.subject.includes(only));
    const measure = async (server: Server, workload: HttpWorkload, run: HttpSettings): Promise<HttpRun> => {
      const cpuBefore = cpuTicks(server.child.pid);
      const report = await load(server.port, workload, run, method, scripts);
      const cpuAfter = cpuTicks(server.child.pid);
      if (report.failures !== '' || report.ok === 0) throw new Error(`${server.id}/${workload.id}: ${report.failures || 'no response'}`);
      if (cpuBefore === undefined || cpuAfter === undefined) return { rps: report.rps, p99: report.p99 };
      return { rps: report.rps, p99: report.p99, cpuUs: ((cpuAfter - cpuBefore) * 1e6) / CLOCK_TICKS / report.total };
    };
    // Starting the two runs in one order or the other; together when pinned, else one after the other.
    const measurePair = async (first: Server, second: Server, workload: HttpWorkload, run: HttpSettings): Promise<[HttpRun, HttpRun]> => {
      if (method.pinning !== undefined) return Promise.all([measure(first, workload, run), measure(second, workload, run)]);
      const a = await measure(first, workload, run);
      return [a, await measure(second, workload, run)];
    };
    const results: HttpResult[] = [];
    for (const workload of HTTP_WORKLOADS) {
      // One pair at a time, each on two fresh processes, warmed up together and measured without
      // pauses. A process's history shows in its speed here: a server that sat idle for a while
      // (or served other pairs first) used 25–45% more CPU per response than a fresh or busy
      // copy of itself (BENCHMARKS.md), which would make the order of pairs part of the result.
      for (const c of comparisons) {
        const subject = await start(c.subject);
        const reference = await start(c.reference);
        try {
          if (subject === undefined || reference === undefined) continue;
          await checkServer(subject, workload);
          await checkServer(reference, workload);
          log(`http: ${workload.id}, ${c.subject} against ${c.reference}, ${settings.rounds} rounds`);
          const pair = { ...c, workload: workload.id, subjectRuns: [] as HttpRun[], referenceRuns: [] as HttpRun[] };
          if (settings.warmupSeconds > 0) await measurePair(reference, subject, workload, { ...settings, seconds: settings.warmupSeconds });
          for (let round = 0; round < settings.rounds; round++) {
            if (round % 2 === 0) {
              const [r, s] = await measurePair(reference, subject, workload, settings);
              pair.referenceRuns.push(r);
              pair.subjectRuns.push(s);
            } else {
              const [s, r] = await measurePair(subject, reference, workload, settings);
              pair.subjectRuns.push(s);
              pair.referenceRuns.push(r);
            }
          }
          results.push(pair);
        } finally {
          await stop(subject);
          await stop(reference);
        }
      }
    }
    return results;
  } finally {
    await Promise.all([...running].map(stopServer));
    rmSync(scriptDir, { recursive: true, force: true });
  }
}
