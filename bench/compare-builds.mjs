// Side-by-side in-process figures of corsguard from two builds (say main's and a branch's), for a
// change's before/after: each group runs in a child of its own (as `npm run bench` runs it), the
// two builds alternating, `repeats` times; each row's figure is the median over repeats of its median
// sample (what the report prints).
//
//   node bench/compare-builds.mjs <before-root> <after-root> [groups] [workloads] [repeats] [rounds]
//   e.g. node bench/compare-builds.mjs /tmp/main . node,express actual-allowed-one,actual-denied-one 3 15
// Each root is a checkout whose build/ was compiled (`npm run compile`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const [
  before,
  after,
  groups = 'policy,node,express,fastify,koa,hono',
  workloads = 'actual-allowed-one,actual-denied-one,actual-allowed-any,preflight-allowed-one,preflight-denied-one',
  repeats = '3',
  rounds = '15',
] = process.argv.slice(2);
if (after === undefined)
  throw new Error('usage: node bench/compare-builds.mjs <before-root> <after-root> [groups] [workloads] [repeats] [rounds]');
const FLAGS = ['--expose-gc', '--single-threaded-gc', '--max-semi-space-size=64'];
const roots = { before: resolve(before), after: resolve(after) };
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const ns = {};
// Builds from before the group was renamed call the policy group 'engine'.
const groupIn = (root, group) => (group === 'policy' && !existsSync(`${root}/build/bench/inprocess/policy-group.js`) ? 'engine' : group);
for (let repeat = 0; repeat < Number(repeats); repeat++) {
  for (const group of groups.split(',')) {
    const order = repeat % 2 === 0 ? ['before', 'after'] : ['after', 'before'];
    for (const which of order) {
      const script = `${roots[which]}/build/bench/inprocess/run-group.js`;
      const run = spawnSync(
        process.execPath,
        [...FLAGS, script, groupIn(roots[which], group), '--library', 'corsguard', '--workload', workloads, '--rounds', rounds],
        {
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      if (run.status !== 0) throw new Error(`${which} ${group}: ${run.stderr}`);
      for (const row of JSON.parse(run.stdout)) {
        const key = `${group} ${row.workload}`;
        ns[key] ??= { before: [], after: [] };
        ns[key][which].push(median(row.samples));
      }
    }
  }
}
console.log('| group, workload | before | after | after ÷ before |\n|---|---:|---:|---:|');
for (const [row, { before: b, after: a }] of Object.entries(ns)) {
  console.log(`| ${row} | ${median(b).toFixed(0)} ns | ${median(a).toFixed(0)} ns | ${(median(a) / median(b)).toFixed(2)}× |`);
}
