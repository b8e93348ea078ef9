/**
 * Safe failure: an origin predicate that throws, rejects or never settles denies that one
 * request, reports the error, and leaves every other request alone; options mutated after
 * construction change nothing; one request's origin never appears in another's response.
 * All over real HTTP through every adapter, except where only the policy is involved.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { CorsPolicy, type PreflightAnswer } from '../../src/core/policy.js';
import type { CorsErrorContext, CorsOptions, OriginPredicate } from '../../src/core/options.js';
import { isBrowserOrigin } from './reference-model.js';
import { ADAPTERS, mapHeaderWriter, seededRandom, type RunningServer } from './support.js';
import { requestOrigin } from './arbitraries.js';
import { drive } from '../support/drive-policy.js';

const servers: RunningServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

async function start(adapterIndex: number, options: CorsOptions): Promise<RunningServer> {
  const server = await ADAPTERS[adapterIndex]!.start(options);
  servers.push(server);
  return server;
}

interface Answer {
  readonly status: number;
  readonly allowOrigin: string | null;
  readonly headers: Headers;
}

async function send(server: RunningServer, origin: string, preflight = false): Promise<Answer> {
  const headers: Record<string, string> = { Origin: origin };
  if (preflight) headers['Access-Control-Request-Method'] = 'PUT';
  const response = await fetch(`http://127.0.0.1:${server.port}/r`, { method: preflight ? 'OPTIONS' : 'GET', headers });
  await response.arrayBuffer();
  return { status: response.status, allowOrigin: response.headers.get('access-control-allow-origin'), headers: response.headers };
}

/** A predicate that fails in the way its origin asks for, and allows `https://good.test`. */
function failingPredicate(): OriginPredicate {
  return (origin) => {
    switch (origin) {
      case 'https://throws.test':
        throw new Error('predicate threw');
      case 'https://rejects.test':
        return Promise.reject(new Error('predicate rejected'));
      case 'https://hangs.test':
        return new Promise<boolean>(() => undefined);
      case 'https://slow-yes.test':
        return new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 10));
      case 'https://truthy.test':
        return Promise.resolve('yes' as unknown as boolean);
      default:
        return origin === 'https://good.test';
    }
  };
}

for (const [index, adapter] of ADAPTERS.entries()) {
  test(`${adapter.name}: a throwing, rejecting or hanging predicate denies that request only, and is reported`, async () => {
    const errors: Array<{ message: string; context: CorsErrorContext }> = [];
    const server = await start(index, {
      allowOriginPredicate: failingPredicate(),
      allowMethods: ['PUT'],
      originPredicateTimeout: 100,
      onError: (error, context) => errors.push({ message: (error as Error).message, context }),
    });
    const failing = ['https://throws.test', 'https://rejects.test', 'https://hangs.test'];
    // Everything at once: the failures must not hold up or change the good requests.
    const [bad, badPreflights, good, slow, truthy] = await Promise.all([
      Promise.all(failing.map((o) => send(server, o))),
      Promise.all(failing.map((o) => send(server, o, true))),
      Promise.all(Array.from({ length: 20 }, () => send(server, 'https://good.test'))),
      send(server, 'https://slow-yes.test'),
      send(server, 'https://truthy.test'),
    ]);
    for (const answer of bad) {
      assert.equal(answer.status, 200, 'CORS is not access control: the handler still answers');
      assert.equal(answer.allowOrigin, null);
    }
    for (const answer of badPreflights) {
      assert.equal(answer.status, 403);
      assert.equal(answer.allowOrigin, null);
    }
    for (const answer of good) assert.equal(answer.allowOrigin, 'https://good.test');
    assert.equal(slow.allowOrigin, 'https://slow-yes.test');
    assert.equal(truthy.allowOrigin, null, 'only true allows, not a truthy value');
    const messages = errors.map((e) => e.message).sort();
    assert.deepEqual(
      messages.filter((m) => m.startsWith('predicate')),
      ['predicate rejected', 'predicate rejected', 'predicate threw', 'predicate threw'],
    );
    assert.equal(messages.filter((m) => /did not answer within 100 ms/.test(m)).length, 2);
    for (const { context } of errors) {
      assert.equal(context.source, 'origin-predicate');
      assert.ok(failing.includes(context.origin!));
    }
  });
}

