/**
 * `corsguard scan --openapi`, end to end: the built executable, an OpenAPI document (JSON and YAML)
 * with several operations whose verdicts differ, and corsguard on node:http serving it over loopback.
 * The JUnit XML is read by a real XML parser (Python's xml.etree, as CI reporters parse it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { withCors } from '../../src/node/index.js';
import { listen } from '../support/server.js';
import { APP, CLI_PATH, corsguard } from './support.js';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

/** The API the document describes: corsguard allowing APP with credentials, PUT/DELETE, Content-Type and Authorization. */
async function api(): Promise<{ url: string; port: number; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = await listen(
    withCors(
      (req, res) => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
        res.setHeader('Content-Type', 'application/json');
        res.statusCode = req.url === '/v1/me' ? 401 : 200;
        res.end('{}');
      },
      {
        allowOrigins: [APP],
        allowCredentials: true,
        allowMethods: ['PUT', 'DELETE'],
        allowHeaders: ['Content-Type', 'Authorization'],
        onWarning: () => {},
      },
    ),
  );
  return { url: server.url, port: Number(new URL(server.url).port), seen, close: () => server.close() };
}

/** Five operations: three a browser allows, two it blocks (a header and a method the API does not allow). */
function document(port: number): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: 'Items', version: '1' },
    servers: [{ url: '{scheme}://127.0.0.1:{port}/v1', variables: { scheme: { default: 'http' }, port: { default: String(port) } } }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        key: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        session: { type: 'apiKey', in: 'cookie', name: 'sid' },
      },
      parameters: { itemId: { name: 'id', in: 'path', required: true, schema: { type: 'integer' } } },
      requestBodies: { item: { content: { 'application/json': { schema: { type: 'object' } } } } },
    },
    paths: {
      '/items': {
        get: {
          operationId: 'listItems',
          parameters: [{ name: 'limit', in: 'query', required: true, schema: { type: 'integer', default: 20 } }],
        },
        post: { operationId: 'createItem', security: [{ bearer: [] }], requestBody: { $ref: '#/components/requestBodies/item' } },
      },
      '/items/{id}': {
        parameters: [{ $ref: '#/components/parameters/itemId' }],
        delete: { operationId: 'deleteItem', security: [{ key: [] }] },
        patch: { operationId: 'patchItem', requestBody: { content: { 'text/plain': {} } } },
      },
      '/me': { get: { operationId: 'me', security: [{ session: [] }] } },
    },
  };
}

type ScanJson = {
  origin: string;
  allowed: boolean;
  browsers: string[];
  operations: {
    operation: string;
    operationId: string | null;
    url: string;
    method: string;
    credentials: boolean;
    preflight: boolean;
    allowed: boolean;
    problems: { id: string; severity: string; fix: string }[];
    verdicts: Record<string, { allowed: boolean; problems: { id: string }[] }>;
  }[];
};

const EXPECTED: Record<string, { allowed: boolean; preflight: boolean; credentials: boolean; ids: string[] }> = {
  'GET /items': { allowed: true, preflight: false, credentials: false, ids: [] },
  'POST /items': { allowed: true, preflight: true, credentials: false, ids: [] },
  'DELETE /items/{id}': { allowed: false, preflight: true, credentials: false, ids: ['header-not-allowed'] },
  'PATCH /items/{id}': { allowed: false, preflight: true, credentials: false, ids: ['method-not-allowed'] },
  'GET /me': { allowed: true, preflight: false, credentials: true, ids: [] },
};

function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'corsguard-openapi-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs `body` with the API listening and a temporary folder, both gone afterwards. */
async function withApi(body: (server: Awaited<ReturnType<typeof api>>, dir: string) => Promise<void>): Promise<void> {
  const server = await api();
  const temp = tempDir();
  try {
    await body(server, temp.dir);
  } finally {
    temp.remove();
    await server.close();
  }
}

test('scan --openapi (JSON document): every operation checked with what a frontend sends; JSON and exit status 1', async () => {
  await withApi(async (server, dir) => {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(document(server.port)));
    const run = await corsguard(['scan', '--openapi', file, '--origin', APP, '--json']);
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as ScanJson;
    assert.equal(report.allowed, false);
    assert.deepEqual(report.browsers, ['chromium', 'firefox', 'webkit']);
    assert.deepEqual(
      report.operations.map((o) => o.operation),
      Object.keys(EXPECTED),
    );
    for (const operation of report.operations) {
      const expected = EXPECTED[operation.operation]!;
      assert.equal(operation.allowed, expected.allowed, operation.operation);
      assert.equal(operation.preflight, expected.preflight, operation.operation);
      assert.equal(operation.credentials, expected.credentials, operation.operation);
      assert.deepEqual(
        operation.problems.filter((p) => p.severity === 'error').map((p) => p.id),
        expected.ids,
        operation.operation,
      );
      for (const engine of report.browsers)
        assert.equal(operation.verdicts[engine]?.allowed, expected.allowed, `${operation.operation} in ${engine}`);
    }
    assert.equal(report.operations[0]!.url, `${server.url}/v1/items?limit=20`);
    assert.equal(report.operations[2]!.url, `${server.url}/v1/items/1`);
    assert.equal(report.operations[0]!.operationId, 'listItems');
    // What the server received: the path parameter's sample, the body's Content-Type, the bearer token.
    const post = server.seen.find((s) => s.method === 'POST');
    assert.equal(post?.url, '/v1/items');
    assert.equal(post?.headers['content-type'], 'application/json');
    assert.equal(post?.headers['authorization'], 'Bearer sample-token');
    // The DELETE and PATCH never got past their preflights.
    assert.deepEqual(
      server.seen.filter((s) => s.method === 'DELETE' || s.method === 'PATCH'),
      [],
    );
  });
});

