/**
 * Every adapter the conformance table runs against, over real loopback HTTP. A new adapter
 * joins by adding one line here; so does each supported major of a framework (the older ones
 * are installed as npm aliases: `express4`, `fastify4`, `koa2`).
 */
import { getRequestListener } from '@hono/node-server';
import { withCors as fetchWithCors } from '../../src/fetch/index.js';
import { cors as honoCors } from '../../src/hono/index.js';
import { listen, type RunningServer } from '../support/server.js';
import { express4App, expressApp } from './apps/express.js';
import { fastify4App, fastifyApp } from './apps/fastify.js';
import { fetchConformanceApp } from './apps/fetch.js';
import { honoConformanceApp } from './apps/hono.js';
import { koa2App, koaApp } from './apps/koa.js';
import { corsMiddlewareApp, withCorsApp } from './apps/node.js';
import type { AdapterName } from './cases.js';
import { mountWeb } from './mount.js';
import { mountNodeApps } from './mount-node.js';

export interface ConformanceTarget {
  /** Which column of the table's `differences` applies. */
  readonly adapter: AdapterName;
  /** Shown in test names, e.g. `hono on Deno`. */
  readonly label: string;
  /** Starts a server with every configuration mounted under `/<config>`. */
  start(): Promise<RunningServer>;
}

const onNode = (adapter: AdapterName, start: () => Promise<RunningServer>, major = ''): ConformanceTarget => ({
  adapter,
  label: `${adapter}${major} on Node`,
  start,
});

export const NODE_TARGETS: readonly ConformanceTarget[] = [
  onNode('node-withCors', async () => listen(await mountNodeApps(withCorsApp))),
  onNode('node-corsMiddleware', async () => listen(await mountNodeApps(corsMiddlewareApp))),
  onNode('fetch', async () => listen(getRequestListener(mountWeb(fetchConformanceApp(fetchWithCors))))),
  onNode('hono', async () => listen(getRequestListener(mountWeb(honoConformanceApp(honoCors))))),
  onNode('express', async () => listen(await mountNodeApps(expressApp)), ' 5'),
  onNode('express', async () => listen(await mountNodeApps(express4App)), ' 4'),
  onNode('fastify', async () => listen(await mountNodeApps(fastifyApp)), ' 5'),
  onNode('fastify', async () => listen(await mountNodeApps(fastify4App)), ' 4'),
  onNode('koa', async () => listen(await mountNodeApps(koaApp)), ' 3'),
  onNode('koa', async () => listen(await mountNodeApps(koa2App)), ' 2'),
];
