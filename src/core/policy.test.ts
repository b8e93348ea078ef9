import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CorsPolicy, mergeVary, type CorsDecision, type CorsOptions, type HeaderWriter, type PreflightAnswer } from '../index.js';
import { drive } from '../../test/support/drive-policy.js';

/** A response's headers as the policy leaves them, keyed by lower-case name. */
type Recorded = Map<string, string>;

const recordWriter: HeaderWriter<Recorded> = {
  set: (h, name, value) => void h.set(name.toLowerCase(), value),
  remove: (h, name) => void h.delete(name.toLowerCase()),
  appendVary: (h, tokens) => {
    const merged = mergeVary(h.get('vary'), tokens);
    if (merged !== undefined) h.set('vary', merged);
  },
};

interface Exchange {
  headers: Record<string, string>;
  preflight: PreflightAnswer | undefined;
}

async function send(
  policy: CorsPolicy,
  method: string,
  request: { origin?: string; acrm?: string; acrh?: string },
  existing: Record<string, string> = {},
): Promise<Exchange> {
  const headers: Recorded = new Map(Object.entries(existing));
  const preflight = await drive(policy, headers, recordWriter, method, request.origin, request.acrm, request.acrh, '/items?secret=1');
  return { headers: Object.fromEntries(headers), preflight };
}

const quiet = { onWarning: () => undefined, onError: () => undefined } satisfies Partial<CorsOptions>;
const production: CorsOptions = {
  allowOrigins: ['http://localhost:3000', 'https://yourdomain.com', 'https://www.yourdomain.com'],
  allowCredentials: true,
  allowMethods: ['GET', 'POST', 'PUT', 'DELETE'],
  allowHeaders: ['Authorization', 'Content-Type'],
  exposeHeaders: ['X-Total-Count'],
  maxAge: 600,
};

test('actual request from an allowed origin: echoed origin, credentials, exposed headers, Vary', async () => {
  const { headers, preflight } = await send(new CorsPolicy(production), 'GET', { origin: 'https://yourdomain.com' });
  assert.equal(preflight, undefined);
  assert.deepEqual(headers, {
    vary: 'Origin',
    'access-control-allow-origin': 'https://yourdomain.com',
    'access-control-allow-credentials': 'true',
    'access-control-expose-headers': 'X-Total-Count',
  });
});

test("actual request from a denied origin: no CORS headers (another layer's removed), Vary kept", async () => {
  const { headers } = await send(
    new CorsPolicy(production),
    'GET',
    { origin: 'https://evil.com' },
    {
      'access-control-allow-origin': '*',
      'access-control-allow-credentials': 'true',
    },
  );
  assert.deepEqual(headers, { vary: 'Origin' });
});

test('request without Origin: Vary: Origin for an origin-dependent policy, * for a public one', async () => {
  assert.deepEqual((await send(new CorsPolicy(production), 'GET', {})).headers, { vary: 'Origin' });
  assert.deepEqual((await send(new CorsPolicy({ allowOrigins: '*', exposeHeaders: ['X-A'] }), 'GET', {})).headers, {
    'access-control-allow-origin': '*',
    'access-control-expose-headers': 'X-A',
  });
});

test('public policy answers * to every origin, with no Vary', async () => {
  const { headers } = await send(new CorsPolicy({ allowOrigins: ['*'] }), 'POST', { origin: 'https://anyone.example' });
  assert.deepEqual(headers, { 'access-control-allow-origin': '*' });
});

test("Vary is appended to a handler's own value, never duplicated, and Vary: * is left alone", () => {
  assert.equal(mergeVary(undefined, 'Origin'), 'Origin');
  assert.equal(mergeVary('Accept-Encoding', 'Origin'), 'Accept-Encoding, Origin');
  assert.equal(mergeVary('accept-encoding, origin', 'Origin'), undefined);
  assert.equal(mergeVary('*', 'Origin'), undefined);
  assert.equal(mergeVary('Origin', 'Origin, Access-Control-Request-Method'), 'Origin, Access-Control-Request-Method');
  // An empty Vary is no Vary; tokens that are not a token list add nothing.
  assert.equal(mergeVary('', 'Origin'), 'Origin');
  assert.equal(mergeVary('Accept', 'Origin@'), undefined);
});

