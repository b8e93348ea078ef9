/**
 * A cross-check of the in-process harness, kept small enough to read in a minute: the
 * hand-written floor, corsguard's `corsMiddleware` and `cors` on an allowed actual request
 * (1 origin), each on fresh `IncomingMessage`/`ServerResponse` pairs, in alternating passes.
 * It answers one question the targets depend on: how much faster than `cors` the floor itself
 * is on this machine and Node version (corsguard cannot beat the floor by much, since both
 * make the same `setHeader` calls).
 *
 *   node build/bench/floor-check.js [--quick]   (--quick: a few passes, for the tests; numbers mean nothing)
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import cors from 'cors';
import { corsMiddleware } from '../src/node/index.js';
import { EXPOSE_HEADERS, ONE_ORIGIN, corsPackageOptions, corsguardOptions } from './workloads.js';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

const allowed = new Set([ONE_ORIGIN]);
const exposeValue = EXPOSE_HEADERS.join(', ');
const floor: Middleware = (req, res, next) => {
  res.setHeader('Vary', 'Origin');
  const origin = req.headers.origin;
  if (origin !== undefined && allowed.has(origin)) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Access-Control-Expose-Headers', exposeValue);
  }
  next();
};

const middlewares: Record<string, Middleware> = {
  floor,
  corsguard: corsMiddleware(corsguardOptions('one')),
  cors: cors(corsPackageOptions('one')) as Middleware,
};

const socket = new Socket();
function freshPair(): [IncomingMessage, ServerResponse] {
  const req = new IncomingMessage(socket);
  req.method = 'GET';
  // A new string per request, as the HTTP parser makes them (no cached hash).
  req.headers = { host: 'api.example.com', origin: Buffer.from(ONE_ORIGIN, 'latin1').toString('latin1') };
  return [req, new ServerResponse(req)];
}

const next = (): void => {};
const PAIRS_PER_PASS = 2000;
function pass(middleware: Middleware): number {
  const pool = Array.from({ length: PAIRS_PER_PASS }, freshPair);
  const start = process.hrtime.bigint();
  for (const [req, res] of pool) middleware(req, res, next);
  return Number(process.hrtime.bigint() - start) / PAIRS_PER_PASS;
}

const quick = process.argv.includes('--quick');
const PASSES = quick ? 3 : 300;
const WARMUP_PASSES = quick ? 1 : 50;
const times: Record<string, number[]> = Object.fromEntries(Object.keys(middlewares).map((id) => [id, []]));
for (let i = 0; i < PASSES; i++) for (const [id, middleware] of Object.entries(middlewares)) times[id]!.push(pass(middleware));
const median = (values: number[]): number => {
  const sorted = values.slice(WARMUP_PASSES).sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
};
const ns = Object.fromEntries(Object.entries(times).map(([id, values]) => [id, median(values)]));
for (const [id, value] of Object.entries(ns)) process.stdout.write(`${id.padEnd(10)} ${value.toFixed(0)} ns per request\n`);
process.stdout.write(`cors ÷ floor ${(ns.cors! / ns.floor!).toFixed(2)}×; cors ÷ corsguard ${(ns.cors! / ns.corsguard!).toFixed(2)}×\n`);
