// Loaded by Stryker's TAP runner into each test process (stryker.config.mjs, tap.nodeArgs), before Stryker's
// own hook. The runner learns which mutants a test file reaches from the coverage of that test process
// alone; test/cli/check.test.ts runs the CLI (dist/cli/main.js) as child processes, so mutants reached only
// there (the browser model, much of src/protocol) would look unreached by that file, Stryker would never run it
// against them, and they would "survive" tests that kill them. During Stryker's first (dry) run this
// passes itself on to child processes through NODE_OPTIONS; each child leaves its coverage in a shared
// directory, and the test process adds it to its own before Stryker's hook writes it out.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const DIRECTORY = 'CORSGUARD_STRYKER_CHILD_COVERAGE';
const namespace = process.env.STRYKER_NAMESPACE || '__stryker__';

/** The static coverage the instrumented code records in this process: mutant id -> hits. */
function coverageOf(target) {
  target[namespace] = target[namespace] || {};
  const ns = target[namespace];
  ns.mutantCoverage = ns.mutantCoverage || { static: {}, perTest: {} };
  return ns.mutantCoverage.static;
}

if (process.env.STRYKER_DRY_RUN === 'true') {
  const directory = process.env[DIRECTORY];
  if (directory === undefined) {
    // The test process: collect what its children reach.
    const created = fs.mkdtempSync(path.join(os.tmpdir(), 'corsguard-stryker-'));
    process.env[DIRECTORY] = created;
    process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS || ''} --require ${JSON.stringify(__filename)}`.trim();
    process.on('exit', () => {
      const coverage = coverageOf(globalThis);
      for (const name of fs.readdirSync(created)) {
        const child = JSON.parse(fs.readFileSync(path.join(created, name), 'utf8'));
        for (const id of Object.keys(child)) coverage[id] = (coverage[id] || 0) + child[id];
      }
      fs.rmSync(created, { recursive: true, force: true });
    });
  } else {
    // A child process of a test: leave what it reached for the test process.
    process.on('exit', () => {
      const ns = globalThis[namespace];
      const reached = ns?.mutantCoverage ? ns.mutantCoverage.static : {};
      fs.writeFileSync(path.join(directory, `${process.pid}.json`), JSON.stringify(reached));
    });
  }
}
