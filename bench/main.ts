/**
 * `npm run bench`: the in-process benchmark (one child process per framework) and the HTTP
 * benchmark, printed as Markdown.
 *
 *   node build/bench/main.js [--quick] [--in-process-only] [--http-only] [--json FILE]
 *   node build/bench/main.js --report FILE   (renders a saved --json run again)
 *
 * --quick runs a few iterations of every row (what `npm test` does so the benchmark never
 * rots); its numbers mean nothing.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cpus, totalmem } from 'node:os';
import { GROUP_IDS, loadGroup } from './inprocess/groups.js';
import type { InProcessResult } from './inprocess/results.js';
import { httpTable, inProcessTable, targetsTable } from './report.js';
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
 * Flags of each in-process child: gc() between passes; a single-threaded GC, so that a
 * collection finishes (sweeping included) before a timed pass instead of in it; room in the
 * young generation for the adversarial rows.
 */
export const IN_PROCESS_NODE_FLAGS = ['--expose-gc', '--single-threaded-gc', '--max-semi-space-size=64'];

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

export async function runInProcess(quick: boolean): Promise<InProcessResult[]> {
  const results: InProcessResult[] = [];
  for (const id of GROUP_IDS) {
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
  for (const id of GROUP_IDS) {
    const group = await loadGroup(id);
    parts.push(`### ${group.title}\n\n${group.measures}\n\n${inProcessTable(group, results)}`);
  }
  return parts.join('\n\n');
}

/** What a run measured; `--json` writes it, `--report` renders it again. */
interface RunData {
  machine: string;
  quick: boolean;
  inProcess?: InProcessResult[];
  http?: HttpResult[];
  httpMethod?: HttpMethod;
  httpSettings?: HttpSettings;
}

async function render(data: RunData): Promise<string> {
  const report: string[] = [`Machine: ${data.machine}${data.quick ? ' (quick mode: numbers are meaningless)' : ''}`];
  report.push('## Targets (issue 7), checked against this run', targetsTable(data.inProcess ?? [], data.http ?? []));
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
  const data: RunData = { machine: machine(), quick };
  if (!args.includes('--http-only')) data.inProcess = await runInProcess(quick);
  if (!args.includes('--in-process-only')) {
    data.httpSettings = quick ? HTTP_QUICK : HTTP_FULL;
    data.httpMethod = detectHttpMethod();
    data.http = await runHttp(data.httpSettings, (line) => process.stderr.write(`${line}\n`), data.httpMethod);
  }
  if (jsonAt !== -1) writeFileSync(args[jsonAt + 1]!, JSON.stringify(data, null, 2));
  process.stdout.write(await render(data));
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
