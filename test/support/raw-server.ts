/**
 * A loopback TCP server that answers with exactly the bytes a test writes, for testing an HTTP
 * client against what node:http would never send (a body on a 204, a space before a colon, a
 * head dripped byte by byte, something that is not HTTP at all).
 */
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface RawServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Every request head received so far (up to its blank line), as Latin-1 text. */
  readonly requests: readonly string[];
  /** How many connections were accepted. */
  connections(): number;
  close(): Promise<void>;
}

/**
 * Starts a server on 127.0.0.1 port 0. `answer` runs once per connection with the socket and the
 * request head; with `onConnect`, `answer` runs as soon as the connection is accepted, before any
 * byte arrives (for servers that speak first), with an empty head.
 */
export function rawServer(answer: (socket: Socket, head: string) => void, onConnect = false): Promise<RawServer> {
  const sockets = new Set<Socket>();
  const requests: string[] = [];
  let accepted = 0;
  const server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    if (onConnect) {
      answer(socket, '');
      return;
    }
    let received = '';
    const onData = (chunk: Buffer): void => {
      received += chunk.toString('latin1');
      const end = received.indexOf('\r\n\r\n');
      if (end === -1) return;
      socket.off('data', onData);
      requests.push(received.slice(0, end));
      answer(socket, received.slice(0, end));
    };
    socket.on('data', onData);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        requests,
        connections: () => accepted,
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/**
 * Writes `text` one byte every `intervalMs` until it is all sent or the peer closes; resolves with
 * how many bytes were written before the socket closed.
 */
export function drip(socket: Socket, text: string, intervalMs: number): Promise<number> {
  return new Promise((resolve) => {
    let sent = 0;
    const timer = setInterval(() => {
      if (sent === text.length || socket.destroyed) return;
      socket.write(text[sent]!, 'latin1');
      sent++;
    }, intervalMs);
    socket.on('close', () => {
      clearInterval(timer);
      resolve(sent);
    });
  });
}
