// The README's configuration-from-the-environment example: env.test.ts starts it with PORT=0.
import { createServer } from 'node:http';
import { corsOptionsFromEnv } from 'corsguard';
import { withCors } from 'corsguard/node';

// CORS_ALLOW_ORIGINS=https://app.example.com,https://admin.example.com CORS_ALLOW_HEADERS=Content-Type
const corsOptions = corsOptionsFromEnv(process.env, { defaults: { allowMethods: ['PUT', 'DELETE'] } });
const server = createServer(withCors((req, res) => res.end('{"message":"Hello World"}'), corsOptions));
server.listen(Number(process.env.PORT ?? 8000));

export { server };
