/**
 * One request over HTTP/2 cleartext to a node:http2 server running `listener` (node:http2's
 * compatibility API), on loopback at a port the system picks: the response headers.
 */
import { connect, createServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { AddressInfo } from 'node:net';

export async function http2Get(
  listener: (req: Http2ServerRequest, res: Http2ServerResponse) => void,
  path: string,
  origin: string,
): Promise<Record<string, unknown>> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  try {
    return await new Promise<Record<string, unknown>>((resolve, reject) => {
      const stream = client.request({ ':path': path, origin });
      stream.on('response', (headers) => {
        stream.resume();
        stream.on('end', () => resolve(headers));
      });
      stream.on('error', reject);
      stream.end();
    });
  } finally {
    client.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
