/**
 * What the origin predicate may return, and what the policy makes of it: only `true` allows;
 * anything else denies; a thenable is followed once, however it behaves (answers inside `then`,
 * later, twice, never, or throws), and every failure reaches `onError` exactly once with the
 * origin denied. The adapters' conformance runs the same broken thenables over HTTP; these say
 * precisely which error each one reports.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { CorsPolicy, type CorsErrorContext, type CorsRequest } from '../index.js';

const ORIGIN = 'https://tenant.example';

interface Reported {
  readonly error: unknown;
  readonly context: CorsErrorContext;
}

/** A policy whose predicate returns what `answer` gives, and the errors it reports. */
function policyReturning(answer: () => unknown, timeout = 1000): { policy: CorsPolicy; errors: Reported[] } {
  const errors: Reported[] = [];
  const policy = new CorsPolicy({
    allowOriginPredicate: answer as () => boolean,
    originPredicateTimeout: timeout,
    onError: (error, context) => errors.push({ error, context }),
  });
  return { policy, errors };
}

/** The messages of the reported errors. */
function messages(errors: readonly Reported[]): string[] {
  return errors.map(({ error }) => (error instanceof Error ? error.message : String(error)));
}

test('only the boolean true allows; other values deny without an error, and are not followed', async () => {
  for (const [answer, allowed] of [
    [true, true],
    [false, false],
    ['yes', false],
    [1, false],
    [null, false],
    [undefined, false],
    [{}, false],
    [{ then: 'not a function' }, false],
  ] as const) {
    const { policy, errors } = policyReturning(() => answer);
    assert.equal(policy.allowsOrigin(ORIGIN), allowed, String(answer));
    assert.deepEqual(errors, []);
  }
});

test('a thenable answers through its then, once: true allows, anything else denies', async () => {
  const fulfilling = (value: unknown) => () => ({ then: (onFulfilled: (v: unknown) => void) => onFulfilled(value) });
  for (const [value, allowed] of [
    [true, true],
    [false, false],
    ['yes', false],
  ] as const) {
    const { policy, errors } = policyReturning(fulfilling(value));
    const verdict = policy.allowsOrigin(ORIGIN);
    assert.ok(verdict instanceof Promise);
    assert.equal(await verdict, allowed, String(value));
    assert.deepEqual(errors, []);
  }
  // A function with a then method is a thenable too.
  const callable = Object.assign(() => undefined, { then: (onFulfilled: (v: boolean) => void) => onFulfilled(true) });
  assert.equal(await policyReturning(() => callable).policy.allowsOrigin(ORIGIN), true);
});

test('then is read once: a getter is not asked again', async () => {
  let reads = 0;
  const { policy, errors } = policyReturning(() => ({
    get then() {
      reads++;
      if (reads > 1) throw new Error('then read twice');
      return (onFulfilled: (v: boolean) => void) => onFulfilled(true);
    },
  }));
  assert.equal(await policy.allowsOrigin(ORIGIN), true);
  assert.equal(reads, 1);
  assert.deepEqual(errors, []);
});

test('a predicate or then getter that throws denies and reports that error with the origin', () => {
  for (const failure of [
    () => {
      throw new Error('tenant database unavailable');
    },
    () => ({
      get then(): unknown {
        throw new Error('tenant database unavailable');
      },
    }),
  ]) {
    const { policy, errors } = policyReturning(failure);
    assert.equal(policy.allowsOrigin(ORIGIN), false);
    assert.deepEqual(messages(errors), ['tenant database unavailable']);
    assert.deepEqual(errors[0]?.context, { source: 'origin-predicate', origin: ORIGIN });
  }
});

test('a rejection denies and reports its reason as given', async () => {
  const reason = { code: 'E_TENANT' };
  const { policy, errors } = policyReturning(() => ({ then: (_: unknown, onRejected: (e: unknown) => void) => onRejected(reason) }));
  assert.equal(await policy.allowsOrigin(ORIGIN), false);
  assert.equal(errors.length, 1);
  assert.equal(errors[0]?.error, reason);
  assert.deepEqual(errors[0]?.context, { source: 'origin-predicate', origin: ORIGIN });
});

test('a then that throws before answering denies and reports what it threw, and only that', async () => {
  const { policy, errors } = policyReturning(
    () => ({
      then() {
        throw new Error('then threw');
      },
    }),
    20,
  );
  assert.equal(await policy.allowsOrigin(ORIGIN), false);
  // Past the predicate's time limit: the failure was its answer, so no late timeout is reported.
  await sleep(60);
  assert.deepEqual(messages(errors), ['then threw']);
});

