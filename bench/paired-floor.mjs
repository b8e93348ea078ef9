// corsguard's node:http `corsMiddleware` against the lower-case hand-written floor (the issue-13 target), on
// the allowed actual rows, paired in ONE process: every pass builds fresh request/response pairs, runs each
// subject on them in an order that rotates every pass, and each figure is the median of per-pass CPU times
// (the ratio, the median of per-pass ratios to the floor). Given several build roots, each is one more subject.
// Run with `--expose-gc` to collect the heap before every pass: objects of a shape that nothing alive has any
// more lose their hidden class at a full collection, and the code that made them is deoptimised (BENCHMARKS.md).
//
//   node [--expose-gc] bench/paired-floor.mjs <build-root> [<build-root> ...] [passes]
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { resolve } from 'node:path';

const args = process.argv.slice(2);
const roots = args.filter((arg) => !/^\d+$/.test(arg));
const PASSES = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 300);
const POOL = 200;
const socket = new Socket();
const ORIGIN = 'https://app.example.com';
const EXPOSE = 'X-Total-Count';
const OPTIONS = {
  '1 origin': { allowOrigins: [ORIGIN], allowCredentials: true, allowMethods: ['PUT', 'DELETE'], exposeHeaders: [EXPOSE], onWarning() {} },
  '`*`': { allowOrigins: '*', exposeHeaders: [EXPOSE], onWarning() {} },
};
const ALLOWED = new Set([ORIGIN]);
/** The floor of bench/inprocess/node-group.ts for these two rows: precomputed values, lower-case names. */
const FLOORS = {
  '1 origin': ({ req, res }) => {
    res.setHeader('vary', 'Origin');
    const origin = req.headers.origin;
    if (origin !== undefined && ALLOWED.has(origin)) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader('access-control-expose-headers', EXPOSE);
    }
  },
  '`*`': ({ res }) => {
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-expose-headers', EXPOSE);
  },
};

/** A request as the parser leaves it: its own headers object and its own strings (see node-objects.ts). */
function pair() {
  const req = new IncomingMessage(socket);
  req.method = 'GET';
  req.url = '/items';
  req.headers = { host: 'api.example.com', origin: Buffer.from(ORIGIN, 'latin1').toString('latin1') };
  return { req, res: new ServerResponse(req) };
}

/** CPU time (user and system) per call over one pool of fresh pairs, in ns. */
function pass(run) {
  const pool = Array.from({ length: POOL }, pair);
  const before = process.cpuUsage();
  for (const context of pool) run(context);
  const spent = process.cpuUsage(before);
  return ((spent.user + spent.system) * 1000) / POOL;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const builds = [];
for (const root of roots) builds.push({ root, node: await import(`${resolve(root)}/build/src/node/index.js`) });
const next = () => {};
console.log(`| row (${PASSES} passes of ${POOL}${globalThis.gc ? ', a full GC before each' : ''}) | subject | CPU per call | ÷ floor |`);
console.log('|---|---|---:|---:|');
for (const [row, options] of Object.entries(OPTIONS)) {
  // The floor twice: how far apart two runs of the same code read (an A/A control).
  const subjects = [
    { name: 'floor', run: FLOORS[row] },
    { name: 'floor, again', run: FLOORS[row] },
  ];
  for (const { root, node } of builds) {
    const middleware = node.corsMiddleware(options);
    subjects.push({ name: `corsguard (${root})`, run: ({ req, res }) => middleware(req, res, next) });
  }
  for (let i = 0; i < 100; i++) for (const subject of subjects) pass(subject.run);
  const times = subjects.map(() => []);
  const ratios = subjects.map(() => []);
  for (let i = 0; i < PASSES; i++) {
    globalThis.gc?.();
    const spent = [];
    for (let j = 0; j < subjects.length; j++) {
      const k = (i + j) % subjects.length;
      spent[k] = pass(subjects[k].run);
    }
    subjects.forEach((_, k) => {
      times[k].push(spent[k]);
      ratios[k].push(spent[k] / spent[0]);
    });
  }
  subjects.forEach((subject, k) => {
    console.log(`| actual, allowed, ${row} | ${subject.name} | ${median(times[k]).toFixed(0)} ns | ${median(ratios[k]).toFixed(2)}× |`);
  });
}
