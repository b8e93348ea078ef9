/**
 * The server side of the soak run, in its own process so that its heap and RSS are its own:
 * node:http + corsguard's withCors on loopback. The parent asks it over IPC for memory figures
 * (after a full GC) and for its open connection count.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { withCors } from '../../src/node/index.js';

let errors = 0;
const server = createServer(
  withCors(
    (_req, res) => {
      res.setHeader('Content-Type', 'text/plain');
      res.setHeader('X-Total-Count', '3');
      res.end('ok');
    },
    {
      allowOrigins: ['https://app.example.com', 'https://admin.example.com', 'http://localhost:3000', 'https://*.example.com'],
      allowCredentials: true,
      allowMethods: ['PUT', 'DELETE'],
      allowHeaders: ['Authorization', 'Content-Type'],
      exposeHeaders: ['X-Total-Count'],
      maxAge: 600,
      onError: () => void errors++,
    },
  ),
);
server.keepAliveTimeout = 30_000;
server.on('clientError', (_error, socket) => {
  errors++;
  socket.destroy();
});

export interface SoakSample {
  readonly heapUsed: number;
  readonly rss: number;
  readonly connections: number;
  readonly errors: number;
}

process.on('message', (message: string) => {
  if (message === 'sample') {
    (globalThis as { gc?: () => void }).gc?.();
    const { heapUsed, rss } = process.memoryUsage();
    server.getConnections((_error, connections) => {
      process.send!({ heapUsed, rss, connections, errors } satisfies SoakSample);
    });
  } else if (message === 'stop') {
    server.close(() => process.exit(0));
  }
});

server.listen(0, '127.0.0.1', () => {
  process.send!({ port: (server.address() as AddressInfo).port });
});