test('the predicate timeout defaults to 1000 ms', async () => {
  const errors: string[] = [];
  const policy = new CorsPolicy({
    allowOriginPredicate: () => new Promise<boolean>(() => undefined),
    onError: (e) => errors.push(String(e)),
  });
  assert.equal(await policy.allowsOrigin('https://hangs.test'), false);
  assert.match(errors[0] ?? '', /did not answer within 1000 ms; the origin was denied/);
});

test('an answer that arrives after the timeout changes nothing and is not an error', async () => {
  const errors: unknown[] = [];
  let late: (value: boolean) => void = () => undefined;
  const policy = new CorsPolicy({
    allowOriginPredicate: () => new Promise<boolean>((resolve) => (late = resolve)),
    originPredicateTimeout: 20,
    onError: (e) => errors.push(e),
  });
  const out = new Map<string, string>();
  const result = await drive(policy, out, mapHeaderWriter, 'OPTIONS', 'https://late.test', 'GET', undefined);
  late(true);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal((result as PreflightAnswer).status, 403);
  assert.equal(out.get('access-control-allow-origin'), undefined);
  assert.equal(errors.length, 1);
});

test('the predicate only ever sees origins a browser could send, or null', () => {
  const seen: string[] = [];
  const policy = new CorsPolicy({ allowOriginPredicate: (origin) => (seen.push(origin), false), onError: () => undefined });
  fc.assert(
    fc.property(requestOrigin, (origin) => {
      if (origin !== undefined) policy.allowsOrigin(origin);
    }),
    { numRuns: 5000, seed: 6 },
  );
  // Values that pass a character grammar but that the URL parser reads differently.
  for (const origin of [
    'http://0x7f.1',
    'http://1.2.3',
    'http://[0:0::1]',
    'http://xn--zz.com',
    'https://example.com.',
    'ftp://a.test:21',
  ]) {
    policy.allowsOrigin(origin);
  }
  assert.ok(seen.length > 500);
  for (const origin of seen) assert.ok(origin === 'null' || isBrowserOrigin(origin), JSON.stringify(origin));
});

test('options mutated after construction change nothing', async () => {
  const origins = ['https://a.test', 'https://*.tenant.test'];
  const methods = ['PUT'];
  const headers = ['X-Api-Key'];
  const exposed = ['X-Total-Count'];
  const regex = /https:\/\/[a-z]+\.regex\.test/;
  const errors: string[] = [];
  const options: CorsOptions = {
    allowOrigins: origins,
    allowOriginRegex: regex,
    allowOriginPredicate: (origin) => origin === 'https://predicate.test',
    allowMethods: methods,
    allowHeaders: headers,
    exposeHeaders: exposed,
    maxAge: 60,
    onError: (e) => errors.push(String(e)),
  };
  const server = await start(0, options);
  const policy = new CorsPolicy(options);
  const before = await Promise.all(
    ['https://a.test', 'https://x.tenant.test', 'https://b.regex.test', 'https://predicate.test', 'https://evil.test'].map((o) =>
      send(server, o),
    ),
  );

  // Mutate everything that can be mutated.
  origins.push('https://evil.test');
  origins[0] = '*';
  origins.length = 1;
  methods.push('DELETE');
  headers.push('X-Evil');
  exposed.push('X-Secret');
  regex.lastIndex = 7;
  Object.defineProperty(regex, 'source', { value: '.*' });
  (regex as { test: unknown }).test = () => true;
  options.allowOrigins = '*';
  options.allowCredentials = true;
  options.allowOriginPredicate = () => true;
  options.allowMethods = '*';
  options.maxAge = 0;
  options.onError = () => {
    throw new Error('the replaced hook must never run');
  };

  const afterwards = await Promise.all(
    ['https://a.test', 'https://x.tenant.test', 'https://b.regex.test', 'https://predicate.test', 'https://evil.test'].map((o) =>
      send(server, o),
    ),
  );
  assert.deepEqual(
    afterwards.map((a) => a.allowOrigin),
    before.map((a) => a.allowOrigin),
  );
  assert.deepEqual(
    before.map((a) => a.allowOrigin),
    ['https://a.test', 'https://x.tenant.test', 'https://b.regex.test', 'https://predicate.test', null],
  );
  for (const answer of afterwards) {
    assert.equal(answer.headers.get('access-control-allow-credentials'), null);
    if (answer.allowOrigin !== null) assert.equal(answer.headers.get('access-control-expose-headers'), 'X-Total-Count');
  }
  const out = new Map<string, string>();
  const preflight = drive(policy, out, mapHeaderWriter, 'OPTIONS', 'https://a.test', 'DELETE', 'x-evil') as PreflightAnswer;
  assert.equal(preflight.allowed, false);
  const ok = new Map<string, string>();
  assert.equal((drive(policy, ok, mapHeaderWriter, 'OPTIONS', 'https://a.test', 'PUT', 'x-api-key') as PreflightAnswer).allowed, true);
  assert.equal(ok.get('access-control-max-age'), '60');
  assert.equal(ok.get('access-control-allow-methods'), 'PUT');
  assert.deepEqual(errors, []);
});

