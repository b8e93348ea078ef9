/**
 * Fuzzing: random bytes in every request header the policy reads (Origin,
 * Access-Control-Request-Method, Access-Control-Request-Headers) and in the method, through
 * every adapter over real sockets, then through the policy directly with arbitrary strings.
 * No exception escapes, nothing hangs (each exchange has a deadline), every response is a
 * well-formed HTTP message, and an Access-Control-Allow-Origin only ever names an allowed origin.
 * Bounded: FUZZ_REQUESTS per adapter (default 1500), FUZZ_SEED for reproduction.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { METHODS } from 'node:http';
import fc from 'fast-check';
import { CorsPolicy, type PreflightAnswer } from '../../src/core/policy.js';
import type { CorsOptions } from '../../src/core/options.js';
import { modelAllowsOrigin } from './reference-model.js';
import { drive } from '../support/drive-policy.js';
import {
  ADAPTERS,
  fieldGet,
  fieldValues,
  mapHeaderWriter,
  parseResponse,
  rawExchange,
  seededRandom,
  type RunningServer,
} from './support.js';

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 1500);
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);

const errors: unknown[] = [];
const OPTIONS: CorsOptions = {
  allowOrigins: ['https://app.example.com', 'https://*.example.com', 'http://localhost:*'],
  allowOriginRegex: 'https://[a-z0-9-]+\\.tenant\\.test',
  allowCredentials: true,
  allowMethods: ['PUT', 'DELETE'],
  allowHeaders: ['Authorization', 'X-Api-Key'],
  exposeHeaders: ['X-Total-Count'],
  maxAge: 600,
  onError: (error) => errors.push(error),
};

const TCHAR = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const SEEDS = [
  'https://app.example.com',
  'https://a.example.com',
  'http://localhost:8080',
  'https://x.tenant.test',
  'null',
  'PUT',
  'authorization,x-api-key',
];

/** Random header bytes: mostly what an HTTP parser lets through, sometimes anything at all. */
function fuzzValue(random: () => number): Buffer {
  const roll = random();
  if (roll > 0.75) return Buffer.from(SEEDS[Math.floor(random() * SEEDS.length)]!, 'latin1');
  const length = roll < 0.02 ? Math.floor(random() * 8000) : Math.floor(random() * 80);
  const start = roll < 0.5 ? Buffer.from(SEEDS[Math.floor(random() * SEEDS.length)]!, 'latin1') : Buffer.alloc(0);
  const bytes = Buffer.alloc(length);
  const anything = random() < 0.1;
  for (let i = 0; i < length; i++) {
    if (anything) bytes[i] = Math.floor(random() * 256);
    else {
      const b = 0x20 + Math.floor(random() * 0xe0); // SP..0xFF, minus DEL below
      bytes[i] = b === 0x7f ? 0x09 : b;
    }
  }
  // Splice the random bytes into a plausible value half the time.
  if (start.length > 0) {
    const at = Math.floor(random() * start.length);
    return Buffer.concat([start.subarray(0, at), bytes, start.subarray(at)]);
  }
  return bytes;
}

function fuzzMethod(random: () => number): string {
  const roll = random();
  if (roll < 0.5) return 'OPTIONS';
  if (roll < 0.9) {
    // Node's parser knows these; any other method is refused before an adapter sees it.
    const known = METHODS.filter((m) => m !== 'CONNECT');
    return known[Math.floor(random() * known.length)]!;
  }
  let method = '';
  const length = 1 + Math.floor(random() * 12);
  for (let i = 0; i < length; i++) method += TCHAR[Math.floor(random() * TCHAR.length)];
  // CONNECT switches node's server to a tunnel; that is node's protocol, not a CORS request.
  return method.toUpperCase() === 'CONNECT' ? 'GET' : method;
}

function fuzzRequest(random: () => number): { method: string; bytes: Buffer } {
  const method = fuzzMethod(random);
  const parts: Buffer[] = [Buffer.from(`${method} /r HTTP/1.1\r\nHost: 127.0.0.1\r\n`, 'latin1')];
  for (const name of ['Origin', 'Access-Control-Request-Method', 'Access-Control-Request-Headers']) {
    const copies = random() < 0.7 ? 1 : random() < 0.5 ? 0 : 2;
    for (let i = 0; i < copies; i++) parts.push(Buffer.from(`${name}: `, 'latin1'), fuzzValue(random), Buffer.from('\r\n', 'latin1'));
  }
  parts.push(Buffer.from('Connection: close\r\n\r\n', 'latin1'));
  return { method, bytes: Buffer.concat(parts) };
}

