/**
 * Reading an OpenAPI document into the requests a frontend makes (src/cli/openapi.ts): security
 * schemes, parameters, request bodies, servers, `$ref`s, and the documents it refuses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OpenApiError, operationsOf } from '../../src/cli/openapi.js';

const BASE = { openapi: '3.0.3', servers: [{ url: 'https://api.example.com/v1/' }] };

function only(document: Record<string, unknown>): ReturnType<typeof operationsOf>['operations'][number] {
  const { operations } = operationsOf(document as never);
  assert.equal(operations.length, 1);
  return operations[0]!;
}

test('security schemes: basic, oauth2 and openIdConnect send Authorization; apiKey in query goes in the URL; in cookie, credentials', () => {
  const schemes = {
    basic: { type: 'http', scheme: 'basic' },
    oauth: { type: 'oauth2', flows: {} },
    oidc: { type: 'openIdConnect', openIdConnectUrl: 'https://id.example/.well-known' },
    query: { type: 'apiKey', in: 'query', name: 'key' },
    cookie: { type: 'apiKey', in: 'cookie', name: 'sid' },
    tls: { type: 'mutualTLS' },
  };
  const run = (security: unknown[]): ReturnType<typeof only> =>
    only({ ...BASE, components: { securitySchemes: schemes }, security, paths: { '/a': { get: {} } } });
  assert.deepEqual(run([{ basic: [] }]).headers, [['Authorization', `Basic ${Buffer.from('user:password').toString('base64')}`]]);
  assert.deepEqual(run([{ oauth: ['read'] }]).headers, [['Authorization', 'Bearer sample-token']]);
  assert.deepEqual(run([{ oidc: [] }]).headers, [['Authorization', 'Bearer sample-token']]);
  assert.equal(run([{ query: [] }]).url, 'https://api.example.com/v1/a?key=sample-key');
  const cookie = run([{ cookie: [] }]);
  assert.equal(cookie.credentials, true);
  assert.deepEqual(cookie.headers, []);
  // Alternatives: the first is what the frontend uses; an empty requirement list means none.
  assert.deepEqual(run([{ query: [] }, { basic: [] }]).headers, []);
  assert.deepEqual(run([]).headers, []);
  assert.match(run([{ tls: [] }]).because.join('\n'), /security scheme 'tls' \(mutualTLS\) adds nothing a page sets/);
  // An operation's own `security: []` overrides the document's.
  const open = only({
    ...BASE,
    components: { securitySchemes: schemes },
    security: [{ basic: [] }],
    paths: { '/a': { get: { security: [] } } },
  });
  assert.deepEqual(open.headers, []);
});

test('parameters: path samples from example, default, enum, type and format; required query and header parameters; cookie parameters', () => {
  const operation = only({
    ...BASE,
    paths: {
      '/u/{a}/{b}/{c}/{d}/{e}/{f}': {
        get: {
          parameters: [
            { name: 'a', in: 'path', required: true, example: 'ex ample' },
            { name: 'b', in: 'path', required: true, schema: { type: 'string', default: 'dflt' } },
            { name: 'c', in: 'path', required: true, schema: { type: 'string', enum: ['red', 'blue'] } },
            { name: 'd', in: 'path', required: true, schema: { type: 'number' } },
            { name: 'e', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
            { name: 'f', in: 'path', required: true, schema: { type: ['boolean', 'null'] } },
            { name: 'q', in: 'query', required: true, schema: { type: 'integer' } },
            { name: 'optional', in: 'query', schema: { type: 'integer' } },
            { name: 'X-Tenant', in: 'header', required: true, schema: { type: 'string' } },
            { name: 'X-Optional', in: 'header', schema: { type: 'string' } },
            { name: 'pref', in: 'cookie', schema: { type: 'string' } },
          ],
        },
      },
    },
  });
  assert.equal(operation.url, 'https://api.example.com/v1/u/ex%20ample/dflt/red/1/00000000-0000-4000-8000-000000000001/true?q=1');
  assert.deepEqual(operation.headers, [['X-Tenant', 'sample']]);
  assert.equal(operation.credentials, true);
  assert.equal(operation.name, 'GET /u/{a}/{b}/{c}/{d}/{e}/{f}');
});

test('request bodies: the first media type is the Content-Type, with a sample body; none on GET', () => {
  const body = (content: Record<string, unknown>, method = 'post'): ReturnType<typeof only> =>
    only({ ...BASE, paths: { '/a': { [method]: { requestBody: { content } } } } });
  assert.deepEqual(
    [body({ 'application/json': {} }).headers, body({ 'application/json': {} }).body],
    [[['Content-Type', 'application/json']], '{}'],
  );
  assert.equal(body({ 'application/x-www-form-urlencoded': {} }).body, 'sample=1');
  assert.deepEqual(body({ 'multipart/form-data': {} }).headers, [['Content-Type', 'multipart/form-data; boundary=corsguard']]);
  assert.deepEqual([body({ 'text/plain': {} }, 'get').headers, body({ 'text/plain': {} }, 'get').body], [[], undefined]);
});

test('servers: operation, then path, then document; variables take defaults; --base-url wins; TRACE is skipped by name', () => {
  const document = {
    openapi: '3.1.0',
    servers: [{ url: 'https://{env}.example.com', variables: { env: { default: 'staging' } } }],
    paths: {
      '/a': { get: {}, trace: {} },
      '/b': { servers: [{ url: 'http://path.example' }], get: {}, put: { servers: [{ url: 'http://op.example/' }] } },
    },
  };
  const { operations, skipped } = operationsOf(document as never);
  assert.deepEqual(
    operations.map((o) => o.url),
    ['https://staging.example.com/a', 'http://path.example/b', 'http://op.example/b'],
  );
  assert.deepEqual(skipped, ['TRACE /a: fetch() cannot send TRACE (a forbidden method)']);
  assert.deepEqual(
    operationsOf(document as never, { baseUrl: 'http://127.0.0.1:1/' }).operations.map((o) => o.url),
    ['http://127.0.0.1:1/a', 'http://127.0.0.1:1/b', 'http://127.0.0.1:1/b'],
  );
});

test('$refs: local ones are followed; external, dangling and cyclic ones are refused in one sentence', () => {
  const refs = (ref: string, components: Record<string, unknown> = {}): unknown =>
    operationsOf({ ...BASE, components, paths: { '/a': { post: { requestBody: { $ref: ref } } } } } as never);
  const cases: [() => unknown, RegExp][] = [
    [() => refs('other.yaml#/components/requestBodies/x'), /points outside the document/],
    [() => refs('#/components/requestBodies/missing'), /points to nothing in the document/],
    [
      () =>
        refs('#/components/requestBodies/a', {
          requestBodies: { a: { $ref: '#/components/requestBodies/b' }, b: { $ref: '#/components/requestBodies/a' } },
        }),
      /over 32 long \(a cycle\?\)/,
    ],
    [
      () => operationsOf({ openapi: '3.0.0', paths: { '/a': { get: {} } } } as never),
      /GET \/a: the document has no servers; pass the API's address with --base-url/,
    ],
    [() => operationsOf({ ...BASE, paths: {} } as never), /no operations under paths/],
    [
      () => operationsOf({ ...BASE, security: [{ nope: [] }], paths: { '/a': { get: {} } } } as never),
      /security scheme 'nope' is used but not defined/,
    ],
  ];
  for (const [run, message] of cases) assert.throws(run, (e: unknown) => e instanceof OpenApiError && message.test(e.message));
  const followed = refs('#/components/requestBodies/a', {
    requestBodies: { a: { $ref: '#/components/requestBodies/b' }, b: { content: { 'application/json': {} } } },
  }) as ReturnType<typeof operationsOf>;
  assert.deepEqual(followed.operations[0]!.headers, [['Content-Type', 'application/json']]);
});
