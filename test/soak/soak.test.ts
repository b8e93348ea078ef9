/**
 * Soak: a bounded run of SOAK_REQUESTS (default 1,000,000) requests with random origins through
 * node:http + withCors, over loopback keep-alive connections from several concurrent clients
 * (each pipelining a batch of requests, so the run stays within a couple of minutes on 2 cores).
 * Every response is checked against its own request; the server process reports heap (after a
 * full GC) and RSS as the run goes; at the end no connection is left open. The memory assertion
 * is a bound on heap growth after warm-up, sized to catch any per-origin or per-request
 * retention (which would grow by tens of MB over the unique origins sent). No timing assertions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../security/support.js';
import type { SoakSample } from './soak-server.js';

const TOTAL = Number(process.env.SOAK_REQUESTS ?? 1_000_000);
const CLIENTS = Number(process.env.SOAK_CLIENTS ?? 8);
const PIPELINE = Number(process.env.SOAK_PIPELINE ?? 32);
const SAMPLES = 10;
const WARM_UP_SAMPLE = 2;
/** Allowed heap growth (after GC) from the end of warm-up to the end of the run. */
const HEAP_GROWTH_BOUND = 8 * 1024 * 1024;

const ALLOWED_EXACT = ['https://app.example.com', 'https://admin.example.com', 'http://localhost:3000'];

interface Exchange {
  readonly bytes: string;
  /** The Access-Control-Allow-Origin the response must carry, or undefined for none. */
  readonly allowOrigin: string | undefined;
  readonly status: number;
}

/** One request with a fresh random origin, and what its response must say. */
function makeExchange(random: () => number, n: number): Exchange {
  const roll = random();
  const unique = `r${n.toString(36)}${Math.floor(random() * 1e6).toString(36)}`;
  let origin: string | undefined;
  let allowed = false;
  let preflight = false;
  if (roll < 0.2) {
    origin = ALLOWED_EXACT[Math.floor(random() * ALLOWED_EXACT.length)]!;
    allowed = true;
  } else if (roll < 0.45) {
    origin = `https://${unique}.example.com`;
    allowed = true;
  } else if (roll < 0.7) {
    origin = `https://${unique}.evil.test`;
  } else if (roll < 0.8) {
    origin = `https://${unique.toUpperCase()}.EXAMPLE.com`;
  } else if (roll < 0.9) {
    origin = undefined;
  } else {
    origin = random() < 0.5 ? `https://${unique}.example.com` : `https://${unique}.evil.test`;
    allowed = origin.endsWith('.example.com');
    preflight = true;
  }
  let bytes = `${preflight ? 'OPTIONS' : 'GET'} /items?n=${n} HTTP/1.1\r\nHost: 127.0.0.1\r\n`;
  if (origin !== undefined) bytes += `Origin: ${origin}\r\n`;
  if (preflight) bytes += 'Access-Control-Request-Method: PUT\r\nAccess-Control-Request-Headers: authorization\r\n';
  bytes += '\r\n';
  return { bytes, allowOrigin: allowed ? origin : undefined, status: preflight ? (allowed ? 204 : 403) : 200 };
}

const ACAO = /\r\naccess-control-allow-origin: ([^\r]*)/i;
const LENGTH = /\r\ncontent-length: (\d+)/i;

/** Runs one keep-alive connection: batches of pipelined requests, each response checked in order. */
function client(port: number, next: () => number | undefined, random: () => number, failures: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    let inFlight: Exchange[] = [];
    let buffer = '';
    let done = 0;
    const send = () => {
      const batch: Exchange[] = [];
      for (let i = 0; i < PIPELINE; i++) {
        const n = next();
        if (n === undefined) break;
        batch.push(makeExchange(random, n));
      }
      if (batch.length === 0) {
        socket.end();
        return;
      }
      inFlight = batch;
      socket.write(batch.map((e) => e.bytes).join(''), 'latin1');
    };
    socket.on('connect', send);
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        const headEnd = buffer.indexOf('\r\n\r\n');
        if (headEnd === -1) return;
        const head = buffer.slice(0, headEnd);
        const length = Number(LENGTH.exec(head)?.[1] ?? 0);
        if (buffer.length < headEnd + 4 + length) return;
        buffer = buffer.slice(headEnd + 4 + length);
        const expected = inFlight.shift();
        const status = Number(head.slice(9, 12));
        const allowOrigin = ACAO.exec(head)?.[1];
        if (expected === undefined || status !== expected.status || allowOrigin !== expected.allowOrigin) {
          if (failures.length < 10) failures.push(JSON.stringify({ request: expected?.bytes, status, allowOrigin }));
        }
        done++;
        if (inFlight.length === 0) send();
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(done));
  });
}

