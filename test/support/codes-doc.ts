/**
 * docs/codes.md, generated from the one list of codes in src/core/codes.ts. `npm run docs:codes` writes it;
 * src/core/codes.test.ts fails when the committed file differs from what this renders.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CORS_PROBLEM_CODES, CORS_WARNING_CODES } from '../../src/core/codes.js';

export const CODES_DOC_PATH = fileURLToPath(new URL('../../../docs/codes.md', import.meta.url));

function table(codes: Readonly<Record<string, string>>): string {
  const rows = Object.entries(codes).map(([code, meaning]) => `| \`${code}\` | ${meaning.replaceAll('|', '\\|')} |`);
  return ['| Code | Meaning |', '| --- | --- |', ...rows].join('\n');
}

/** The text of docs/codes.md. */
export function renderCodesDoc(): string {
  return `# Configuration problem and warning codes

<!-- Generated from src/core/codes.ts by \`npm run docs:codes\`; do not edit by hand (src/core/codes.test.ts fails when this file is stale). -->

Options are validated when a policy, handler or middleware is created. What cannot work is thrown as one
\`CorsConfigError\` whose \`problems\` each carry a \`code\`; what works but carries a risk is passed to
\`onWarning\` (by default \`console.warn\`) with a \`code\`, and \`strict: true\` turns each warning into a
problem with the same code. The codes are stable: programs may match on them. In TypeScript they are the
types \`CorsProblemCode\` and \`CorsWarningCode\`, exported by \`corsguard\`. Each problem also carries the
option, the value, the reason in words and the fix; the meanings below say what each code covers.

## Problems (\`CorsProblemCode\`)

${table(CORS_PROBLEM_CODES)}

## Warnings (\`CorsWarningCode\`)

${table(CORS_WARNING_CODES)}
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--write')) {
  writeFileSync(CODES_DOC_PATH, renderCodesDoc());
  console.log(`wrote ${CODES_DOC_PATH}`);
}
