/** `mount.ts` for `node:http` listeners: one app per configuration, prefix stripped. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConfigName, ErrorLog } from './app-contract.js';
import { CONFIG_NAMES } from './app-contract.js';
import { createErrorLog, REPORTED_PATH, splitMount } from './mount.js';

export type NodeListener = (req: IncomingMessage, res: ServerResponse) => unknown;

export function mountNode(apps: Map<ConfigName, NodeListener>, log: ReturnType<typeof createErrorLog>): NodeListener {
  return (req, res) => {
    if (req.url === REPORTED_PATH) {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(log.take()));
      return;
    }
    const mount = splitMount(req.url ?? '/');
    if (mount === undefined) {
      res.statusCode = 500;
      res.end('no such configuration');
      return;
    }
    req.url = mount.rest;
    return apps.get(mount.config)!(req, res);
  };
}

/** Builds every configuration's app (synchronously or not) and mounts them. */
export async function mountNodeApps(
  build: (config: ConfigName, log: ErrorLog) => NodeListener | Promise<NodeListener>,
): Promise<NodeListener> {
  const log = createErrorLog();
  const apps = new Map<ConfigName, NodeListener>();
  for (const name of CONFIG_NAMES) apps.set(name, await build(name, log));
  return mountNode(apps, log);
}
