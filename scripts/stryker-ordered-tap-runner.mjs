// A Stryker test runner: the TAP runner, with the test files in a chosen order.
//
// For each mutant the TAP runner runs the test files that reach it one after another and stops at the
// first that fails, so the order decides the cost: a mutant that the mutated file's own unit tests kill
// in 0.2 s should not first pay for a 14 s CLI suite. The TAP runner takes its files from a glob, whose
// order is the file system's; this runner sorts them, and each mutant's list of covering files, by the
// first pattern of `tap.testFiles` whose fixed part (the text before its first `*`) begins the file's
// path, then by name; so the config's order is the run order.
import { declareFactoryPlugin, PluginKind, commonTokens, tokens } from '@stryker-mutator/api/plugin';
import { createTapTestRunnerFactory } from '@stryker-mutator/tap-runner';

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
  const mutantRun = runner.mutantRun.bind(runner);
  runner.mutantRun = (runOptions) =>
    mutantRun(runOptions.testFilter ? { ...runOptions, testFilter: [...runOptions.testFilter].sort(byRank) } : runOptions);
  return runner;
}
createOrderedTapRunner.inject = tokens(commonTokens.injector, commonTokens.options);

export const strykerPlugins = [declareFactoryPlugin(PluginKind.TestRunner, 'tap-ordered', createOrderedTapRunner)];
