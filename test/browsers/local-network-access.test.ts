/**
 * Chromium's Local Network Access, measured: a page at a public origin (placed there by
 * `corsguard check --real`) fetches a corsguard API on loopback that allows that origin. Chromium
 * blocks it before sending anything, with the console line local-network-access.ts predicts, and
 * explain reads that line back; Firefox ESR sends it (its checks are off by default). If Firefox
 * starts to enforce them, or Chromium changes its wording, this fails: update the model and docs.
 * Filter: CORSGUARD_BROWSERS=chromium,firefox.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { explainMessage } from '../../src/cli/explain.js';
import { localNetworkAccessConsoleMessage } from '../../src/cli/local-network-access.js';
import { withCors } from '../../src/node/index.js';
import { corsguard } from '../cli/support.js';
import { listen, type RunningServer } from '../support/server.js';

const engineFilter = process.env.CORSGUARD_BROWSERS?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const wanted = (engine: string): boolean => engineFilter === undefined || engineFilter.includes(engine);

// A secure public page (the user would be asked; an automated browser cannot answer) and one that is not a secure context.
const ORIGINS = ['https://app.example.com', 'http://app.example.com'];

interface RealVerdict {
  real?: { ran: boolean; unavailable?: string | null; allowed?: boolean; console?: string[] };
}

async function realOutcome(url: string, origin: string, engine: string): Promise<NonNullable<RealVerdict['real']>> {
  const run = await corsguard(['check', url, '--origin', origin, '--real', '--browser', engine, '--skip-probes', '--json']);
  const { verdicts } = JSON.parse(run.stdout) as { verdicts: Record<string, RealVerdict> };
  const real = verdicts[engine]?.real;
  assert.equal(real?.ran, true, `${engine} did not run: ${real?.unavailable} ${run.stderr}`);
  return real;
}

describe('Local Network Access', { concurrency: 1 }, () => {
  let api: RunningServer;
  before(async () => {
    api = await listen(withCors((_req, res) => res.end('{"ok":true}'), { allowOrigins: ORIGINS, onWarning: () => {} }));
  });
  after(() => api.close());

  for (const origin of ORIGINS) {
    test(`chromium: a page at ${origin} calling loopback is blocked before sending, with the predicted console line`, {
      skip: !wanted('chromium'),
    }, async () => {
      const url = `${api.url}/items`;
      const real = await realOutcome(url, origin, 'chromium');
      assert.equal(real.allowed, false);
      const predicted = localNetworkAccessConsoleMessage(origin, url);
      assert.ok(predicted !== undefined);
      assert.ok(real.console?.includes(predicted.text), `Chromium printed ${JSON.stringify(real.console)}; predicted ${predicted.text}`);
      assert.deepEqual(
        explainMessage(predicted.text)?.problems.map((p) => p.id),
        ['local-network-access'],
      );
    });

    test(`firefox: a page at ${origin} calling loopback gets the response (no Local Network Access check by default)`, {
      skip: !wanted('firefox'),
    }, async () => {
      const real = await realOutcome(`${api.url}/items`, origin, 'firefox');
      assert.equal(real.allowed, true, `Firefox printed ${JSON.stringify(real.console)}`);
    });
  }
});
