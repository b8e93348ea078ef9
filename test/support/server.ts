/**
 * Starting and stopping test servers on loopback. Every server listens on 127.0.0.1 port 0,
 * so suites never collide on a port, and is closed with its keep-alive sockets.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RunningServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  close(): Promise<void>;
}

/** Starts a `node:http` server for `listener` on a free loopback port. */
export function listen(listener: RequestListener): Promise<RunningServer> {
  return listenServer(createServer(listener));
}

/** Puts an already created server on a free loopback port. */
export function listenServer(server: Server): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, close: () => closeServer(server) });
    });
  });
}

/** Closes a server, ending idle keep-alive connections so the test process can exit. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

/** Runs `run` against a server for `listener`, and closes the server whatever happens. */
export async function withServer(listener: RequestListener, run: (url: string) => Promise<void>): Promise<void> {
  const server = await listen(listener);
  try {
    await run(server.url);
  } finally {
    await server.close();
  }
}

/**
 * Servers a test file starts as it goes and closes all at once (register `closeAll` with
 * `after`): `const servers = startedServers(); after(servers.closeAll);`.
 */
export function startedServers(): { serve(listener: RequestListener): Promise<string>; closeAll(): Promise<void> } {
  const running: RunningServer[] = [];
  return {
    async serve(listener) {
      const server = await listen(listener);
      running.push(server);
      return server.url;
    },
    closeAll: async () => {
      await Promise.all(running.map((s) => s.close()));
    },
  };
}
