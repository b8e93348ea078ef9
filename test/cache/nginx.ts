/**
 * Starts Debian's nginx as a caching reverse proxy on loopback, for one test: its own temp
 * prefix, config, cache, pid and log files, in the foreground (no daemon, no master), and
 * stops it and removes everything afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The nginx binary: `NGINX=/path/to/nginx` chooses one, else Debian's locations. */
export const NGINX_BINARY = (process.env.NGINX === undefined ? ['/usr/sbin/nginx', '/usr/bin/nginx'] : [process.env.NGINX]).find((path) =>
  existsSync(path),
);

export const INSTALL_HINT =
  'nginx is not installed, so the shared-cache test cannot run. Install it with `sudo apt-get install nginx` ' +
  '(Debian/Ubuntu; `.ci/run` does this), then run `npm test` again.';

export interface CachingProxy {
  readonly port: number;
  readonly errorLog: () => string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function config(dir: string, port: number, upstreamPort: number): string {
  // `user` only matters (and is only allowed without a warning) when nginx starts as root.
  const user = process.getuid?.() === 0 ? 'user root;' : '';
  return `
${user}
daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  proxy_cache_path ${dir}/cache levels=1:2 keys_zone=api:4m max_size=64m inactive=10m use_temp_path=off;
  upstream api { server 127.0.0.1:${upstreamPort}; keepalive 16; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://api;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_cache api;
      proxy_cache_key $scheme$proxy_host$request_uri;
      proxy_cache_lock on;
      add_header X-Cache-Status $upstream_cache_status always;
    }
  }
}
`;
}

function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) return reject(new Error(`nginx exited with code ${child.exitCode}`));
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nginx did not listen on ${port} within ${timeoutMs} ms`));
        else setTimeout(attempt, 20);
      });
    };
    attempt();
  });
}

/** Starts nginx in front of `upstreamPort`; retries on the rare port race. */
export async function startCachingProxy(upstreamPort: number): Promise<CachingProxy> {
  if (NGINX_BINARY === undefined) throw new Error(INSTALL_HINT);
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), 'corsguard-nginx-'));
    const port = await freePort();
    const conf = join(dir, 'nginx.conf');
    writeFileSync(conf, config(dir, port, upstreamPort));
    const child = spawn(NGINX_BINARY, ['-p', `${dir}/`, '-c', conf, '-e', join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const errorLog = () => {
      try {
        return readFileSync(join(dir, 'error.log'), 'utf8') + stderr;
      } catch {
        return stderr;
      }
    };
    const stop = async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    };
    try {
      await waitForPort(port, child, 5000);
      return { port, errorLog, stop };
    } catch (error) {
      lastError = new Error(`${(error as Error).message}\n${errorLog()}`);
      await stop();
    }
  }
  throw lastError;
}
