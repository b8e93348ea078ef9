/**
 * Mounts one app per named configuration under `/<config>` in a single server, and answers
 * `GET /__reported` with the error sources recorded since the last read. Each mounted app is a
 * complete top-level app of its framework: the prefix is stripped before it sees the request.
 * Web-only code (no `node:` imports) so that Bun, Deno and workerd run it too.
 */
import { CONFIG_NAMES, type ConfigName, type ErrorLog, type ReportedSource } from './app-contract.js';

export const REPORTED_PATH = '/__reported';

export interface RecordingLog extends ErrorLog {
  take(): ReportedSource[];
}

export function createErrorLog(): RecordingLog {
  let entries: ReportedSource[] = [];
  return {
    record(source) {
      entries.push(source);
    },
    take() {
      const taken = entries;
      entries = [];
      return taken;
    },
  };
}

/** Splits `/<config>/rest?query` into the config and the path its app sees. */
export function splitMount(url: string): { config: ConfigName; rest: string } | undefined {
  const slash = url.indexOf('/', 1);
  const name = url.slice(1, slash === -1 ? url.length : slash);
  if (!(CONFIG_NAMES as string[]).includes(name)) return undefined;
  const rest = slash === -1 ? '/' : url.slice(slash);
  return { config: name as ConfigName, rest };
}

export type WebHandler = (request: Request) => Response | Promise<Response>;

/** One fetch handler serving every configuration's app. */
export function mountWeb(build: (config: ConfigName, log: ErrorLog) => WebHandler): WebHandler {
  const log = createErrorLog();
  const apps = new Map(CONFIG_NAMES.map((name) => [name, build(name, log)] as const));
  return (request) => {
    const url = new URL(request.url);
    if (url.pathname === REPORTED_PATH) return Response.json(log.take());
    const mount = splitMount(url.pathname + url.search);
    if (mount === undefined) return new Response('no such configuration', { status: 500 });
    return apps.get(mount.config)!(new Request(new URL(mount.rest, url), request));
  };
}
