/**
 * Real `node:http` request and response objects, built the way the server builds them for
 * a parsed request, minus the socket I/O: the response buffers its output instead of
 * writing it, which is what `node:http` does until a socket is assigned.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { Workload } from '../workloads.js';
import type { Observed } from './library.js';

const socket = new Socket();

export interface NodePair {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
}

/**
 * The parser gives every request its own headers object and its own strings, whose hashes
 * (which a Set or Map lookup computes) are not cached yet; reusing one string across
 * requests would make every lookup keyed on it look cheaper than it is.
 */
export function freshHeaders(workload: Workload): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of Object.keys(workload.headers)) headers[name] = Buffer.from(workload.headers[name]!, 'latin1').toString('latin1');
  return headers;
}

export function nodeRequest(workload: Workload): IncomingMessage {
  const req = new IncomingMessage(socket);
  req.method = workload.method;
  req.url = '/items';
  req.httpVersion = '1.1';
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 1;
  req.headers = freshHeaders(workload);
  return req;
}

export function nodePair(workload: Workload): NodePair {
  const req = nodeRequest(workload);
  return { req, res: new ServerResponse(req) };
}

export function observeNode(res: ServerResponse): Observed {
  const value = res.getHeader('access-control-allow-origin');
  return {
    allowOrigin: value === undefined ? undefined : String(value),
    status: res.headersSent ? res.statusCode : undefined,
  };
}
