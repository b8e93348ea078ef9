/**
 * The conformance table, unchanged, against the fetch and Hono adapters built in dist/, on
 * Bun, Deno and workerd.
 */
import { join } from 'node:path';
import type { ConformanceTarget } from '../conformance/adapters.js';
import { runConformance } from '../conformance/run.js';
import { BUN, DENO, ROOT, bundle, denoArgs, startProcess, startWorker } from './launch.js';

const SERVE = join(ROOT, 'test/runtimes/serve.mjs');

const targets: ConformanceTarget[] = [];
for (const adapter of ['fetch', 'hono'] as const) {
  targets.push(
    { adapter, label: `${adapter} on Bun`, start: () => startProcess(BUN, [SERVE, adapter]) },
    { adapter, label: `${adapter} on Deno`, start: () => startProcess(DENO, [...denoArgs(SERVE), adapter]) },
    {
      adapter,
      label: `${adapter} on workerd`,
      start: () => startWorker(bundle(join(ROOT, 'test/runtimes/worker.mjs'), `conformance-worker-${adapter}.js`), `/${adapter}`),
    },
  );
}

for (const target of targets) runConformance(target);