test('a then that answers, then throws, is not trusted: denied, and what it threw is reported', async () => {
  const { policy, errors } = policyReturning(() => ({
    then(onFulfilled: (v: boolean) => void) {
      onFulfilled(true);
      throw new Error('then threw after answering');
    },
  }));
  assert.equal(await policy.allowsOrigin(ORIGIN), false);
  assert.deepEqual(messages(errors), ['then threw after answering']);
});

test('answering more than once inside then denies, reported once however many answers', async () => {
  const answersTwice = policyReturning(() => ({
    then(onFulfilled: (v: boolean) => void, onRejected: (e: Error) => void) {
      onFulfilled(true);
      onRejected(new Error('and failed too'));
    },
  }));
  assert.equal(await answersTwice.policy.allowsOrigin(ORIGIN), false);
  const thrice = policyReturning(() => ({
    then(onFulfilled: (v: boolean) => void) {
      onFulfilled(true);
      onFulfilled(true);
      onFulfilled(true);
    },
  }));
  assert.equal(await thrice.policy.allowsOrigin(ORIGIN), false);
  for (const { errors } of [answersTwice, thrice]) {
    assert.deepEqual(messages(errors), ['the thenable returned by allowOriginPredicate answered more than once; the origin was denied']);
  }
});

test('after then returns, the first answer stands: a later second answer is ignored, not reported', async () => {
  let answer: ((value: boolean) => void) | undefined;
  let fail: ((error: Error) => void) | undefined;
  const { policy, errors } = policyReturning(() => ({
    then(onFulfilled: (v: boolean) => void, onRejected: (e: Error) => void) {
      answer = onFulfilled;
      fail = onRejected;
    },
  }));
  const verdict = policy.allowsOrigin(ORIGIN);
  answer?.(true);
  fail?.(new Error('late failure'));
  answer?.(false);
  assert.equal(await verdict, true);
  assert.deepEqual(errors, []);
});

test('a thenable that never answers is denied at the timeout, which names it', async () => {
  const { policy, errors } = policyReturning(() => ({ then() {} }), 5);
  assert.equal(await policy.allowsOrigin(ORIGIN), false);
  assert.deepEqual(messages(errors), ['allowOriginPredicate did not answer within 5 ms; the origin was denied']);
});

test('an answer stops the timer: no timeout is reported after it', async () => {
  for (const answerInsideThen of [true, false]) {
    const { policy, errors } = policyReturning(
      () => ({
        then(onFulfilled: (v: boolean) => void) {
          if (answerInsideThen) onFulfilled(true);
          else queueMicrotask(() => onFulfilled(true));
        },
      }),
      1,
    );
    assert.equal(await policy.allowsOrigin(ORIGIN), true);
    // Well past the 1 ms timer, which was set before the answer: it must not fire.
    await sleep(30);
    assert.deepEqual(errors, [], `answered ${answerInsideThen ? 'inside then' : 'later'}`);
  }
});

test('asked without a request, the predicate gets one that carries only the Origin', () => {
  const seen: CorsRequest[] = [];
  const policy = new CorsPolicy({
    allowOriginPredicate: (_origin, request) => {
      seen.push(request);
      return true;
    },
  });
  assert.equal(policy.allowsOrigin(ORIGIN), true);
  const [request] = seen;
  assert.ok(request !== undefined);
  assert.deepEqual(
    [request.method, request.url, request.origin, request.header('Origin'), request.requestMethod, request.requestHeaders],
    ['GET', undefined, ORIGIN, ORIGIN, undefined, undefined],
  );
  assert.deepEqual([request.header('Host'), request.host, request.path, request.context], [undefined, undefined, undefined, undefined]);
});

test('an answer after the timeout is ignored: a late rejection is not reported', async () => {
  let fail: ((error: Error) => void) | undefined;
  const { policy, errors } = policyReturning(
    () => ({
      then(_: unknown, onRejected: (e: Error) => void) {
        fail = onRejected;
      },
    }),
    5,
  );
  assert.equal(await policy.allowsOrigin(ORIGIN), false);
  fail?.(new Error('late failure'));
  assert.deepEqual(messages(errors), ['allowOriginPredicate did not answer within 5 ms; the origin was denied']);
});
