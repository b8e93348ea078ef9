// The recipes shown in README.md and docs/frameworks.md are the programs the tests in this
// folder build and run. A code block that follows `<!-- snippet: <file> -->` must consist of
// lines of that file, in the file's order (a block may leave lines out, never change or add one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { httpApiEvent, restApiEvent } from '../../src/lambda/test-support/events.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const MARKER = '<!-- snippet: ';

/** Each marked block of a document with the file it quotes. */
function snippets(document: string): Array<{ file: string; lines: string[] }> {
  const text = readFileSync(root + document, 'utf8');
  const found: Array<{ file: string; lines: string[] }> = [];
  for (let at = text.indexOf(MARKER); at !== -1; at = text.indexOf(MARKER, at + 1)) {
    const file = text.slice(at + MARKER.length, text.indexOf(' -->', at));
    const open = text.indexOf('```', at);
    const start = text.indexOf('\n', open) + 1;
    const block = text.slice(start, text.indexOf('\n```', start));
    found.push({ file, lines: block.split('\n').filter((line) => line.trim() !== '') });
  }
  return found;
}

for (const document of ['README.md', 'docs/frameworks.md']) {
  test(`${document}: every recipe block is taken from the program its test runs`, () => {
    const blocks = snippets(document);
    assert.ok(blocks.length >= 4, `expected the recipe blocks in ${document}, found ${blocks.length}`);
    for (const { file, lines } of blocks) {
      const source = readFileSync(root + file, 'utf8')
        .split('\n')
        .map((line) => line.trimEnd());
      let next = 0;
      for (const line of lines) {
        const index = source.indexOf(line.trimEnd(), next);
        assert.notEqual(index, -1, `${document}: this line of the ${file} block is not in ${file} (after line ${next}):\n${line}`);
        next = index + 1;
      }
    }
  });
}

test('the README Lambda recipe answers a preflight and a request behind API Gateway', async () => {
  const { handler } = await import('./lambda-handler.js');
  const preflight = await handler(
    httpApiEvent({
      method: 'OPTIONS',
      headers: [
        ['Origin', 'https://app.example.com'],
        ['Access-Control-Request-Method', 'PUT'],
      ],
    }),
    {},
  );
  assert.equal(preflight.statusCode, 204);
  assert.equal(preflight.headers?.['access-control-allow-origin'], 'https://app.example.com');
  const get = await handler(restApiEvent({ method: 'GET', path: '/items', headers: [['Origin', 'https://app.example.com']] }), {});
  assert.equal(get.body, '{"path":"/items"}');
  assert.equal(get.headers?.['access-control-allow-origin'], 'https://app.example.com');
});
