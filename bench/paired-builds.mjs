// Paired before/after timing of corsguard's node:http, Express and Koa middleware and the policy alone, from
// two builds loaded in ONE process: passes of fresh requests alternate between the builds, and each
// figure is the median of per-pass times (the ratio, the median of per-pair ratios), so that the
// drift of a shared, loaded machine lands on both builds alike. Unlike the harness's rows, the node
// and Express rows here write the head (`res.writeHead(200)`), so the cost of anything done when the
// head is written is included.
//
//   node --expose-gc bench/paired-builds.mjs <before-root> <after-root> [passes]
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { resolve } from 'node:path';

const [beforeRoot, afterRoot, passesArg = '400'] = process.argv.slice(2);
const PASSES = Number(passesArg);
const POOL = 200;
const socket = new Socket();
const load = async (root) => ({
  node: await import(`${resolve(root)}/build/src/node/index.js`),
  express: await import(`${resolve(root)}/build/src/express/index.js`),
  policy: await import(`${resolve(root)}/build/src/core/policy.js`),
  // Builds from before `decide` drive the policy through `handle`.
  request: await import(`${resolve(root)}/build/src/core/request.js`).catch(() => undefined),
});
const builds = { before: await load(beforeRoot), after: await load(afterRoot) };
const { default: express } = await import('express');
const app = express();

const OPTIONS = {
  one: {
    allowOrigins: ['https://app.example.com'],
    allowCredentials: true,
    allowMethods: ['PUT', 'DELETE'],
    exposeHeaders: ['X-Total-Count'],
    onWarning() {},
  },
  any: { allowOrigins: '*', exposeHeaders: ['X-Total-Count'], onWarning() {} },
};
const ORIGINS = { allowed: 'https://app.example.com', denied: 'https://app.example.com.attacker.net' };

function pair(origin, expressed) {
  const req = new IncomingMessage(socket);
  req.method = 'GET';
  req.url = '/items';
  req.headers = { host: 'api.example.com', origin: Buffer.from(origin, 'latin1').toString('latin1') };
  const res = new ServerResponse(req);
  if (expressed) {
    Object.setPrototypeOf(req, app.request);
    Object.setPrototypeOf(res, app.response);
  }
  return { req, res };
}

const objectWriter = {
  set(t, n, v) {
    t[n] = v;
  },
  remove(t, n) {
    if (n in t) delete t[n];
  },
  appendVary(t, tokens) {
    t.Vary = t.Vary === undefined ? tokens : `${t.Vary}, ${tokens}`;
  },
};

function rows(build) {
  const out = {};
  for (const [set, options] of Object.entries(OPTIONS)) {
    for (const [verdict, origin] of Object.entries(ORIGINS)) {
      if (set === 'any' && verdict === 'denied') continue;
      const middleware = build.node.corsMiddleware(options);
      const expressMiddleware = build.express.cors(options);
      const policy = new build.policy.CorsPolicy(options);
      out[`node, ${verdict}, ${set}, then writeHead`] = {
        make: () => pair(origin, false),
        run: ({ req, res }) => middleware(req, res, () => res.writeHead(200)),
      };
      out[`express, ${verdict}, ${set}, then writeHead`] = {
        make: () => pair(origin, true),
        run: ({ req, res }) => expressMiddleware(req, res, () => res.writeHead(200)),
      };
      const headerOf = (headers, name) => headers[name];
      out[`policy, ${verdict}, ${set}`] = {
        make: () => ({ origin: Buffer.from(origin, 'latin1').toString('latin1'), out: {} }),
        run:
          build.request === undefined
            ? ({ origin: o, out: target }) => policy.handle(target, objectWriter, 'GET', o, undefined, undefined)
            : ({ origin: o, out: target }) => {
                const request = build.request.readRequest('GET', '/items', { origin: o }, headerOf, undefined);
                policy.writeActual(target, objectWriter, request, policy.decide(request), true);
              },
      };
    }
  }
  return out;
}

const cases = { before: rows(builds.before), after: rows(builds.after) };
function pass(row) {
  const pool = Array.from({ length: POOL }, row.make);
  const t0 = process.hrtime.bigint();
  for (const context of pool) row.run(context);
  return Number(process.hrtime.bigint() - t0) / POOL;
}
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
console.log(`| row (${PASSES} paired passes of ${POOL}) | before | after | after ÷ before |\n|---|---:|---:|---:|`);
for (const name of Object.keys(cases.before)) {
  const b = cases.before[name];
  const a = cases.after[name];
  for (let i = 0; i < 50; i++) {
    pass(b);
    pass(a);
  }
  const times = { before: [], after: [] };
  const ratios = [];
  for (let i = 0; i < PASSES; i++) {
    globalThis.gc?.();
    const first = i % 2 === 0 ? 'before' : 'after';
    const tb = first === 'before' ? pass(b) : undefined;
    const ta = pass(a);
    const tb2 = tb ?? pass(b);
    times.before.push(tb2);
    times.after.push(ta);
    ratios.push(ta / tb2);
  }
  console.log(`| ${name} | ${median(times.before).toFixed(0)} ns | ${median(times.after).toFixed(0)} ns | ${median(ratios).toFixed(2)}× |`);
}
