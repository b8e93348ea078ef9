/**
 * What every API server adds in front of corsguard: the calling page at `/page.html` (for
 * same-origin scenarios), and the hand-written servers of scenarios with a `rawServer`, which
 * answer instead of corsguard: the response head is written on the socket byte for byte, so it
 * can hold what no framework writes (a header name with a space before the colon) and what
 * corsguard never sends.
 */
import type http from 'node:http';
import type { TrafficLog } from './api.js';
import { writePage } from './pages.js';
import type { RawAnswer, RawServer, Scenario } from './scenario-types.js';

function rawBytes(answer: RawAnswer, method: string): string {
  const body = method === 'HEAD' ? '' : (answer.body ?? '');
  const hasLength = answer.lines.some(([name]) => name.toLowerCase() === 'content-length');
  const lines = answer.lines.map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return `HTTP/1.1 ${answer.status} Raw\r\n${lines}${hasLength ? '' : `Content-Length: ${Buffer.byteLength(body, 'latin1')}\r\n`}Connection: close\r\n\r\n${body}`;
}

/**
 * Wraps the adapter's listener: `/page.html` is the calling page; requests for a scenario with a
 * raw server get its answer (after their body is read; every non-preflight request counts as a
 * handler run); the rest go on to corsguard.
 */
export function withPageAndRawServers(
  listener: http.RequestListener,
  scenarios: readonly Scenario[],
  traffic: TrafficLog,
  parse: (url: string) => { readonly key: string; readonly scenarioId: string } | undefined,
): http.RequestListener {
  const servers = new Map<string, RawServer>();
  for (const s of scenarios) if (s.rawServer !== undefined) servers.set(s.id, s.rawServer);
  return (req, res) => {
    if (req.url === '/page.html') {
      writePage(res);
      return;
    }
    const path = parse(req.url ?? '');
    const server = path === undefined ? undefined : servers.get(path.scenarioId);
    if (path === undefined || server === undefined) {
      listener(req, res);
      return;
    }
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (!preflight) traffic.get(path.key).handlerRuns++;
    const answer = preflight && server.preflight !== undefined ? server.preflight : server.actual;
    req.resume();
    req.on('end', () => req.socket.end(rawBytes(answer, req.method ?? 'GET'), 'latin1'));
  };
}
