import { test } from 'node:test';
import assert from 'node:assert/strict';
import { craftProbes, guessDomain } from './scan.js';

test('the probes for https://www.example.com include CORScanner\'s origins', () => {
  const origins = craftProbes('https://www.example.com', guessDomain('www.example.com')).map((p) => p.origin);
  for (const expected of [
    'null',
    'https://www.example.com.attacker.example',
    'https://attackerexample.com',
    'https://xample.com',
    'https://wwwxexample.com',
    'https://www.examplexcom',
    'https://www.example.com_.attacker.example',
    'https://www.example.com%60.attacker.example',
    'https://corsguard-probe.github.io',
    'https://codepen.io',
    'http://www.example.com',
    'https://corsguard-probe.www.example.com',
  ]) {
    assert.ok(origins.includes(expected), expected);
  }
  assert.ok(!origins.includes('https://www.example.com'), 'never the trusted origin itself');
});

test('guessDomain: the last two labels, or the host itself for addresses', () => {
  assert.equal(guessDomain('api.app.example.com'), 'example.com');
  assert.equal(guessDomain('localhost'), 'localhost');
  assert.equal(guessDomain('127.0.0.1'), '127.0.0.1');
});
