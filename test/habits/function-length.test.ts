/**
 * Issue 13, item 3: no function in src/ longer than about 100 lines, so each one holds one concept.
 * Lists every function, method, arrow function and function expression in src/**\/*.ts (tests
 * and generated files aside) with the `typescript` dev dependency's own parser, and names each
 * one over the limit with its file, line and length.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** Lines from the function's first line to its last, both counted. */
const MAX_FUNCTION_LINES = 100;

const root = fileURLToPath(new URL('../../..', import.meta.url));

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (
      entry.name.endsWith('.ts') &&
      !entry.name.endsWith('.test.ts') &&
      !entry.name.endsWith('.generated.ts') &&
      !entry.name.endsWith('.d.ts')
    )
      files.push(path);
  }
  return files;
}

function functionName(node: ts.Node, file: ts.SourceFile): string {
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name !== undefined) return named.name.getText(file);
  // An arrow function or function expression takes the name of what it is assigned to.
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))
    return parent.name.getText(file);
  return '(anonymous)';
}

/** Every function of one file longer than `max` lines: `path:line name (n lines)`. */
function longFunctions(path: string, text: string, max: number): string[] {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).body !== undefined) {
      const first = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
      const last = file.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = last - first + 1;
      if (lines > max) found.push(`${relative(root, path)}:${first + 1} ${functionName(node, file)} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

test(`no function in src/ is longer than ${MAX_FUNCTION_LINES} lines`, () => {
  const files = sourceFiles(join(root, 'src'));
  assert.ok(files.length > 50, `found only ${files.length} source files under ${root}src`);
  const long = files.flatMap((path) => longFunctions(path, readFileSync(path, 'utf8'), MAX_FUNCTION_LINES));
  assert.deepEqual(long, [], `split these by concept:\n${long.join('\n')}`);
});

test('the length check sees functions, methods, arrows and function expressions, and counts their lines', () => {
  const body = (n: number): string => Array.from({ length: n - 2 }, (_, i) => `  call(${i});`).join('\n');
  const text = [
    `function declared() {\n${body(6)}\n}`,
    `const arrow = () => {\n${body(5)}\n};`,
    `const expression = function () {\n${body(7)}\n};`,
    `class Shape {\n  method() {\n${body(6)}\n  }\n}`,
    `function short() {\n${body(4)}\n}`,
  ].join('\n');
  assert.deepEqual(longFunctions(join(root, 'src/example.ts'), text, 4), [
    'src/example.ts:1 declared (6 lines)',
    'src/example.ts:7 arrow (5 lines)',
    'src/example.ts:12 expression (7 lines)',
    'src/example.ts:20 method (6 lines)',
  ]);
});