test('allowed preflight: configured status, allow lists, max-age; the handler is not run', async () => {
  const { headers, preflight } = await send(new CorsPolicy(production), 'OPTIONS', {
    origin: 'http://localhost:3000',
    acrm: 'PUT',
    acrh: 'authorization,content-type',
  });
  assert.deepEqual(preflight, { kind: 'preflight', allowed: true, status: 204, body: '', reason: 'allowed', refusedBy: undefined });
  assert.deepEqual(headers, {
    vary: 'Origin',
    'access-control-allow-origin': 'http://localhost:3000',
    'access-control-allow-credentials': 'true',
    'access-control-allow-methods': 'DELETE, PUT',
    'access-control-allow-headers': 'authorization, content-type',
    'access-control-max-age': '600',
  });
});

test('maxAge 0 is sent as 0 (no caching); no maxAge sends nothing', async () => {
  const zero = await send(new CorsPolicy({ allowOrigins: ['https://a.com'], maxAge: 0 }), 'OPTIONS', {
    origin: 'https://a.com',
    acrm: 'GET',
  });
  assert.equal(zero.headers['access-control-max-age'], '0');
  const none = await send(new CorsPolicy({ allowOrigins: ['https://a.com'] }), 'OPTIONS', { origin: 'https://a.com', acrm: 'GET' });
  assert.equal(none.headers['access-control-max-age'], undefined);
});

test('preflight from a denied origin: 403, a plain explanation, no CORS headers', async () => {
  const { headers, preflight } = await send(new CorsPolicy(production), 'OPTIONS', { origin: 'https://evil.com', acrm: 'PUT' });
  assert.equal(preflight?.status, 403);
  assert.match(preflight?.body ?? '', /origin is not allowed/);
  assert.deepEqual(headers, { vary: 'Origin' });
});

test('allowed origin, method not allowed: 2xx with the real allow list so the browser names the method', async () => {
  const { headers, preflight } = await send(new CorsPolicy(production), 'OPTIONS', { origin: 'https://yourdomain.com', acrm: 'PATCH' });
  assert.equal(preflight?.allowed, false);
  assert.equal(preflight?.status, 200);
  assert.match(preflight?.body ?? '', /method PATCH is not allowed\. Allowed methods: GET, HEAD, POST, PUT, DELETE/);
  assert.equal(headers['access-control-allow-origin'], 'https://yourdomain.com');
  assert.equal(headers['access-control-allow-methods'], 'DELETE, PUT');
  assert.equal(headers['access-control-max-age'], undefined);
});

test('methods are matched byte for byte, as browsers do', async () => {
  const policy = new CorsPolicy({ allowOrigins: ['https://a.com'], allowMethods: ['PATCH'] });
  assert.equal((await send(policy, 'OPTIONS', { origin: 'https://a.com', acrm: 'PATCH' })).preflight?.allowed, true);
  assert.equal((await send(policy, 'OPTIONS', { origin: 'https://a.com', acrm: 'patch' })).preflight?.allowed, false);
  // put is normalized to PUT by fetch(), so configuring 'put' means PUT.
  const put = new CorsPolicy({ allowOrigins: ['https://a.com'], allowMethods: ['put'] });
  assert.equal((await send(put, 'OPTIONS', { origin: 'https://a.com', acrm: 'PUT' })).preflight?.allowed, true);
});

test('allowed origin, header not allowed: the body names the header', async () => {
  const { preflight } = await send(new CorsPolicy(production), 'OPTIONS', {
    origin: 'https://yourdomain.com',
    acrm: 'PUT',
    acrh: 'authorization,x-custom',
  });
  assert.equal(preflight?.allowed, false);
  assert.match(preflight?.body ?? '', /header x-custom is not allowed\. Allowed request headers: authorization, content-type/);
});

