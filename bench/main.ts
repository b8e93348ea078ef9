/**
 * `npm run bench`: the in-process benchmark on mitata (one child process per framework) and
 * the HTTP benchmark, printed as Markdown with the targets of bench/targets.json checked, and
 * saved as JSON for `compare.js`.
 *
 *   node build/bench/main.js [--quick] [--in-process-only] [--http-only] [--only GROUP,...] [--json FILE]
 *   node build/bench/main.js --report FILE   (renders a saved run again)
 *
 * --json defaults to bench-results/<date>.json. --quick runs a few iterations of every row
 * (what `npm test` does so the benchmark never rots); its numbers mean nothing.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg, totalmem } from 'node:os';
import { GROUP_IDS, loadGroup } from './inprocess/groups.js';
import type { InProcessResult } from './inprocess/results.js';
import { httpTable, inProcessTable, targetsTable } from './report.js';
import { checkTargets, loadTargets } from './targets.js';
import {
  HTTP_FULL,
  HTTP_QUICK,
  HTTP_WORKLOADS,
  describeHttpMethod,
  detectHttpMethod,
  runHttp,
  type HttpMethod,
  type HttpResult,
  type HttpSettings,
} from './http/run.js';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * Flags of each in-process child: gc() for mitata; a single-threaded GC, so that a collection
 * finishes (sweeping included) before a timed batch instead of in it; a young generation
 * large enough that a batch never fills it.
 */
export const IN_PROCESS_NODE_FLAGS = ['--expose-gc', '--single-threaded-gc', '--min-semi-space-size=16', '--max-semi-space-size=64'];

function runChild(script: string, args: string[], nodeFlags: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${script} ${args.join(' ')} exited with ${code}`))));
  });
}

export async function runInProcess(quick: boolean, groups: readonly string[] = GROUP_IDS): Promise<InProcessResult[]> {
  const results: InProcessResult[] = [];
  for (const id of groups) {
    process.stderr.write(`in-process: ${id}...\n`);
    const out = await runChild(`${here}inprocess/run-group.js`, quick ? [id, '--quick'] : [id], IN_PROCESS_NODE_FLAGS);
    results.push(...(JSON.parse(out) as InProcessResult[]));
  }
  return results;
}

export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node.js ${process.version}, ${process.platform} ${process.arch}`;
}

export async function inProcessMarkdown(results: readonly InProcessResult[]): Promise<string> {
  const parts: string[] = [];
  for (const id of GROUP_IDS.filter((g) => results.some((r) => r.group === g))) {
    const group = await loadGroup(id);
    parts.push(`### ${group.title}\n\n${group.measures}\n\n${inProcessTable(group, results)}`);
  }
  return parts.join('\n\n');
}

/** What a run measured; `--json` writes it, `--report` renders it again, `compare.js` compares two. */
export interface RunData {
  machine: string;
  /** ISO time the run started. */
  date?: string;
  /** The load average (1, 5, 15 minutes) when the run started and when it ended. */
  load?: { start: number[]; end?: number[] };
  quick: boolean;
  inProcess?: InProcessResult[];
  http?: HttpResult[];
  httpMethod?: HttpMethod;
  httpSettings?: HttpSettings;
}

async function render(data: RunData): Promise<string> {
  const load =
    data.load === undefined
      ? ''
      : `; load average ${data.load.start.map((x) => x.toFixed(2)).join(' ')} at the start${data.load.end ? `, ${data.load.end.map((x) => x.toFixed(2)).join(' ')} at the end` : ''}`;
  const report: string[] = [
    `Machine: ${data.machine}${load}${data.quick ? ' (quick mode: numbers are meaningless)' : ''}${data.date ? `; ${data.date}` : ''}`,
  ];
  report.push(
    '## Targets (bench/targets.json), checked against this run',
    targetsTable(checkTargets(loadTargets(), data.inProcess ?? [], data.http ?? [])),
  );
  if (data.inProcess !== undefined) report.push('## In-process: time and allocation per request', await inProcessMarkdown(data.inProcess));
  if (data.http !== undefined && data.httpMethod !== undefined && data.httpSettings !== undefined) {
    report.push('## Over HTTP on loopback: requests per second and p99 latency', describeHttpMethod(data.httpMethod, data.httpSettings));
    for (const workload of HTTP_WORKLOADS) report.push(`### ${workload.label}\n\n${httpTable(workload, data.http)}`);
  }
  return `${report.join('\n\n')}\n`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const reportAt = args.indexOf('--report');
  if (reportAt !== -1) {
    process.stdout.write(await render(JSON.parse(readFileSync(args[reportAt + 1]!, 'utf8')) as RunData));
    return;
  }
  const quick = args.includes('--quick');
  const jsonAt = args.indexOf('--json');
  const onlyAt = args.indexOf('--only');
  const started = new Date().toISOString();
  const data: RunData = { machine: machine(), date: started, load: { start: loadavg() }, quick };
  const groups = onlyAt === -1 ? GROUP_IDS : args[onlyAt + 1]!.split(',');
  if (!args.includes('--http-only')) data.inProcess = await runInProcess(quick, groups);
  if (!args.includes('--in-process-only')) {
    data.httpSettings = quick ? HTTP_QUICK : HTTP_FULL;
    data.httpMethod = detectHttpMethod();
    data.http = await runHttp(data.httpSettings, (line) => process.stderr.write(`${line}\n`), data.httpMethod);
  }
  data.load!.end = loadavg();
  const jsonPath = jsonAt !== -1 ? args[jsonAt + 1]! : `bench-results/${started.replace(/[:.]/g, '-')}.json`;
  mkdirSync(dirname(jsonPath), { recursive: true });
  writeFileSync(jsonPath, JSON.stringify(data));
  process.stderr.write(`results: ${jsonPath} (compare two runs: node build/bench/compare.js OLD.json NEW.json)\n`);
  process.stdout.write(await render(data));
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
