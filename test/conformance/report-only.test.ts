// A report-only policy beside the enforced one (issue 14, item 7), on every adapter over loopback
// HTTP: every CORS request is also decided by the candidate, each changed verdict is reported to
// onChange, and what is sent is exactly what the enforced policy alone sends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CorsErrorContext, CorsOptions, CorsVerdictChange } from '../../src/core/options.js';
import type { RunningServer } from '../support/server.js';
import { EVERY_ADAPTER, serveAdapter } from './every-adapter.js';

const APP = 'https://app.example.com';
const LEGACY = 'https://legacy.example.com';
const ENFORCED: CorsOptions = { allowOrigins: [APP, LEGACY], allowMethods: ['PUT', 'DELETE'], exposeHeaders: ['X-Total-Count'] };
/** Tightened: the legacy frontend and DELETE go. */
const CANDIDATE: CorsOptions = { allowOrigins: [APP], allowMethods: ['PUT'], exposeHeaders: ['X-Total-Count'] };

interface Exchange {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
}

const EXCHANGES: readonly Exchange[] = [
  { method: 'GET', path: '/items?token=secret', headers: { Origin: LEGACY } },
  { method: 'GET', path: '/items', headers: { Origin: APP } },
  { method: 'OPTIONS', path: '/items/7', headers: { Origin: APP, 'Access-Control-Request-Method': 'DELETE' } },
  { method: 'OPTIONS', path: '/items/7', headers: { Origin: APP, 'Access-Control-Request-Method': 'PUT' } },
  { method: 'OPTIONS', path: '/items', headers: { Origin: LEGACY, 'Access-Control-Request-Method': 'PUT' } },
  { method: 'PUT', path: '/items/7', headers: { Origin: 'https://evil.example' } },
  { method: 'GET', path: '/health', headers: {} },
];

/** Status, every header but Date, and body: what a client can observe. */
async function observe(server: RunningServer, exchange: Exchange): Promise<string> {
  const response = await fetch(server.url + exchange.path, { method: exchange.method, headers: exchange.headers });
  const headers = [...response.headers].filter(([name]) => name !== 'date');
  return JSON.stringify([response.status, headers, await response.text()]);
}

async function observeAll(adapter: string, options: CorsOptions): Promise<string[]> {
  const server = await serveAdapter(adapter, options);
  try {
    const seen: string[] = [];
    for (const exchange of EXCHANGES) seen.push(await observe(server, exchange));
    return seen;
  } finally {
    await server.close();
  }
}

for (const adapter of Object.keys(EVERY_ADAPTER)) {
  test(`${adapter}: the report-only candidate reports each changed verdict and changes no byte of any response`, async () => {
    const changes: CorsVerdictChange[] = [];
    const withCandidate = await observeAll(adapter, {
      ...ENFORCED,
      reportOnly: { options: CANDIDATE, onChange: (change) => changes.push(change) },
    });
    const alone = await observeAll(adapter, ENFORCED);
    assert.deepEqual(withCandidate, alone);
    assert.deepEqual(changes, [
      {
        kind: 'actual',
        origin: LEGACY,
        method: 'GET',
        path: '/items',
        enforced: { allowed: true, reason: 'origin allowed' },
        candidate: { allowed: false, reason: 'origin not allowed' },
      },
      {
        kind: 'preflight',
        origin: APP,
        method: 'DELETE',
        path: '/items/7',
        enforced: { allowed: true, reason: 'allowed', status: 204 },
        candidate: { allowed: false, reason: 'method DELETE is not allowed', status: 200 },
      },
      {
        kind: 'preflight',
        origin: LEGACY,
        method: 'PUT',
        path: '/items',
        enforced: { allowed: true, reason: 'allowed', status: 204 },
        candidate: { allowed: false, reason: 'origin not allowed', status: 403 },
      },
    ]);
  });

  test(`${adapter}: an asynchronous candidate predicate does not hold the response up, and reports once it answers`, async () => {
    let answer: (allowed: boolean) => void = () => {};
    const pending = new Promise<boolean>((resolve) => (answer = resolve));
    let reported: (change: CorsVerdictChange) => void = () => {};
    const change = new Promise<CorsVerdictChange>((resolve) => (reported = resolve));
    const server = await serveAdapter(adapter, {
      ...ENFORCED,
      reportOnly: { options: { allowOriginPredicate: () => pending, originPredicateTimeout: 60_000 }, onChange: (c) => reported(c) },
    });
    try {
      // The candidate has not answered: the enforced answer is sent all the same.
      const response = await fetch(`${server.url}/items`, { headers: { Origin: LEGACY } });
      assert.equal(response.headers.get('access-control-allow-origin'), LEGACY);
      assert.equal(await response.text(), 'ok');
      answer(false);
      assert.deepEqual((await change).candidate, { allowed: false, reason: 'origin not allowed' });
    } finally {
      await server.close();
    }
  });

  test(`${adapter}: an onChange that throws breaks no request; the error goes to onError as a hook's`, async () => {
    const errors: CorsErrorContext['source'][] = [];
    const server = await serveAdapter(adapter, {
      ...ENFORCED,
      onError: (_error, context) => errors.push(context.source),
      reportOnly: {
        options: CANDIDATE,
        onChange: () => {
          throw new Error('log sink down');
        },
      },
    });
    try {
      const response = await fetch(`${server.url}/items`, { headers: { Origin: LEGACY } });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('access-control-allow-origin'), LEGACY);
    } finally {
      await server.close();
    }
    assert.deepEqual(errors, ['hook']);
  });
}
