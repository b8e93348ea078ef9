/**
 * Runs one row in a loop for a few seconds, for `node --cpu-prof`: the profile then shows
 * where that row's time goes (pool building included, as `make` frames, easy to set aside).
 *
 *   node --cpu-prof --cpu-prof-interval 50 build/bench/inprocess/profile-row.js <group> <library> <workload> [seconds]
 */
import { WORKLOADS } from '../workloads.js';
import { loadGroup } from './groups.js';

const [, , groupId, libraryId, workloadId, seconds = '5'] = process.argv;
const group = await loadGroup(groupId ?? '');
const library = group.libraries.find((l) => l.id === libraryId);
const workload = WORKLOADS.find((w) => w.id === workloadId);
if (library === undefined || workload === undefined) throw new Error('usage: profile-row.js <group> <library> <workload> [seconds]');
const c = library.cases(workload);
if (c === undefined) throw new Error(`${libraryId} has no row for ${workloadId}`);
const end = Date.now() + Number(seconds) * 1000;
let calls = 0;
while (Date.now() < end) {
  const pool = Array.from({ length: 1000 }, () => c.make());
  for (const context of pool) {
    if (c.async) await c.run(context);
    else c.run(context);
  }
  calls += pool.length;
}
process.stdout.write(`${calls} calls\n`);
