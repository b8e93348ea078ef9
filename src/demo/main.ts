#!/usr/bin/env node
/**
 * `npm run demo`: starts the demo API (port 8000) and frontend (port 3000) on loopback.
 * `npm run demo -- --once`: makes the page's calls itself, prints the results, and exits
 * 0 only if every call behaved as expected.
 */
import { parseArgs } from 'node:util';
import { startDemo } from './server.js';
import { BLOCKED_CALL, DEMO_CALLS } from './calls.js';
import { diagnoseDemo, formatDiagnosis } from './diagnosis.js';
import { verifyBlockedCall, verifyDemo } from './verify.js';

const { values } = parseArgs({
  options: {
    once: { type: 'boolean', default: false },
    'api-port': { type: 'string', default: '8000' },
    'web-port': { type: 'string', default: '3000' },
  },
});

function port(value: string | undefined, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`corsguard demo: --${flag} must be a port number, got '${value}'`);
    process.exit(2);
  }
  return n;
}

let demo;
try {
  demo = await startDemo({ apiPort: port(values['api-port'], 'api-port'), webPort: port(values['web-port'], 'web-port') });
} catch (error) {
  const e = error as NodeJS.ErrnoException;
  console.error(
    e.code === 'EADDRINUSE'
      ? `corsguard demo: port ${(e as { port?: number }).port ?? ''} is in use. Stop what runs there, or pick others: npm run demo -- --api-port 8001 --web-port 3001`
      : `corsguard demo: could not start: ${e.message}`,
  );
  process.exit(2);
}

console.log(`corsguard demo
  API (corsguard on node:http): ${demo.apiUrl}
  frontend page:                ${demo.webUrl}
  allowed origin:               ${demo.frontendOrigin}
`);

if (values.once) {
  const outcomes = await verifyDemo(demo.apiUrl, demo.frontendOrigin);
  for (const o of outcomes) {
    console.log(`${o.ok ? 'ok  ' : 'FAIL'} ${o.call.method} ${o.call.path} (${o.call.name}): ${o.detail}`);
  }
  const blocked = await verifyBlockedCall(demo.apiUrl, demo.frontendOrigin);
  console.log(
    `${blocked.ok ? 'ok  ' : 'FAIL'} ${BLOCKED_CALL.method} ${BLOCKED_CALL.path} (${BLOCKED_CALL.name}): blocked as expected: ${blocked.detail}`,
  );
  const diagnosis = await diagnoseDemo(demo.apiUrl, demo.frontendOrigin);
  console.log(`\n${formatDiagnosis(diagnosis).join('\n')}`);
  const failed = outcomes.filter((o) => !o.ok).length + (blocked.ok ? 0 : 1);
  console.log(
    failed === 0
      ? `\nall ${outcomes.length} calls behaved as a browser expects, and the blocked one was blocked`
      : `\n${failed} call(s) did not behave as expected`,
  );
  await demo.close();
  process.exit(failed === 0 ? 0 : 1);
}

console.log(`Open ${demo.webUrl} in a browser. The page calls the API and shows:`);
for (const call of DEMO_CALLS) console.log(`  ${call.method} ${call.path}: ${call.shows}`);
console.log(
  `  ${BLOCKED_CALL.method} ${BLOCKED_CALL.path}: ${BLOCKED_CALL.shows}; with each browser's console message and corsguard explain's answer`,
);
console.log(`
Try it with curl too:
  curl -i -H 'Origin: ${demo.frontendOrigin}' ${demo.apiUrl}/api/items
  curl -i -X OPTIONS -H 'Origin: ${demo.frontendOrigin}' -H 'Access-Control-Request-Method: PATCH' ${demo.apiUrl}/api/items/1
Press Ctrl-C to stop.`);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping...');
  demo.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
