#!/usr/bin/env node
/** The `corsguard` executable. */
import { runCli } from './cli.js';

const status = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
process.exitCode = status;