test('scan --openapi: the human matrix of operations x engines, the blocked ones with problem and fix', async () => {
  await withApi(async (server, dir) => {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(document(server.port)));
    const run = await corsguard(['scan', '--openapi', file, '--origin', APP]);
    assert.equal(run.code, 1, run.stderr);
    const lines = run.stdout.split('\n');
    assert.match(lines.find((l) => l.startsWith('  operation'))!, /^ {2}operation +chromium +firefox +webkit$/);
    assert.match(lines.find((l) => l.startsWith('  GET /items '))!, /allowed +allowed +allowed$/);
    // Allowed, but the request reached an error response: the status says so.
    assert.match(lines.find((l) => l.startsWith('  GET /me '))!, /allowed \(401\) +allowed \(401\) +allowed \(401\)$/);
    assert.match(
      lines.find((l) => l.startsWith('  DELETE /items/{id} '))!,
      /BLOCKED header-not-allowed +BLOCKED header-not-allowed +BLOCKED header-not-allowed$/,
    );
    assert.match(
      run.stdout,
      /BLOCKED DELETE \/items\/\{id\}: DELETE http:\/\/127\.0\.0\.1:\d+\/v1\/items\/1\n {2}the page sends: X-API-Key: security scheme 'key' \(apiKey in header\)\n {2}error \[header-not-allowed\] .*\n {4}fix: /,
    );
    assert.match(
      run.stdout,
      /details: corsguard check http:\/\/127\.0\.0\.1:\d+\/v1\/items\/1 --origin https:\/\/app\.example\.com -X DELETE -H 'X-API-Key: sample-key'/,
    );
    assert.match(run.stdout, /2 of 5 operations blocked in at least one engine\.\n$/);
  });
});

/** The JUnit XML as Python's xml.etree reads it: each testcase's suite, classname, name and failure. */
function parseJunit(file: string): {
  suites: { name: string; tests: string; failures: string }[];
  cases: { suite: string; classname: string; name: string; failure: { type: string; message: string; text: string } | null }[];
} {
  const script = `
import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == 'testsuites'
suites, cases = [], []
for suite in root.findall('testsuite'):
    suites.append({k: suite.get(k) for k in ('name', 'tests', 'failures')})
    for case in suite.findall('testcase'):
        f = case.find('failure')
        cases.append({'suite': suite.get('name'), 'classname': case.get('classname'), 'name': case.get('name'),
                      'failure': None if f is None else {'type': f.get('type'), 'message': f.get('message'), 'text': f.text}})
print(json.dumps({'suites': suites, 'cases': cases}))
`;
  return JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' }));
}

test('scan --openapi --junit (YAML document): one testcase per operation and engine; failures carry problem and fix', async () => {
  await withApi(async (server, dir) => {
    const file = join(dir, 'openapi.yaml');
    writeFileSync(file, stringify(document(server.port)));
    const junit = join(dir, 'cors.xml');
    const run = await corsguard(['scan', '--openapi', file, '--origin', APP, '--junit', junit]);
    assert.equal(run.code, 1, run.stderr);
    const parsed = parseJunit(junit);
    assert.deepEqual(
      parsed.suites.map((s) => [s.tests, s.failures]),
      [
        ['5', '2'],
        ['5', '2'],
        ['5', '2'],
      ],
    );
    assert.equal(parsed.cases.length, 15);
    for (const engine of ['chromium', 'firefox', 'webkit']) {
      const cases = parsed.cases.filter((c) => c.classname === `corsguard.${engine}`);
      assert.deepEqual(
        cases.map((c) => c.name),
        Object.keys(EXPECTED),
      );
      for (const c of cases) {
        const expected = EXPECTED[c.name]!;
        if (expected.allowed) assert.equal(c.failure, null, `${c.name} in ${engine}`);
        else {
          assert.equal(c.failure?.type, expected.ids[0]);
          assert.match(c.failure!.message, new RegExp(`^${expected.ids[0]}: `));
          assert.match(c.failure!.text, new RegExp(`\\[${expected.ids[0]}\\] .*\\nfix: `));
        }
      }
    }
  });
});

