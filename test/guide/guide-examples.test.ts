// Every example of the FastAPI CORS guide, written with corsguard, with the behaviour the
// guide describes (or the fix for the wall it warns about). The README shows the same code.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CorsConfigError, type CorsWarning } from '../../src/index.js';
import { withCors } from '../../src/node/index.js';
import { listen, type RunningServer } from '../support/server.js';

const running: RunningServer[] = [];
after(() => Promise.all(running.map((s) => s.close())));

async function serve(listener: RequestListener): Promise<string> {
  const server = await listen(listener);
  running.push(server);
  return server.url;
}

/** The guide's `@app.get("/")` endpoint. */
function main(_req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ message: 'Hello World' }));
}

test('basic configuration: "*" with credentials is refused at startup, with the fix', () => {
  assert.throws(
    () =>
      withCors(main, {
        allowOrigins: ['*'],
        allowCredentials: true,
        allowMethods: ['*'],
        allowHeaders: ['*'],
      }),
    (error: unknown) =>
      error instanceof CorsConfigError &&
      error.problems.length === 1 &&
      error.problems[0]?.code === 'wildcard-origin-with-credentials' &&
      /list the origins that need credentials/.test(error.message),
  );
});

test('basic configuration, corrected: a public API without credentials', async () => {
  const base = await serve(withCors(main, { allowOrigins: ['*'], allowMethods: ['*'], allowHeaders: ['*'] }));
  const response = await fetch(base, { headers: { Origin: 'https://any.example' } });
  assert.deepEqual(await response.json(), { message: 'Hello World' });
  assert.equal(response.headers.get('access-control-allow-origin'), '*');
  const preflight = await fetch(base, {
    method: 'OPTIONS',
    headers: { Origin: 'https://any.example', 'Access-Control-Request-Method': 'PATCH', 'Access-Control-Request-Headers': 'x-anything' },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-methods'), '*');
  assert.equal(preflight.headers.get('access-control-allow-headers'), '*');
});

const origins = ['http://localhost:3000', 'https://yourdomain.com', 'https://www.yourdomain.com'];
const productionOptions = {
  allowOrigins: origins,
  allowCredentials: true,
  allowMethods: ['GET', 'POST', 'PUT', 'DELETE'],
  allowHeaders: ['Authorization', 'Content-Type'],
};

test('production configuration: listed origins with credentials, methods and headers', async () => {
  const base = await serve(withCors(main, productionOptions));
  for (const origin of origins) {
    const response = await fetch(base, { headers: { Origin: origin } });
    assert.equal(response.headers.get('access-control-allow-origin'), origin);
    assert.equal(response.headers.get('access-control-allow-credentials'), 'true');
  }
  const preflight = await fetch(base, {
    method: 'OPTIONS',
    headers: {
      Origin: 'https://yourdomain.com',
      'Access-Control-Request-Method': 'DELETE',
      'Access-Control-Request-Headers': 'authorization,content-type',
    },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-methods'), 'DELETE, PUT');
  assert.equal(preflight.headers.get('access-control-allow-headers'), 'authorization, content-type');
  const stranger = await fetch(base, { headers: { Origin: 'https://yourdomain.com.evil.net' } });
  assert.equal(stranger.headers.get('access-control-allow-origin'), null);
});

test('CORS with errors: an endpoint that throws still answers with CORS headers', async () => {
  const errors: unknown[] = [];
  const base = await serve(
    withCors(
      async (req, res) => {
        if (req.url === '/error') {
          // The guide's bug: a missing await makes the handler fail.
          const data = (undefined as unknown as { items: string[] }).items;
          res.end(JSON.stringify(data));
          return;
        }
        main(req, res);
      },
      { ...productionOptions, onError: (e) => errors.push(e) },
    ),
  );
  const response = await fetch(`${base}/error`, { headers: { Origin: 'http://localhost:3000' } });
  assert.equal(response.status, 500);
  assert.equal(response.headers.get('access-control-allow-origin'), 'http://localhost:3000');
  assert.equal(response.headers.get('access-control-allow-credentials'), 'true');
  assert.equal(errors.length, 1, 'the error is reported, never swallowed');
});

test('multiple instances / stacked layers: two corsguard layers still give one value per header', async () => {
  const inner = withCors(main, productionOptions);
  const base = await serve(withCors(inner, productionOptions));
  const response = await fetch(base, { headers: { Origin: 'https://yourdomain.com' } });
  assert.equal(response.headers.get('access-control-allow-origin'), 'https://yourdomain.com');
  assert.equal(response.headers.get('access-control-allow-credentials'), 'true');
  assert.equal(response.headers.get('vary'), 'Origin');
});

test('exposing custom headers: Custom-Header and X-Total-Count become readable', async () => {
  const base = await serve(
    withCors(
      (_req, res) => {
        res.setHeader('Custom-Header', 'yes');
        res.setHeader('X-Total-Count', '42');
        res.end('[]');
      },
      {
        allowOrigins: ['http://localhost:3000'],
        allowCredentials: true,
        allowMethods: ['*'],
        allowHeaders: ['*'],
        exposeHeaders: ['Custom-Header', 'X-Total-Count'],
      },
    ),
  );
  const response = await fetch(base, { headers: { Origin: 'http://localhost:3000' } });
  assert.equal(response.headers.get('access-control-expose-headers'), 'Custom-Header, X-Total-Count');
  const preflight = await fetch(base, {
    method: 'OPTIONS',
    headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'PATCH', 'Access-Control-Request-Headers': 'x-custom' },
  });
  // With credentials, '*' is answered with what was requested (browsers read '*' literally there).
  assert.equal(preflight.headers.get('access-control-allow-methods'), 'PATCH');
  assert.equal(preflight.headers.get('access-control-allow-headers'), 'x-custom');
});

test("local file origin: 'null' is refused, naming its opt-in, and works once the risk is accepted by name", async () => {
  const fileOrigin = { allowOrigins: ['null'], allowCredentials: true, allowMethods: ['*'], allowHeaders: ['*'] };
  assert.throws(
    () => withCors(main, fileOrigin),
    (error: unknown) =>
      error instanceof CorsConfigError &&
      error.problems.length === 1 &&
      error.problems[0]?.code === 'null-origin' &&
      /dangerouslyAllowNullOrigin: true/.test(error.message),
  );
  const warnings: CorsWarning[] = [];
  const base = await serve(withCors(main, { ...fileOrigin, dangerouslyAllowNullOrigin: true, onWarning: (w) => warnings.push(w) }));
  assert.deepEqual(warnings, []);
  const response = await fetch(base, { headers: { Origin: 'null' } });
  assert.equal(response.headers.get('access-control-allow-origin'), 'null');
  assert.equal(response.headers.get('access-control-allow-credentials'), 'true');
});

test('testing with curl: the headers the guide says to look for are there', async () => {
  const base = await serve(withCors(main, { ...productionOptions, exposeHeaders: ['X-Total-Count'] }));
  // Asynchronous: the server answering curl runs in this process.
  const curl = await promisify(execFile)('curl', ['-s', '-v', '--max-time', '10', '-H', 'Origin: http://localhost:3000', base], {
    encoding: 'utf8',
  });
  assert.match(curl.stderr, /< access-control-allow-origin: http:\/\/localhost:3000/i);
  assert.match(curl.stderr, /< access-control-allow-credentials: true/i);
  assert.match(curl.stderr, /< access-control-expose-headers: X-Total-Count/i);
  assert.equal(curl.stdout, '{"message":"Hello World"}');
});
