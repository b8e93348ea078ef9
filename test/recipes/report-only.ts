// The README's report-only example: the test in report-only.test.ts starts it with PORT=0.
import { createServer } from 'node:http';
import type { CorsVerdictChange } from 'corsguard';
import { withCors } from 'corsguard/node';

export const reported: CorsVerdictChange[] = [];

const server = createServer(
  withCors((req, res) => res.end('ok'), {
    allowOrigins: ['https://app.example.com', 'https://legacy.example.com'],
    allowMethods: ['PUT', 'DELETE'],
    reportOnly: {
      // What you mean to enforce next: the legacy frontend and DELETE go.
      options: { allowOrigins: ['https://app.example.com'], allowMethods: ['PUT'] },
      onChange: (change) => {
        reported.push(change);
        console.warn(`CORS report-only: ${change.kind} ${change.method} ${change.path} from ${change.origin}: ${change.candidate.reason}`);
      },
    },
  }),
);
server.listen(Number(process.env.PORT ?? 8000));

export { server };
