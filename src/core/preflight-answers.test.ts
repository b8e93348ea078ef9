/**
 * A preflight's whole answer, for each way the options can be written: every header it carries
 * (and none it should not), its status, and the explanation a curl user reads in a refusal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CorsPolicy, type CorsOptions, type PreflightAnswer } from '../index.js';
import { mapHeaderWriter } from '../../test/support/map-header-writer.js';
import { drive } from '../../test/support/drive-policy.js';

const APP = 'https://app.example';
const quiet = { onWarning: () => undefined, onError: () => undefined };

interface Answered {
  readonly status: number;
  readonly allowed: boolean;
  readonly reason: string;
  readonly body: string;
  readonly headers: Record<string, string>;
}

function preflight(options: CorsOptions | CorsPolicy, method: string, requestHeaders?: string): Answered {
  const policy = options instanceof CorsPolicy ? options : new CorsPolicy({ ...quiet, ...options });
  const headers = new Map<string, string>();
  const answer = drive(policy, headers, mapHeaderWriter, 'OPTIONS', APP, method, requestHeaders) as PreflightAnswer;
  return { status: answer.status, allowed: answer.allowed, reason: answer.reason, body: answer.body, headers: Object.fromEntries(headers) };
}

test('a public policy allows with * and nothing else: no Vary, no credentials, no max-age', () => {
  assert.deepEqual(preflight({ allowOrigins: '*', allowMethods: ['PUT'], allowHeaders: ['X-Api-Key'] }, 'PUT', 'x-api-key'), {
    status: 204,
    allowed: true,
    reason: 'allowed',
    body: '',
    headers: {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'PUT',
      'access-control-allow-headers': 'x-api-key',
    },
  });
});

test('safelisted methods are always allowed, whatever methods are listed', () => {
  for (const method of ['GET', 'HEAD', 'POST']) {
    const answer = preflight({ allowOrigins: [APP], allowMethods: ['PUT'] }, method);
    assert.equal(answer.allowed, true, method);
    assert.deepEqual(answer.headers, { vary: 'Origin', 'access-control-allow-origin': APP, 'access-control-allow-methods': 'PUT' });
  }
  // With no method listed, nothing names them: the safelisted ones need no Allow-Methods.
  assert.deepEqual(preflight({ allowOrigins: [APP] }, 'POST').headers, { vary: 'Origin', 'access-control-allow-origin': APP });
});

test('an empty Access-Control-Request-Headers asks for nothing: allowed, and no Allow-Headers', () => {
  for (const allowHeaders of [['X-Api-Key'], undefined]) {
    const answer = preflight({ allowOrigins: [APP], allowMethods: ['PUT'], allowHeaders }, 'PUT', '');
    assert.equal(answer.allowed, true);
    assert.deepEqual(answer.headers, { vary: 'Origin', 'access-control-allow-origin': APP, 'access-control-allow-methods': 'PUT' });
  }
});

test('a refused method: 200, the allow lists the options give, no max-age, and the allowed methods in the body', () => {
  const listed = preflight(
    { allowOrigins: [APP], allowCredentials: true, allowMethods: ['PUT', 'DELETE'], allowHeaders: ['X-Api-Key'], maxAge: 60 },
    'PATCH',
  );
  assert.deepEqual(listed, {
    status: 200,
    allowed: false,
    reason: 'method PATCH is not allowed',
    body: 'CORS preflight refused: method PATCH is not allowed. Allowed methods: GET, HEAD, POST, PUT, DELETE.\n',
    headers: {
      vary: 'Origin',
      'access-control-allow-origin': APP,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'DELETE, PUT',
      'access-control-allow-headers': 'x-api-key',
    },
  });
  // No method listed: the safelisted ones are what is allowed.
  assert.deepEqual(preflight({ allowOrigins: [APP] }, 'PUT'), {
    status: 200,
    allowed: false,
    reason: 'method PUT is not allowed',
    body: 'CORS preflight refused: method PUT is not allowed. Allowed methods: GET, HEAD, POST.\n',
    headers: { vary: 'Origin', 'access-control-allow-origin': APP, 'access-control-allow-methods': 'GET, HEAD, POST' },
  });
  // Any method ('*', no credentials): only what no browser sends is refused, answered with the safelisted methods, never '*'.
  assert.deepEqual(preflight({ allowOrigins: [APP], allowMethods: '*', allowHeaders: '*' }, 'TRACE'), {
    status: 200,
    allowed: false,
    reason: 'method TRACE is not allowed',
    body: 'CORS preflight refused: method TRACE is not allowed. Allowed methods: any.\n',
    headers: { vary: 'Origin', 'access-control-allow-origin': APP, 'access-control-allow-methods': 'GET, HEAD, POST' },
  });
});

test('a refused header: 200, the allow lists the options give, and the allowed headers in the body', () => {
  assert.deepEqual(
    preflight({ allowOrigins: [APP], allowMethods: ['PUT'], allowHeaders: ['X-Api-Key', 'Content-Type'], maxAge: 60 }, 'PUT', 'x-other'),
    {
      status: 200,
      allowed: false,
      reason: 'header x-other is not allowed',
      body: 'CORS preflight refused: header x-other is not allowed. Allowed request headers: x-api-key, content-type.\n',
      headers: {
        vary: 'Origin',
        'access-control-allow-origin': APP,
        'access-control-allow-methods': 'PUT',
        'access-control-allow-headers': 'content-type, x-api-key',
      },
    },
  );
  // Nothing listed: no allow list to send.
  assert.deepEqual(preflight({ allowOrigins: [APP] }, 'GET', 'x-other'), {
    status: 200,
    allowed: false,
    reason: 'header x-other is not allowed',
    body: 'CORS preflight refused: header x-other is not allowed. Allowed request headers: only CORS-safelisted ones.\n',
    headers: { vary: 'Origin', 'access-control-allow-origin': APP },
  });
  // '*' methods and headers: neither list is sent on a refusal.
  const any = preflight({ allowOrigins: [APP], allowMethods: '*', allowHeaders: '*' }, 'PUT', 'authorization');
  assert.deepEqual(any.headers, { vary: 'Origin', 'access-control-allow-origin': APP });
  assert.equal(
    any.body,
    "CORS preflight refused: header authorization is not allowed ('*' never covers Authorization: list it in allowHeaders). " +
      'Allowed request headers: any except Authorization.\n',
  );
});

test("only '*' earns the Authorization hint; listed headers name Authorization like any other", () => {
  const listed = preflight({ allowOrigins: [APP], allowHeaders: ['X-Api-Key'] }, 'GET', 'authorization');
  assert.equal(listed.reason, 'header authorization is not allowed');
  // '*' with Authorization listed: every header is allowed, so the body says any.
  const both = new CorsPolicy({ ...quiet, allowOrigins: [APP], allowHeaders: ['*', 'Authorization'] });
  assert.equal(preflight(both, 'GET', 'authorization, x-a').allowed, true);
  assert.equal(preflight(both, 'GET', 'x-a, x-a\r\n').body.endsWith('Allowed request headers: any.\n'), true);
});

test('a malformed Access-Control-Request-Headers is refused with the same explanation as an over-long one', () => {
  const answer = preflight({ allowOrigins: [APP], allowHeaders: ['X-Api-Key'] }, 'GET', 'x-api-key,,x-api-key@');
  assert.deepEqual(
    [answer.status, answer.allowed, answer.body],
    [
      200,
      false,
      'CORS preflight refused: Access-Control-Request-Headers is not a valid list of header names, or is too long. ' +
        'Allowed request headers: x-api-key.\n',
    ],
  );
});

test('a name is quoted in a refusal up to 64 characters; longer, or not a token, it is "the requested" one', () => {
  const long = (n: number) => `x-${'a'.repeat(n - 2)}`;
  const listedHeader = { allowOrigins: [APP], allowHeaders: [long(80)] };
  assert.equal(preflight(listedHeader, 'GET', long(64)).reason, `header ${long(64)} is not allowed`);
  assert.equal(preflight(listedHeader, 'GET', long(65)).reason, 'the requested header is not allowed');
  const method = (n: number) => 'M'.repeat(n);
  const listedMethod = { allowOrigins: [APP], allowMethods: [method(80)] };
  assert.equal(preflight(listedMethod, method(64)).reason, `method ${method(64)} is not allowed`);
  assert.equal(preflight(listedMethod, method(65)).reason, 'the requested method is not allowed');
  assert.equal(preflight(listedMethod, method(80)).allowed, true);
  assert.equal(preflight(listedMethod, method(81)).reason, 'the requested method is longer than 64 characters');
  assert.equal(preflight({ allowOrigins: [APP], allowMethods: ['PATCH'] }, 'PATCHES').reason, 'method PATCHES is not allowed');
  assert.equal(preflight({ allowOrigins: [APP], allowMethods: '*' }, 'GET X').reason, 'the requested method is not allowed');
});

test('any method: a token of up to 64 characters is echoed back, a longer one refused unread', () => {
  const policy = new CorsPolicy({ ...quiet, allowOrigins: [APP], allowCredentials: true, allowMethods: '*' });
  const at = preflight(policy, 'M'.repeat(64));
  assert.equal(at.allowed, true);
  assert.equal(at.headers['access-control-allow-methods'], 'M'.repeat(64));
  assert.equal(at.headers.vary, 'Origin, Access-Control-Request-Method');
  const over = preflight(policy, 'M'.repeat(65));
  assert.deepEqual([over.allowed, over.reason], [false, 'the requested method is longer than 64 characters']);
});

test('a requested method of exactly 64 characters is named in the refusal; a longer one is refused by its length', () => {
  const options = { allowOrigins: [APP], allowMethods: ['PUT'] };
  const longest = 'A'.repeat(64);
  assert.equal(preflight(options, longest).reason, `method ${longest} is not allowed`);
  assert.equal(preflight(options, `${longest}A`).reason, 'the requested method is longer than 64 characters');
});

test('a refused request-header list is refused every time it comes, and says that headers were the reason', () => {
  const policy = new CorsPolicy({ ...quiet, allowOrigins: [APP], allowMethods: ['PUT'], allowHeaders: ['X-Api-Key'] });
  for (const attempt of [1, 2, 3]) {
    const answer = drive(policy, new Map(), mapHeaderWriter, 'OPTIONS', APP, 'PUT', 'x-api-key, x-other') as PreflightAnswer;
    assert.equal(answer.allowed, false, `attempt ${attempt}`);
    assert.equal(answer.refusedBy, 'request-headers');
    assert.equal(answer.reason, 'header x-other is not allowed');
  }
  // An allowed list stays allowed too.
  for (const attempt of [1, 2]) {
    const answer = drive(policy, new Map(), mapHeaderWriter, 'OPTIONS', APP, 'PUT', 'x-api-key') as PreflightAnswer;
    assert.equal(answer.allowed, true, `attempt ${attempt}`);
  }
});
