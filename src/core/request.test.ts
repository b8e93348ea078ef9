import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CorsPolicy, readFetchRequest, readNodeRequest, readRequest, type CorsAnswer, type CorsRequest } from '../index.js';

const APP = 'https://app.example.com';
const options = { allowOrigins: [APP], allowMethods: ['PUT'], allowHeaders: ['X-Api-Key'] };

function nodeRequest(method: string, headers: Record<string, string | string[]>, url = '/items?token=secret'): CorsRequest<string> {
  return readNodeRequest({ method, url, headers }, 'framework context');
}

test('decide: answers are frozen, and the same object for the same outcome', () => {
  const policy = new CorsPolicy(options);
  const decide = (method: string, headers: Record<string, string>) => policy.decide(nodeRequest(method, headers)) as CorsAnswer;
  const allowed = decide('GET', { origin: APP });
  const denied = decide('GET', { origin: 'https://evil.example' });
  const none = decide('GET', {});
  const preflight = decide('OPTIONS', {
    origin: APP,
    'access-control-request-method': 'PUT',
    'access-control-request-headers': 'x-api-key',
  });
  const refused = decide('OPTIONS', { origin: 'https://evil.example', 'access-control-request-method': 'PUT' });
  for (const answer of [allowed, denied, none, preflight, refused]) assert.ok(Object.isFrozen(answer));
  assert.deepEqual(allowed, { kind: 'actual', allowed: true, reason: 'origin allowed' });
  assert.deepEqual(denied, { kind: 'actual', allowed: false, reason: 'origin not allowed' });
  assert.deepEqual(none, { kind: 'actual', allowed: false, reason: 'no Origin header' });
  assert.equal(preflight.kind === 'preflight' && preflight.status, 204);
  assert.equal(refused.kind === 'preflight' && refused.refusedBy, 'origin');
  assert.equal(decide('POST', { origin: APP }), allowed);
  assert.equal(decide('GET', { origin: 'https://other.example' }), denied);
  assert.equal(decide('DELETE', {}), none);
  assert.equal(decide('OPTIONS', { origin: APP, 'access-control-request-method': 'GET' }), preflight);
  assert.equal(decide('OPTIONS', { origin: 'https://x.example', 'access-control-request-method': 'GET' }), refused);
  // Every policy shares the refusals that name nothing of the request.
  assert.equal(new CorsPolicy(options).decide(nodeRequest('GET', { origin: APP })), allowed);
});

test('decide: a preflight is OPTIONS with Origin and Access-Control-Request-Method; anything else is an actual request', () => {
  const policy = new CorsPolicy(options);
  const kind = (method: string, headers: Record<string, string>) => (policy.decide(nodeRequest(method, headers)) as CorsAnswer).kind;
  assert.equal(kind('OPTIONS', { origin: APP, 'access-control-request-method': 'PUT' }), 'preflight');
  assert.equal(kind('OPTIONS', { origin: APP }), 'actual');
  assert.equal(kind('PUT', { origin: APP, 'access-control-request-method': 'PUT' }), 'actual');
  assert.equal(kind('OPTIONS', { 'access-control-request-method': 'PUT' }), 'actual');
});

test('decide: a promise only while an asynchronous origin predicate runs', async () => {
  const sync = new CorsPolicy({ allowOriginPredicate: (origin) => origin === APP });
  assert.ok(!(sync.decide(nodeRequest('GET', { origin: APP })) instanceof Promise));
  assert.ok(!(sync.decide(nodeRequest('GET', {})) instanceof Promise));
  const async = new CorsPolicy({ allowOrigins: ['https://listed.example'], allowOriginPredicate: async (origin) => origin === APP });
  // Listed origins and requests without Origin never ask the predicate.
  assert.ok(!(async.decide(nodeRequest('GET', { origin: 'https://listed.example' })) instanceof Promise));
  assert.ok(!(async.decide(nodeRequest('GET', {})) instanceof Promise));
  const pending = async.decide(nodeRequest('GET', { origin: APP }));
  assert.ok(pending instanceof Promise);
  assert.equal(await pending, sync.decide(nodeRequest('GET', { origin: APP })));
});

test('the origin predicate receives the request: host, path, method, any header, and the framework context', () => {
  const seen: unknown[] = [];
  const policy = new CorsPolicy({
    allowOriginPredicate: (origin, request) => {
      seen.push([origin, request.host, request.path, request.method, request.header('X-Tenant'), request.context]);
      return request.host === 'a.api.example';
    },
  });
  const allowed = policy.decide(nodeRequest('GET', { origin: APP, host: 'a.api.example', 'x-tenant': 'a' }));
  const denied = policy.decide(nodeRequest('GET', { origin: APP, host: 'b.api.example' }));
  assert.equal((allowed as CorsAnswer).allowed, true);
  assert.equal((denied as CorsAnswer).allowed, false);
  assert.deepEqual(seen, [
    [APP, 'a.api.example', '/items', 'GET', 'a', 'framework context'],
    [APP, 'b.api.example', '/items', 'GET', undefined, 'framework context'],
  ]);
});