test('scan --openapi --base-url overrides the servers; an all-allowed document exits 0', async () => {
  await withApi(async (server, dir) => {
    const file = join(dir, 'openapi.json');
    const doc = document(1) as { servers: unknown; paths: Record<string, unknown> };
    doc.servers = [{ url: '/relative' }];
    doc.paths = { '/items': doc.paths['/items'] };
    writeFileSync(file, JSON.stringify(doc));
    const relative = await corsguard(['scan', '--openapi', file, '--origin', APP]);
    assert.equal(relative.code, 2);
    assert.equal(
      relative.stderr,
      "corsguard scan: GET /items: the server URL '/relative' is not an absolute http(s) URL; pass the API's address with --base-url\n",
    );
    const run = await corsguard(['scan', '--openapi', file, '--origin', APP, '--base-url', `${server.url}/v1`, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as ScanJson;
    assert.equal(report.allowed, true);
    assert.deepEqual(
      report.operations.map((o) => o.url),
      [`${server.url}/v1/items?limit=20`, `${server.url}/v1/items`],
    );
  });
});

test('scan --openapi: names from the document reach the terminal escaped, and the JUnit XML stays well-formed', async () => {
  await withApi(async (server, dir) => {
    const file = join(dir, 'openapi.json');
    const path = '/x\u001b]0;pwned\u0007\u202e<&>';
    writeFileSync(file, JSON.stringify({ openapi: '3.0.3', servers: [{ url: server.url }], paths: { [path]: { patch: {} } } }));
    const junit = join(dir, 'cors.xml');
    const run = await corsguard(['scan', '--openapi', file, '--origin', APP, '--junit', junit]);
    assert.equal(run.code, 1, run.stderr);
    assert.doesNotMatch(run.stdout, /[\u001b\u0007\u202e]/);
    assert.match(run.stdout, /PATCH \/x\\x1b\]0;pwned\\x07\\u202e<&>/);
    const parsed = parseJunit(junit);
    assert.equal(parsed.cases[0]!.name, 'PATCH /x\\u001b]0;pwned\\u0007\u202e<&>');
  });
});

test("scan --openapi: bad documents and arguments are one sentence; YAML without the 'yaml' package says npm install yaml", async () => {
  const temp = tempDir();
  const dir = temp.dir;
  try {
    const swagger = join(dir, 'swagger.json');
    writeFileSync(swagger, JSON.stringify({ swagger: '2.0', paths: {} }));
    const cases: [string[], RegExp][] = [
      [['scan', '--openapi', join(dir, 'none.json'), '--origin', APP], /--openapi .*none\.json: no such file\n$/],
      [['scan', '--openapi', swagger, '--origin', APP], /Swagger 2\.0 is not OpenAPI 3\.0 or 3\.1; convert it to OpenAPI 3 first/],
      [['scan', '--openapi', swagger], /scan --openapi needs --origin/],
      [['scan', 'http://127.0.0.1:9/', '--openapi', swagger, '--origin', APP], /scan --openapi takes no URL/],
    ];
    for (const [args, message] of cases) {
      const run = await corsguard(args);
      assert.equal(run.code, 2, args.join(' '));
      assert.match(run.stderr, message);
      assert.doesNotMatch(run.stderr, /\n\s+at /);
    }
    // A server that cannot be reached: the operation that found out is named.
    const closed = await listen((_req, res) => res.end());
    await closed.close();
    const unreachable = join(dir, 'unreachable.json');
    writeFileSync(unreachable, JSON.stringify({ openapi: '3.0.3', servers: [{ url: closed.url }], paths: { '/items': { get: {} } } }));
    const refused = await corsguard(['scan', '--openapi', unreachable, '--origin', APP]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /^corsguard scan: GET \/items: could not connect to http:\/\/127\.0\.0\.1:\d+: connection refused/);
    // The published package has no dependencies: a copy of dist/ with no node_modules in reach.
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    cpSync(join(root, 'dist'), join(dir, 'pkg', 'dist'), { recursive: true });
    cpSync(join(root, 'package.json'), join(dir, 'pkg', 'package.json'));
    const yamlFile = join(dir, 'openapi.yaml');
    writeFileSync(yamlFile, 'openapi: 3.1.0\npaths: {}\n');
    const copy = CLI_PATH.replace(join(root, 'dist'), join(dir, 'pkg', 'dist'));
    let stderr = '';
    try {
      execFileSync(process.execPath, [copy, 'scan', '--openapi', yamlFile, '--origin', APP], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      stderr = (error as { stderr: string }).stderr;
      assert.equal((error as { status: number }).status, 2);
    }
    assert.match(stderr, /is YAML, which needs the 'yaml' package: npm install yaml/);
  } finally {
    temp.remove();
  }
});