test("'*' methods and headers without credentials answer '*', and '*' never covers Authorization", async () => {
  const policy = new CorsPolicy({ allowOrigins: '*', allowMethods: '*', allowHeaders: '*' });
  const ok = await send(policy, 'OPTIONS', { origin: 'https://a.com', acrm: 'PATCH', acrh: 'x-one,x-two' });
  assert.equal(ok.preflight?.status, 204);
  assert.equal(ok.headers['access-control-allow-origin'], '*');
  assert.equal(ok.headers['access-control-allow-methods'], '*');
  assert.equal(ok.headers['access-control-allow-headers'], '*');
  const auth = await send(policy, 'OPTIONS', { origin: 'https://a.com', acrm: 'GET', acrh: 'authorization' });
  assert.equal(auth.preflight?.allowed, false);
  assert.match(auth.preflight?.body ?? '', /header authorization is not allowed \('\*' never covers Authorization/);
  const listed = new CorsPolicy({ allowOrigins: '*', allowHeaders: ['*', 'Authorization'] });
  const withAuth = await send(listed, 'OPTIONS', { origin: 'https://a.com', acrm: 'GET', acrh: 'authorization,x-y' });
  assert.equal(withAuth.preflight?.allowed, true);
  assert.equal(withAuth.headers['access-control-allow-headers'], '*, authorization');
});

test("'*' methods and headers with credentials echo what was requested, after validating it", async () => {
  const policy = new CorsPolicy({ allowOrigins: ['https://a.com'], allowCredentials: true, allowMethods: '*', allowHeaders: '*' });
  const ok = await send(policy, 'OPTIONS', { origin: 'https://a.com', acrm: 'PATCH', acrh: 'x-one,x-two' });
  assert.equal(ok.preflight?.allowed, true);
  assert.equal(ok.headers['access-control-allow-methods'], 'PATCH');
  assert.equal(ok.headers['access-control-allow-headers'], 'x-one,x-two');
  assert.equal(ok.headers.vary, 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers');
  for (const bad of [
    { acrm: 'CONNECT' },
    { acrm: 'GET\r\nX: y' },
    { acrm: 'GET', acrh: 'x-one\r\nx: y' },
    { acrm: 'GET', acrh: 'authorization' },
  ]) {
    const refused = await send(policy, 'OPTIONS', { origin: 'https://a.com', ...bad });
    assert.equal(refused.preflight?.allowed, false, JSON.stringify(bad));
    // A method refusal names the safelisted methods (never nothing, never the refused method).
    assert.equal(refused.headers['access-control-allow-methods'], bad.acrm === 'GET' ? undefined : 'GET, HEAD, POST');
    assert.equal(refused.headers['access-control-allow-headers'], undefined);
  }
});

test('a huge Access-Control-Request-Headers is refused unread', async () => {
  const policy = new CorsPolicy(production);
  for (const acrh of [','.repeat(1 << 20), ' '.repeat(1 << 20)]) {
    const { preflight } = await send(policy, 'OPTIONS', { origin: 'https://yourdomain.com', acrm: 'PUT', acrh });
    assert.equal(preflight?.allowed, false);
    assert.match(preflight?.body ?? '', /not a valid list of header names, or is too long/);
  }
});

test('subdomain and port patterns match only what they say', async () => {
  const policy = new CorsPolicy({ allowOrigins: ['https://*.example.com', 'http://localhost:*'] });
  const allowed = (origin: string) => policy.allowsOrigin(origin);
  assert.equal(allowed('https://a.example.com'), true);
  assert.equal(allowed('https://a.b.example.com'), true);
  assert.equal(allowed('https://example.com'), false);
  assert.equal(allowed('http://a.example.com'), false);
  assert.equal(allowed('https://a.example.com:8443'), false);
  assert.equal(allowed('https://evilexample.com'), false);
  assert.equal(allowed('https://a.example.com.evil.com'), false);
  assert.equal(allowed('http://localhost:3000'), true);
  assert.equal(allowed('http://localhost'), true);
  assert.equal(allowed('https://localhost:3000'), false);
  assert.equal(allowed('http://localhost.evil.com:3000'), false);
  assert.equal(allowed('null'), false);
});

test('subdomain patterns of different depths match hosts of any depth, looked up from the right', () => {
  const policy = new CorsPolicy({ allowOrigins: ['https://*.deep.tenant.example.org', 'https://*.example.net', 'http://*.localhost:*'] });
  const deep = (labels: number, suffix: string) => `https://${'a.'.repeat(labels)}${suffix}`;
  assert.equal(policy.allowsOrigin(deep(100, 'deep.tenant.example.org')), true);
  assert.equal(policy.allowsOrigin(deep(1, 'deep.tenant.example.org')), true);
  assert.equal(policy.allowsOrigin('https://deep.tenant.example.org'), false);
  assert.equal(policy.allowsOrigin(deep(100, 'tenant.example.org')), false);
  assert.equal(policy.allowsOrigin(deep(100, 'example.net')), true);
  assert.equal(policy.allowsOrigin('https://example.net'), false);
  assert.equal(policy.allowsOrigin(deep(100, 'example.com')), false);
  assert.equal(policy.allowsOrigin('http://app.localhost:5173'), true);
  assert.equal(policy.allowsOrigin('http://localhost:5173'), false);
});

test('a subdomain pattern still matches beside a port pattern for the same host', () => {
  const policy = new CorsPolicy({ allowOrigins: ['http://example.com:*', 'https://*.example.com'] });
  assert.equal(policy.allowsOrigin('https://a.example.com'), true);
  assert.equal(policy.allowsOrigin('http://example.com:8080'), true);
  assert.equal(policy.allowsOrigin('https://example.com'), false);
});

test("'null' is allowed only when listed, exactly", async () => {
  const nullListed = { allowOrigins: ['null'], dangerouslyAllowNullOrigin: true, ...quiet };
  assert.equal(new CorsPolicy(nullListed).allowsOrigin('null'), true);
  assert.equal(new CorsPolicy({ allowOrigins: ['https://a.com'] }).allowsOrigin('null'), false);
  assert.equal(new CorsPolicy(nullListed).allowsOrigin('Null'), false);
});

test("an allowOriginRegex that matches 'null' allows it once accepted by name; a denial without a predicate is no error", () => {
  const errors: unknown[] = [];
  const policy = new CorsPolicy({
    allowOriginRegex: 'null|https://x\\.test',
    dangerouslyAllowNullOrigin: true,
    onWarning: () => undefined,
    onError: (e) => errors.push(e),
  });
  assert.equal(policy.allowsOrigin('null'), true);
  assert.equal(policy.allowsOrigin('https://x.test'), true);
  assert.equal(policy.allowsOrigin('https://y.test'), false);
  const listed = new CorsPolicy({ allowOrigins: ['https://*.example.com'], onError: (e) => errors.push(e) });
  assert.equal(listed.allowsOrigin('https://evil.test'), false);
  assert.equal(listed.allowsOrigin('null'), false);
  assert.deepEqual(errors, []);
});

test('exact origins are compared byte for byte', () => {
  const policy = new CorsPolicy({ allowOrigins: ['https://example.com'] });
  for (const origin of [
    'https://example.com/',
    'https://EXAMPLE.com',
    'https://example.com:443',
    'http://example.com',
    'https://example.com, https://example.com',
  ]) {
    assert.equal(policy.allowsOrigin(origin), false, origin);
  }
  assert.equal(policy.allowsOrigin('https://example.com'), true);
});

test('allowOriginRegex always matches the whole origin', () => {
  const policy = new CorsPolicy({ allowOriginRegex: 'https://.*\\.example\\.org' });
  assert.equal(policy.allowsOrigin('https://app.example.org'), true);
  assert.equal(policy.allowsOrigin('https://app.example.org.evil.com'), false);
  assert.equal(policy.allowsOrigin('https://evil.com/?https://a.example.org'), false);
  const literal = new CorsPolicy({ allowOriginRegex: /^https:\/\/[a-z]+\.example\.org$/ });
  assert.equal(literal.allowsOrigin('https://app.example.org'), true);
});

test('the origin predicate sees only valid origins, and only true allows', async () => {
  const seen: string[] = [];
  const policy = new CorsPolicy({
    allowOriginPredicate: (origin) => {
      seen.push(origin);
      return origin.endsWith('.tenant.test') ? true : ('yes' as unknown as boolean);
    },
  });
  assert.equal(policy.allowsOrigin('https://a.tenant.test'), true);
  assert.equal(policy.allowsOrigin('https://b.other.test'), false);
  assert.equal(policy.allowsOrigin('https://a.tenant.test, https://x.tenant.test'), false);
  assert.equal(policy.allowsOrigin(`https://${'a'.repeat(400)}.tenant.test`), false);
  assert.deepEqual(seen, ['https://a.tenant.test', 'https://b.other.test']);
});

test('an async predicate that throws, rejects or hangs denies and reports', async () => {
  const errors: unknown[] = [];
  const make = (predicate: NonNullable<CorsOptions['allowOriginPredicate']>) =>
    new CorsPolicy({ allowOriginPredicate: predicate, originPredicateTimeout: 50, onError: (e) => errors.push(e) });
  assert.equal(await make(async () => true).allowsOrigin('https://a.com'), true);
  assert.equal(
    await make(() => {
      throw new Error('db down');
    }).allowsOrigin('https://a.com'),
    false,
  );
  assert.equal(
    await make(async () => {
      throw new Error('db down');
    }).allowsOrigin('https://a.com'),
    false,
  );
  assert.equal(await make(() => new Promise<boolean>(() => undefined)).allowsOrigin('https://a.com'), false);
  assert.equal(errors.length, 3);
  assert.match(String(errors[2]), /did not answer within 50 ms/);
});

test('the debug hook reports each CORS decision with its reason, the method, path and what a preflight asks for', async () => {
  const decisions: CorsDecision[] = [];
  const policy = new CorsPolicy({ ...production, onDecision: (d) => decisions.push(d) });
  await send(policy, 'GET', { origin: 'https://evil.com' });
  await send(policy, 'GET', {});
  await send(policy, 'OPTIONS', { origin: 'https://yourdomain.com', acrm: 'PUT', acrh: 'x-nope' });
  assert.deepEqual(decisions, [
    { kind: 'actual', origin: 'https://evil.com', allowed: false, reason: 'origin not allowed', method: 'GET', path: '/items' },
    {
      kind: 'preflight',
      origin: 'https://yourdomain.com',
      allowed: false,
      reason: 'header x-nope is not allowed',
      status: 200,
      method: 'OPTIONS',
      path: '/items',
      requestMethod: 'PUT',
      requestHeaders: 'x-nope',
    },
  ]);
});

test('the debug hook leaves out what the request does not carry: no path without a URL, no request headers a preflight did not ask for', async () => {
  const decisions: CorsDecision[] = [];
  const policy = new CorsPolicy({ ...production, onDecision: (d) => decisions.push(d) });
  await drive(policy, new Map(), recordWriter, 'GET', 'https://yourdomain.com', undefined, undefined);
  await drive(policy, new Map(), recordWriter, 'OPTIONS', 'https://yourdomain.com', 'PUT', undefined);
  assert.deepEqual(decisions, [
    { kind: 'actual', origin: 'https://yourdomain.com', allowed: true, reason: 'origin allowed', method: 'GET' },
    {
      kind: 'preflight',
      origin: 'https://yourdomain.com',
      allowed: true,
      reason: 'allowed',
      status: 204,
      method: 'OPTIONS',
      requestMethod: 'PUT',
    },
  ]);
});

test('options mutated after construction change nothing', async () => {
  const origins = ['https://a.com'];
  const methods = ['PUT'];
  const options: CorsOptions = { allowOrigins: origins, allowMethods: methods };
  const policy = new CorsPolicy(options);
  origins.push('https://evil.com');
  methods.push('DELETE');
  options.allowCredentials = true;
  assert.equal(policy.allowsOrigin('https://evil.com'), false);
  const { preflight, headers } = await send(policy, 'OPTIONS', { origin: 'https://a.com', acrm: 'DELETE' });
  assert.equal(preflight?.allowed, false);
  assert.equal(headers['access-control-allow-credentials'], undefined);
  assert.ok(Object.isFrozen(policy));
});

test('OPTIONS without Access-Control-Request-Method is an actual request', async () => {
  const { preflight, headers } = await send(new CorsPolicy(production), 'OPTIONS', { origin: 'https://yourdomain.com' });
  assert.equal(preflight, undefined);
  assert.equal(headers['access-control-allow-origin'], 'https://yourdomain.com');
});

test('a throwing onError or onDecision hook neither escapes handle() nor leaves a request unanswered', async (t) => {
  const logged = t.mock.method(console, 'error', () => undefined);
  const brokenHook = () => {
    throw new Error('hook broke');
  };
  const sync = new CorsPolicy({
    allowOriginPredicate: () => {
      throw new Error('db down');
    },
    onError: brokenHook,
  });
  assert.equal(sync.allowsOrigin('https://a.com'), false);
  const async = new CorsPolicy({
    allowOriginPredicate: async () => {
      throw new Error('db down');
    },
    onError: brokenHook,
  });
  assert.equal(await async.allowsOrigin('https://a.com'), false);
  const hanging = new CorsPolicy({
    allowOriginPredicate: () => new Promise<boolean>(() => undefined),
    originPredicateTimeout: 10,
    onError: brokenHook,
  });
  assert.equal(await hanging.allowsOrigin('https://a.com'), false);
  const errors: unknown[] = [];
  const decisions = new CorsPolicy({
    ...production,
    onDecision: brokenHook,
    onError: (e, context) => errors.push([String(e), context.source]),
  });
  const { headers } = await send(decisions, 'GET', { origin: 'https://yourdomain.com' });
  assert.equal(headers['access-control-allow-origin'], 'https://yourdomain.com');
  assert.deepEqual(errors, [['Error: hook broke', 'hook']]);
  // Both the original error and the hook's own failure reach the log.
  assert.equal(logged.mock.callCount(), 6);
});