test('readers: Node and Fetch header APIs give the same request', () => {
  const headers = {
    origin: APP,
    host: 'api.example:8443',
    'access-control-request-method': 'PUT',
    'access-control-request-headers': 'x-api-key',
    'set-cookie': ['a=1', 'b=2'],
  };
  const node = readNodeRequest({ method: 'OPTIONS', url: '/items?q=1', headers }, 1);
  const fetched = readFetchRequest(
    new Request('https://api.example:8443/items?q=1', { method: 'OPTIONS', headers: { ...headers, 'set-cookie': 'a=1, b=2' } }),
    2,
  );
  for (const request of [node, fetched]) {
    assert.equal(request.method, 'OPTIONS');
    assert.equal(request.origin, APP);
    assert.equal(request.requestMethod, 'PUT');
    assert.equal(request.requestHeaders, 'x-api-key');
    assert.equal(request.host, 'api.example:8443');
    assert.equal(request.path, '/items');
    assert.equal(request.header('Set-Cookie'), 'a=1, b=2');
  }
  // A Request built in a runtime that leaves out Host: the URL's host.
  const noHost = readFetchRequest(new Request('https://tenant.example/x?y#z'), undefined);
  assert.equal(noHost.host, 'tenant.example');
  assert.equal(noHost.path, '/x');
  // Any other header API: a getter over its own shape.
  const custom = readRequest('GET', '/', new Map([['origin', APP]]), (map, name) => map.get(name), undefined);
  assert.equal(custom.origin, APP);
  assert.equal(custom.requestMethod, undefined);
});

test('path: the path of a request target without its query or fragment, whatever its form', () => {
  const pathOf = (url: string | undefined) => readRequest('GET', url, {}, () => undefined, undefined).path;
  assert.equal(pathOf('/items?q=1#top'), '/items');
  assert.equal(pathOf('/items#top?q=1'), '/items');
  assert.equal(pathOf('/items#top'), '/items');
  assert.equal(pathOf('/'), '/');
  assert.equal(pathOf('https://api.example:8443/v1/items?q=1'), '/v1/items');
  assert.equal(pathOf('https://api.example/v1#a?b'), '/v1');
  // An absolute URL without a path: the root. (Its query starts after the host, not inside the path.)
  assert.equal(pathOf('https://api.example'), '/');
  // `OPTIONS *` and other targets that are neither a path nor an absolute URL have no path.
  assert.equal(pathOf('*'), undefined);
  assert.equal(pathOf('api.example:443'), undefined);
  assert.equal(pathOf(undefined), undefined);
});

test('host: the Host header, else the host and port of an absolute URL, up to its path, query or fragment', () => {
  const hostOf = (url: string | undefined, host?: string) =>
    readRequest('GET', url, { host }, (headers, name) => (name === 'host' ? headers.host : undefined), undefined).host;
  assert.equal(hostOf('https://ignored.example/x', 'api.example'), 'api.example');
  assert.equal(hostOf('https://api.example:8443/x?y#z'), 'api.example:8443');
  assert.equal(hostOf('https://api.example?y/z'), 'api.example');
  assert.equal(hostOf('https://api.example#y/z'), 'api.example');
  assert.equal(hostOf('https://api.example'), 'api.example');
  assert.equal(hostOf('/items'), undefined);
  assert.equal(hostOf(undefined), undefined);
});

/** A header getter over a Map that records each name it is asked for. */
function readingInto(asked: string[]): (headers: Map<string, string>, name: string) => string | undefined {
  return (headers, name) => {
    asked.push(name);
    return headers.get(name);
  };
}

test('Access-Control-Request-Headers is read once, when first asked for, and any header by its lower-case name', () => {
  const asked: string[] = [];
  const request = readRequest('OPTIONS', '/', new Map([['access-control-request-headers', 'x-a']]), readingInto(asked), undefined);
  assert.deepEqual(asked, ['origin', 'access-control-request-method']);
  assert.equal(request.requestHeaders, 'x-a');
  assert.equal(request.requestHeaders, 'x-a');
  assert.equal(request.header('X-Tenant'), undefined);
  assert.deepEqual(asked, ['origin', 'access-control-request-method', 'access-control-request-headers', 'x-tenant']);
  // Absent, it is read once too.
  asked.length = 0;
  const without = readRequest('OPTIONS', '/', new Map<string, string>(), readingInto(asked), undefined);
  assert.equal(without.requestHeaders, undefined);
  assert.equal(without.requestHeaders, undefined);
  assert.deepEqual(asked, ['origin', 'access-control-request-method', 'access-control-request-headers']);
});

test("readers: a Node request without a method is a GET; Node's repeated values are joined with a comma and a space", () => {
  const request = readNodeRequest({ headers: { origin: APP, 'x-list': ['a', 'b'] } }, undefined);
  assert.equal(request.method, 'GET');
  assert.equal(request.url, undefined);
  assert.equal(request.header('x-list'), 'a, b');
  assert.equal(request.header('x-missing'), undefined);
  // Fetch's Headers answers null for a missing header: the request says undefined.
  const fetched = readFetchRequest(new Request('https://api.example/'), undefined);
  assert.equal(fetched.origin, undefined);
  assert.equal(fetched.requestHeaders, undefined);
  assert.equal(fetched.header('x-missing'), undefined);
});
