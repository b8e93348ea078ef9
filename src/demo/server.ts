/** Starts the demo: the API and the frontend page, both on loopback. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDemoApi } from './api.js';
import { diagnoseDemo, type DemoDiagnosis } from './diagnosis.js';
import { demoPage } from './page.js';

export interface DemoOptions {
  /** Default 8000; 0 picks a free port. */
  apiPort?: number;
  /** Default 3000; 0 picks a free port. */
  webPort?: number;
  /** Default 'localhost' (both servers bind to 127.0.0.1). */
  host?: string;
}

export interface RunningDemo {
  readonly apiUrl: string;
  readonly webUrl: string;
  /** The frontend's origin, which the API allows. */
  readonly frontendOrigin: string;
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const host = options.host ?? 'localhost';
  let apiUrl = '';
  // Checked once, on the page's first request for it (the API is up by then).
  let diagnosis: Promise<DemoDiagnosis> | undefined;
  const web = createServer((req, res) => {
    if (req.url === '/' || req.url === '/index.html') {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(demoPage(apiUrl));
    } else if (req.url === '/diagnosis.json') {
      diagnosis ??= diagnoseDemo(apiUrl, frontendOrigin);
      diagnosis.then(
        (value) => {
          res.setHeader('Content-Type', 'application/json');
          res.end(JSON.stringify(value));
        },
        (error: unknown) => {
          diagnosis = undefined;
          res.statusCode = 500;
          res.end(`the diagnosis failed: ${(error as Error).message}`);
        },
      );
    } else {
      res.statusCode = 404;
      res.end('not found');
    }
  });
  const webPort = await listen(web, options.webPort ?? 3000);
  const frontendOrigin = `http://${host}:${webPort}`;
  const api = createServer(createDemoApi(frontendOrigin));
  let apiPort: number;
  try {
    apiPort = await listen(api, options.apiPort ?? 8000);
  } catch (error) {
    await close(web);
    throw error;
  }
  apiUrl = `http://${host}:${apiPort}`;
  return {
    apiUrl,
    webUrl: `${frontendOrigin}/`,
    frontendOrigin,
    async close() {
      await Promise.all([close(api), close(web)]);
    },
  };
}
