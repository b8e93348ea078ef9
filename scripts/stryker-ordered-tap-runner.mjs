// A Stryker test runner: the TAP runner, with the test files in a chosen order and a deadline per file.
//
// Order. For each mutant the TAP runner runs the test files that reach it one after another and stops at
// the first that fails, so the order decides the cost: a mutant that the mutated file's own unit tests
// kill in 0.2 s should not first pay for a 14 s CLI suite. The TAP runner takes its files from a glob,
// whose order is the file system's; this runner sorts them, and each mutant's list of covering files, by
// the first pattern of `tap.testFiles` whose fixed part (the text before its first `*`) begins the
// file's path, then by name; so the config's order is the run order.
//
// Deadline. Stryker's own timeout for a mutant adds up the initial-run time of every file that covers
// it: over two minutes for a mutant of the protocol facts, which every suite reads. A mutant that makes a
// parser loop forever blocks the test process (no test timeout can fire), so each such mutant cost two
// minutes of a core. Here each file's process gets a budget of processor time: CPU_FACTOR times the
// file's wall-clock time in the initial run (at least MIN_CPU_MS), read from /proc while it runs. Past
// it the process is killed and the mutant is reported as a timeout, which is what Stryker itself would
// have concluded minutes later. Processor time, not wall-clock time, because this machine is shared:
// a test process that waits for a core does not use its budget, so load alone never makes a timeout.
// A process that waits forever without computing is ended by the per-test timeouts of
// scripts/test-timeouts.mjs (a failing test), or at the latest after WALL_FACTOR times its initial run.
import childProcess from 'node:child_process';
import { declareFactoryPlugin, PluginKind, commonTokens, tokens } from '@stryker-mutator/api/plugin';
import { MutantRunStatus } from '@stryker-mutator/api/test-runner';
import { createTapTestRunnerFactory } from '@stryker-mutator/tap-runner';

import { readFileSync } from 'node:fs';

const CPU_FACTOR = 4;
const MIN_CPU_MS = 3_000;
const WALL_FACTOR = 20;
const MIN_WALL_MS = 180_000;
const POLL_MS = 250;
const TICK_MS = 10; // /proc reports processor time in clock ticks of 1/100 s (getconf CLK_TCK) on Linux

/** Processor time (user + system) the process has used so far, or undefined once it is gone. */
function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

/** The test process most recently started in this (single-threaded, one-file-at-a-time) runner. */
let lastChild;
const spawn = childProcess.spawn;
childProcess.spawn = (...args) => {
  lastChild = spawn(...args);
  return lastChild;
};

class FileDeadlineExceeded extends Error {}

function createOrderedTapRunner(injector, options) {
  const prefixes = options.tap.testFiles.map((pattern) => pattern.split('*')[0]);
  const rank = (file) => {
    const index = prefixes.findIndex((prefix) => file.startsWith(prefix));
    return index === -1 ? prefixes.length : index;
  };
  const byRank = (a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);

  const runner = createTapTestRunnerFactory()(injector);
  const init = runner.init.bind(runner);
  runner.init = async () => {
    await init();
    runner.testFiles.sort(byRank);
  };

  const initialRunMs = new Map();
  let exceeded;
  const runFile = runner.runFile.bind(runner);
  runner.runFile = async (testFile, testOptions) => {
    const started = Date.now();
    if (testOptions.dryRun) {
      const result = await runFile(testFile, testOptions);
      initialRunMs.set(testFile, Date.now() - started);
      return result;
    }
    const initial = initialRunMs.get(testFile) ?? MIN_WALL_MS;
    const cpuBudget = Math.max(MIN_CPU_MS, CPU_FACTOR * initial);
    const wallBudget = Math.max(MIN_WALL_MS, WALL_FACTOR * initial);
    const run = runFile(testFile, testOptions);
    const child = lastChild;
    let poll;
    const late = new Promise((_, reject) => {
      poll = setInterval(() => {
        const used = child?.pid === undefined ? undefined : cpuMs(child.pid);
        const overCpu = used !== undefined && used > cpuBudget;
        if (!overCpu && Date.now() - started <= wallBudget) return;
        exceeded = overCpu
          ? `${testFile} used ${used} ms of processor time, over its budget of ${cpuBudget} ms (${CPU_FACTOR}x its initial run)`
          : `${testFile} was still running after ${wallBudget} ms (${WALL_FACTOR}x its initial run)`;
        child?.kill('SIGKILL');
        reject(new FileDeadlineExceeded(exceeded));
      }, POLL_MS);
    });
    run.catch(() => {}); // after a kill, the TAP runner's own ending of this file is of no interest
    try {
      return await Promise.race([run, late]);
    } finally {
      clearInterval(poll);
    }
  };

  const mutantRun = runner.mutantRun.bind(runner);
  runner.mutantRun = async (runOptions) => {
    exceeded = undefined;
    const ordered = runOptions.testFilter ? { ...runOptions, testFilter: [...runOptions.testFilter].sort(byRank) } : runOptions;
    const result = await mutantRun(ordered);
    return exceeded === undefined ? result : { status: MutantRunStatus.Timeout, reason: exceeded };
  };
  return runner;
}
createOrderedTapRunner.inject = tokens(commonTokens.injector, commonTokens.options);

export const strykerPlugins = [declareFactoryPlugin(PluginKind.TestRunner, 'tap-ordered', createOrderedTapRunner)];