const servers: RunningServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

for (const adapter of ADAPTERS) {
  test(`fuzz over raw sockets through ${adapter.name}: ${REQUESTS} requests, well-formed answers, no escaped exception`, async (t) => {
    const server = await adapter.start(OPTIONS);
    servers.push(server);
    const random = seededRandom(SEED);
    const statuses = new Map<number, number>();
    let reachedPolicy = 0;
    let allowed = 0;
    // Four connections at a time keeps the run short without making failures hard to read.
    let next = 0;
    const worker = async () => {
      while (next < REQUESTS) {
        const index = next++;
        const { method, bytes } = fuzzRequest(random);
        const label = `${adapter.name} #${index}: ${JSON.stringify(bytes.toString('latin1').slice(0, 300))}`;
        let raw: Buffer;
        try {
          raw = await rawExchange(server.port, bytes, 5000);
        } catch (error) {
          throw new Error(`${label}: ${(error as Error).message}`);
        }
        let response;
        try {
          response = parseResponse(raw, method);
        } catch (error) {
          throw new Error(`${label}: malformed response: ${(error as Error).message}`);
        }
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        assert.ok(response.status !== 500, `${label}: a 500 means something threw`);
        if (response.status !== 400) {
          reachedPolicy++;
          assert.ok(
            fieldValues(response, 'vary').some((v) => /\borigin\b/i.test(v)),
            `${label}: Vary: Origin`,
          );
        }
        for (const name of [
          'access-control-allow-origin',
          'access-control-allow-credentials',
          'access-control-allow-methods',
          'access-control-allow-headers',
          'access-control-max-age',
          'access-control-expose-headers',
        ]) {
          assert.ok(fieldValues(response, name).length <= 1, `${label}: one ${name} at most`);
        }
        const allowOrigin = fieldGet(response, 'access-control-allow-origin');
        if (allowOrigin !== null) allowed++;
        if (allowOrigin !== null)
          assert.ok(modelAllowsOrigin(OPTIONS, allowOrigin), `${label}: ACAO ${JSON.stringify(allowOrigin)} is an allowed origin`);
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    // The fuzzer is useless if every request dies in the HTTP parser.
    assert.ok(
      reachedPolicy > REQUESTS / 3,
      `requests that reached the policy: ${reachedPolicy}; statuses ${JSON.stringify([...statuses])}`,
    );
    t.diagnostic(`reached the policy: ${reachedPolicy}, allowed: ${allowed}, statuses: ${JSON.stringify([...statuses].sort())}`);
    assert.deepEqual(errors, []);
  });
}

test('fuzz the policy directly with arbitrary strings: no throw, ACAO only for allowed origins', () => {
  const policy = new CorsPolicy(OPTIONS);
  const text = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 100 }),
    fc.constantFrom(...SEEDS),
    fc.string({ unit: 'grapheme', maxLength: 30 }),
  );
  fc.assert(
    fc.property(
      fc.option(text, { nil: undefined }),
      fc.option(text, { nil: undefined }),
      fc.option(text, { nil: undefined }),
      fc.oneof(fc.constantFrom('OPTIONS', 'GET', 'PUT'), text),
      (origin, acrm, acrh, method) => {
        const out = new Map<string, string>();
        const result = drive(policy, out, mapHeaderWriter, method, origin, acrm, acrh);
        const allowOrigin = out.get('access-control-allow-origin');
        if (allowOrigin !== undefined) {
          assert.equal(allowOrigin, origin);
          assert.ok(modelAllowsOrigin(OPTIONS, allowOrigin));
        }
        if (result !== undefined) {
          const preflight = result as PreflightAnswer;
          assert.ok(preflight.status === 204 || preflight.status === 200 || preflight.status === 403);
          assert.ok(/^[\x20-\x7e\n]*$/.test(preflight.body), `the body echoes nothing unvalidated: ${JSON.stringify(preflight.body)}`);
        }
        for (const value of out.values()) assert.ok(/^[\x20-\x7e]*$/.test(value), JSON.stringify(value));
      },
    ),
    { numRuns: 30000, seed: SEED },
  );
  assert.deepEqual(errors, []);
});