test('what the policy hands out cannot be changed by one request for the next', () => {
  const policy = new CorsPolicy({ allowOrigins: ['https://a.test'], allowMethods: ['PUT'] });
  const allowed = drive(policy, new Map(), mapHeaderWriter, 'OPTIONS', 'https://a.test', 'PUT', undefined) as PreflightAnswer;
  const refused = drive(policy, new Map(), mapHeaderWriter, 'OPTIONS', 'https://evil.test', 'PUT', undefined) as PreflightAnswer;
  for (const result of [allowed, refused]) {
    assert.ok(Object.isFrozen(result));
    assert.throws(() => {
      (result as { status: number }).status = 200;
    }, TypeError);
  }
  const again = drive(policy, new Map(), mapHeaderWriter, 'OPTIONS', 'https://evil.test', 'PUT', undefined) as PreflightAnswer;
  assert.equal(again.status, 403);
  assert.ok(Object.isFrozen(policy));
});

for (const [index, adapter] of ADAPTERS.entries()) {
  test(`${adapter.name}: under concurrency with an async predicate, no response carries another request's origin`, async () => {
    const random = seededRandom(42 + index);
    const server = await start(index, {
      // Allows tenants with an even number, after a random delay, so answers finish out of order.
      allowOriginPredicate: (origin) =>
        new Promise<boolean>((resolve) =>
          setTimeout(() => resolve(/^https:\/\/t\d*[02468]\.tenant\.test$/.test(origin)), Math.floor(random() * 15)),
        ),
      allowCredentials: true,
      exposeHeaders: ['X-Total-Count'],
    });
    // Keep-alive connections, so consecutive requests on one socket are answered from one response object each.
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const one = (i: number) =>
      new Promise<{ origin: string; allowOrigin: string | undefined; vary: string | undefined }>((resolve, reject) => {
        const origin = `https://t${i}.tenant.test`;
        const preflight = i % 5 === 0;
        const req = httpRequest(
          {
            agent,
            host: '127.0.0.1',
            port: server.port,
            path: `/r?i=${i}`,
            method: preflight ? 'OPTIONS' : 'GET',
            headers: preflight ? { Origin: origin, 'Access-Control-Request-Method': 'GET' } : { Origin: origin },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ origin, allowOrigin: res.headers['access-control-allow-origin'], vary: res.headers.vary }));
          },
        );
        req.on('error', reject);
        req.end();
      });
    const answers = await Promise.all(Array.from({ length: 600 }, (_, i) => one(i)));
    agent.destroy();
    let allowed = 0;
    for (const { origin, allowOrigin, vary } of answers) {
      const expected = /[02468]\.tenant/.test(origin);
      assert.equal(allowOrigin, expected ? origin : undefined, `${origin} got ${allowOrigin}`);
      assert.equal(vary, 'Origin');
      if (expected) allowed++;
    }
    assert.equal(allowed, 300);
  });
}