function ask(child: ChildProcess): Promise<SoakSample> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as SoakSample));
    child.send('sample');
  });
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

test(`soak: ${TOTAL.toLocaleString('en')} requests with random origins through node:http + withCors`, { timeout: 600_000 }, async (t) => {
  const child = fork(fileURLToPath(new URL('./soak-server.js', import.meta.url)), [], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const { port } = await new Promise<{ port: number }>((resolve) => child.once('message', (m) => resolve(m as { port: number })));
    const random = seededRandom(Number(process.env.SOAK_SEED ?? 1));
    const failures: string[] = [];
    const rows: Array<{ requests: number; seconds: number; sample: SoakSample }> = [];
    const started = Date.now();
    rows.push({ requests: 0, seconds: 0, sample: await ask(child) });

    // Requests are handed out in slices; after each slice the clients stop and the server is sampled.
    const slice = Math.ceil(TOTAL / SAMPLES);
    let issued = 0;
    let answered = 0;
    for (let s = 1; s <= SAMPLES; s++) {
      const end = Math.min(TOTAL, s * slice);
      const next = () => (issued < end ? issued++ : undefined);
      const counts = await Promise.all(Array.from({ length: CLIENTS }, () => client(port, next, random, failures)));
      answered += counts.reduce((a, b) => a + b, 0);
      rows.push({ requests: answered, seconds: (Date.now() - started) / 1000, sample: await ask(child) });
      assert.deepEqual(failures, [], 'every response matches its own request');
    }

    const table = [
      '| requests | elapsed (s) | heap used after GC (MB) | RSS (MB) | open connections |',
      '|---:|---:|---:|---:|---:|',
      ...rows.map(
        (r) =>
          `| ${r.requests.toLocaleString('en')} | ${r.seconds.toFixed(1)} | ${mb(r.sample.heapUsed)} | ${mb(r.sample.rss)} | ${r.sample.connections} |`,
      ),
    ].join('\n');
    t.diagnostic(`\n${table}`);
    const report = [
      '# Soak run',
      '',
      `Generated by \`test/soak/soak.test.ts\` on ${new Date().toISOString()}: ${TOTAL.toLocaleString('en')} requests with random origins`,
      `(fresh subdomains allowed by a pattern, denied hosts, upper-case variants, no Origin, 10% preflights) through`,
      `node:http + withCors on loopback, ${CLIENTS} keep-alive connections pipelining ${PIPELINE} requests each, Node ${process.version}.`,
      'The server runs in its own process; heap is measured after a full GC.',
      '',
      table,
      '',
    ].join('\n');
    const reports = fileURLToPath(new URL('../../../reports/', import.meta.url));
    mkdirSync(reports, { recursive: true });
    writeFileSync(`${reports}soak.md`, report);

    // The server notices a closed connection a moment after the client does.
    let last = rows[rows.length - 1]!.sample;
    for (let i = 0; i < 50 && last.connections > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      last = await ask(child);
    }
    assert.equal(answered, TOTAL, 'every request got its answer');
    assert.equal(last.errors, 0, 'no handler, predicate or client error on the server');
    assert.equal(last.connections, 0, 'no socket left open once the clients are gone');
    const warm = rows[WARM_UP_SAMPLE]!.sample;
    const growth = last.heapUsed - warm.heapUsed;
    assert.ok(growth < HEAP_GROWTH_BOUND, `heap grew ${mb(growth)} MB after warm-up (bound ${mb(HEAP_GROWTH_BOUND)} MB)`);
  } finally {
    child.send('stop');
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
  }
});
