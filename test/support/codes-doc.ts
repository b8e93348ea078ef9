/**
 * docs/codes.md, generated from the one list of codes in src/core/codes.ts. `npm run docs:codes` writes it;
 * src/core/codes.test.ts fails when the committed file differs from what this renders.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CORS_PROBLEM_CODES, CORS_WARNING_CODES } from '../../src/core/codes.js';
import { variableSuffix } from '../../src/core/env.js';
import { CORS_RISK_OPT_INS } from '../../src/core/risks.js';

export const CODES_DOC_PATH = fileURLToPath(new URL('../../../docs/codes.md', import.meta.url));

function table(codes: Readonly<Record<string, string>>, heading = 'Meaning'): string {
  const rows = Object.entries(codes).map(([code, meaning]) => `| \`${code}\` | ${meaning.replaceAll('|', '\\|')} |`);
  return [`| Code | ${heading} |`, '| --- | --- |', ...rows].join('\n');
}

/** The text of docs/codes.md. */
export function renderCodesDoc(): string {
  return `# Configuration problem and warning codes

<!-- Generated from src/core/codes.ts by \`npm run docs:codes\`; do not edit by hand (src/core/codes.test.ts fails when this file is stale). -->

Options are validated when a policy, handler or middleware is created. What cannot work, and every risk the
options have not accepted by name, is thrown as one \`CorsConfigError\` whose \`problems\` each carry a
\`code\`; what works but is probably not what was meant is passed to \`onWarning\` (by default
\`console.warn\`) with a \`code\`, and \`strict: true\` turns each warning found at construction into a problem
with the same code. The codes are stable: programs may match on them. In TypeScript they are the types
\`CorsProblemCode\` and \`CorsWarningCode\`, exported by \`corsguard\`. Each problem also carries the option, the
value, the reason in words and the fix; the meanings below say what each code covers.

## Risks and their opt-ins

Secure by default: these settings work in browsers but hand data to sites the user did not mean to trust,
so they are refused unless the options accept that one risk by name (the model is jub0bs/cors's
\`Dangerously…\` fields). Each opt-in is a boolean, accepted risks are not reported again, and each opt-in
accepts only its own risk. Origins that are potentially trustworthy under Secure Contexts (\`https\`,
\`http://localhost\`, \`*.localhost\`, \`127.0.0.0/8\`, \`[::1]\`) need no opt-in to be allowed with credentials.
In corsguard 0.1.0 these three codes were warnings; they keep their names and meanings.

${table(Object.fromEntries(Object.entries(CORS_RISK_OPT_INS).map(([code, optIn]) => [code, `refused unless \`${optIn}: true\` (environment: \`CORS_${variableSuffix(optIn)}=true\`)`])), 'Opt-in')}

The other warnings stay warnings, because they are not risks: \`lower-case-method\` makes a policy refuse
more than meant (a frontend sending \`PATCH\` is denied), never allow more, so \`strict: true\` is the switch
for teams that want it to fail the build; \`foreign-cors-header\` is found while answering a request, after
construction, where nothing can be refused any more.

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
