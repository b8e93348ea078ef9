// The README's quick start, verbatim: the test in quick-start.test.ts starts it with PORT=0.
import { createServer } from 'node:http';
import { withCors } from 'corsguard/node';

const server = createServer(
  withCors((req, res) => res.end('{"message":"Hello World"}'), {
    allowOrigins: ['https://app.example.com'],
    allowCredentials: true,
    allowHeaders: ['Content-Type'], // a JSON POST (Content-Type: application/json) is preflighted
  }),
);
server.listen(Number(process.env.PORT ?? 8000));

export { server };
