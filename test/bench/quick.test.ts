/**
 * Runs `npm run bench` in quick mode (a few iterations of every row) so that the benchmark
 * keeps working as the code changes. It checks that every row was produced and that each
 * row did what its workload says (the runner checks the CORS headers of every row before
 * timing it), that the targets table was rendered from bench/targets.json, and that the saved
 * run can be compared with another; it asserts nothing about speed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GROUP_IDS, loadGroup } from '../../bench/inprocess/groups.js';
import type { InProcessResult } from '../../bench/inprocess/results.js';
import { WORKLOADS, runsInGroup } from '../../bench/workloads.js';
import { COMPARISONS, HTTP_WORKLOADS, type HttpResult } from '../../bench/http/run.js';
import { VARIANTS } from '../../bench/http/servers.js';
import { loadTargets } from '../../bench/targets.js';

const main = fileURLToPath(new URL('../../bench/main.js', import.meta.url));
const compare = fileURLToPath(new URL('../../bench/compare.js', import.meta.url));

test('the benchmark runs in quick mode and produces every row', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'corsguard-bench-'));
  try {
    const jsonPath = join(dir, 'results.json');
    const run = spawnSync(process.execPath, [main, '--quick', '--json', jsonPath], { encoding: 'utf8', timeout: 280_000 });
    assert.equal(run.status, 0, `bench failed:\n${run.stderr}`);
    assert.match(run.stdout, /## In-process/);
    for (const target of loadTargets().inProcess)
      assert.ok(run.stdout.includes(`| ${target.description} |`), `the targets table lacks ${target.id}`);
    const report = JSON.parse(readFileSync(jsonPath, 'utf8')) as { inProcess: InProcessResult[]; http: HttpResult[] };

    for (const id of GROUP_IDS) {
      const group = await loadGroup(id);
      for (const library of group.libraries) {
        for (const workload of WORKLOADS) {
          if (!runsInGroup(id, workload) || library.cases(workload) === undefined) continue;
          const row = report.inProcess.find((r) => r.group === id && r.library === library.id && r.workload === workload.id);
          assert.ok(row !== undefined, `missing row ${id}/${library.id}/${workload.id}`);
          assert.ok(
            row.samples.length > 0 && row.samples.every((ns) => Number.isFinite(ns) && ns > 0),
            `row ${id}/${library.id}/${workload.id} has no time`,
          );
          assert.ok(run.stdout.includes(workload.label), `the table lacks ${workload.label}`);
        }
      }
    }

    // Every comparison whose servers exist was run over HTTP (the runner checks each server's CORS headers first).
    assert.match(run.stdout, /## Over HTTP/);
    for (const variant of VARIANTS) {
      // Only a corsguard adapter that is not written yet may be missing.
      if (run.stderr.includes(`http: ${variant.id} skipped`)) assert.equal(variant.role, 'corsguard', `${variant.id} was skipped`);
    }
    for (const workload of HTTP_WORKLOADS) {
      for (const c of COMPARISONS) {
        const row = report.http.find((r) => r.subject === c.subject && r.reference === c.reference && r.workload === workload.id);
        if (row === undefined) {
          assert.ok(
            run.stderr.includes(`http: ${c.subject} skipped`),
            `missing HTTP comparison ${c.subject}/${c.reference}/${workload.id}`,
          );
          continue;
        }
        assert.ok(
          row.subjectRuns.length > 0 && [...row.subjectRuns, ...row.referenceRuns].every((x) => x.rps > 0),
          `HTTP row ${c.subject}/${workload.id} is empty`,
        );
      }
    }

    // A run compared with itself: every row is there, and none changed.
    const compared = spawnSync(process.execPath, [compare, jsonPath, jsonPath], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(compared.status, 0, compared.stderr);
    const rows = compared.stdout.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| Row'));
    assert.equal(rows.length, report.inProcess.length);
    for (const line of rows) assert.match(line, /\| ~ \| 1\.000 \|$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The repository's root, whose build/ both paired tools load (this file runs from build/test/bench/). */
const root = fileURLToPath(new URL('../../../', import.meta.url));

test('bench/paired-floor.mjs and bench/paired-builds.mjs run on this build and print every subject (two passes, no timing asserted)', () => {
  const tool = (name: string, args: string[]) =>
    spawnSync(process.execPath, ['--expose-gc', join(root, 'bench', name), ...args], { encoding: 'utf8', timeout: 120_000 });
  const floor = tool('paired-floor.mjs', [root, '2']);
  assert.equal(floor.status, 0, floor.stderr);
  const lines = floor.stdout.split('\n');
  for (const row of ['1 origin', '`*`']) {
    for (const subject of ['floor', 'floor, again', `corsguard (${root})`]) {
      const line = lines.find((l) => l.startsWith(`| actual, allowed, ${row} | ${subject} | `));
      assert.match(line ?? `no line for ${row}, ${subject}`, /\| \d+ ns \| \d+\.\d\d× \|$/);
    }
  }
  assert.match(floor.stdout, /a full GC before each/);
  const builds = tool('paired-builds.mjs', [root, root, '2']);
  assert.equal(builds.status, 0, builds.stderr);
  for (const row of ['node, allowed, one, then writeHead', 'express, denied, one, then writeHead', 'policy, allowed, any'])
    assert.match(builds.stdout, new RegExp(`\\| ${row} \\| \\d+ ns \\| \\d+ ns \\| \\d+\\.\\d\\d× \\|`));
});
