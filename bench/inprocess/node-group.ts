/**
 * `node:http`: the hand-written floor, corsguard's `corsMiddleware` and the `cors` package
 * (what Express users install), each called as connect/Express call a middleware:
 * `(req, res, next)` on the server's `IncomingMessage` and `ServerResponse`.
 */
import type { ServerResponse } from 'node:http';
import cors from 'cors';
import { corsMiddleware } from '../../src/node/index.js';
import {
  EXPOSE_HEADERS,
  MAX_AGE,
  NINE_ALLOWED_ORIGIN,
  NINE_EXACT,
  THOUSAND_ORIGINS,
  ONE_ORIGIN,
  corsPackageOptions,
  corsguardOptions,
  type OriginSet,
  type Workload,
} from '../workloads.js';
import type { Case } from './harness.js';
import type { Group, Library } from './library.js';
import { nodePair, observeNode, type NodePair } from './node-objects.js';

const next = (): void => {};

type Middleware = (req: NodePair['req'], res: NodePair['res'], next: () => void) => void;

function nodeCase(workload: Workload, middleware: (pair: NodePair) => void, make = () => nodePair(workload)): Case<NodePair> {
  return {
    async: false,
    make,
    run: middleware,
    observe: (pair) => observeNode(pair.res),
  };
}

function middlewareCase(workload: Workload, middleware: Middleware, make?: () => NodePair): Case<unknown> {
  return nodeCase(workload, (pair) => middleware(pair.req, pair.res, next), make) as Case<unknown>;
}

const corsguard: Library = {
  id: 'corsguard',
  role: 'corsguard',
  label: 'corsguard (`corsMiddleware`)',
  cases(workload) {
    return middlewareCase(workload, corsMiddleware(corsguardOptions(workload.set)));
  },
};

/** corsguard with one origin on the `1,000 origins` requests (same origin): see Library['role']. */
const corsguardOneOrigin: Library = {
  id: 'corsguard-one-origin',
  role: 'scale',
  label: 'corsguard, 1-origin list',
  cases(workload) {
    if (workload.set !== 'thousand' || !workload.allowed) return undefined;
    return middlewareCase(workload, corsMiddleware(corsguardOptions('one')));
  },
};

const corsPackage: Library = {
  id: 'cors',
  role: 'other',
  label: '`cors`',
  cases(workload) {
    return middlewareCase(workload, cors(corsPackageOptions(workload.set)));
  },
};

/** What the floor knows in advance: the set of origins that get an answer. */
function floorSet(set: OriginSet): ReadonlySet<string> {
  switch (set) {
    case 'one':
      return new Set([ONE_ORIGIN]);
    case 'nine':
      // A Set cannot hold a wildcard: the floor knows the answer for the origin it is asked about.
      return new Set([...NINE_EXACT, NINE_ALLOWED_ORIGIN]);
    case 'thousand':
      return new Set(THOUSAND_ORIGINS);
    case 'any':
      return new Set();
  }
}

const REFUSED_BODY = "CORS preflight refused: this origin is not allowed by the server's CORS policy.\n";
const REFUSED_LENGTH = String(Buffer.byteLength(REFUSED_BODY));
const ALLOW_METHODS_VALUE = 'DELETE, PATCH, PUT';
const ALLOW_HEADERS_VALUE = 'authorization, content-type, x-requested-with';
const EXPOSE_VALUE = EXPOSE_HEADERS.join(', ');
const MAX_AGE_VALUE = String(MAX_AGE);

/**
 * The same header writes as corsguard, with every value precomputed and the decision a Set
 * lookup: what any CORS layer on node:http has to pay. No validation of anything.
 */
function floorMiddleware(workload: Workload): (pair: NodePair) => void {
  const origins = floorSet(workload.set);
  if (workload.set === 'any') {
    if (workload.kind === 'actual') {
      return ({ res }) => {
        res.setHeader('Access-Control-Allow-Origin', '*');
        res.setHeader('Access-Control-Expose-Headers', EXPOSE_VALUE);
      };
    }
    return ({ res }) => {
      res.setHeader('Access-Control-Allow-Origin', '*');
      allowPreflight(res);
    };
  }
  if (workload.kind === 'actual') {
    return ({ req, res }) => {
      res.setHeader('Vary', 'Origin');
      const origin = req.headers.origin;
      if (origin !== undefined && origins.has(origin)) {
        res.setHeader('Access-Control-Allow-Origin', origin);
        res.setHeader('Access-Control-Allow-Credentials', 'true');
        res.setHeader('Access-Control-Expose-Headers', EXPOSE_VALUE);
      }
    };
  }
  return ({ req, res }) => {
    res.setHeader('Vary', 'Origin');
    const origin = req.headers.origin;
    if (origin !== undefined && origins.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      allowPreflight(res);
    } else {
      refuse(res);
    }
  };
}

function allowPreflight(res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Methods', ALLOW_METHODS_VALUE);
  res.setHeader('Access-Control-Allow-Headers', ALLOW_HEADERS_VALUE);
  res.setHeader('Access-Control-Max-Age', MAX_AGE_VALUE);
  res.statusCode = 204;
  res.end();
}

function refuse(res: ServerResponse): void {
  res.statusCode = 403;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', REFUSED_LENGTH);
  res.end(REFUSED_BODY);
}

const floor: Library = {
  id: 'floor',
  role: 'baseline',
  label: 'hand-written floor',
  cases(workload) {
    // Refusing garbage is the library's job; the floor has nothing to say about it.
    if (workload.adversarial) return undefined;
    return nodeCase(workload, floorMiddleware(workload)) as Case<unknown>;
  },
};

export const nodeGroup: Group = {
  id: 'node',
  title: 'node:http (`IncomingMessage` / `ServerResponse`)',
  measures:
    'One `middleware(req, res, next)` call on a fresh `IncomingMessage`/`ServerResponse` pair, as connect and Express ' +
    'call it. A preflight includes `res.end()` (header serialisation into the unsent response), which every row pays. ' +
    '`cors` is configured with an array of strings and RegExps; the floor writes the same headers as corsguard after ' +
    'one `Set` lookup.',
  libraries: [floor, corsguard, corsPackage, corsguardOneOrigin],
};

/** A request and response as Express hands them to middleware: its prototypes swapped in. */
function expressPair(app: { request: object; response: object }, workload: Workload): NodePair {
  const pair = nodePair(workload);
  Object.setPrototypeOf(pair.req, app.request);
  Object.setPrototypeOf(pair.res, app.response);
  return pair;
}

export async function expressGroup(): Promise<Group> {
  const { default: express } = await import('express');
  const { cors: corsguardExpress } = await import('../../src/express/index.js');
  const app = express() as unknown as { request: object; response: object };
  const make = (workload: Workload) => () => expressPair(app, workload);
  return {
    id: 'express',
    title: 'Express 5 (`req` / `res` with Express\'s prototypes)',
    measures:
      'One `middleware(req, res, next)` call on a fresh `IncomingMessage`/`ServerResponse` pair whose prototypes Express ' +
      "has swapped for its own (what Express's router hands every middleware). A preflight includes `res.end()`.",
    libraries: [
      {
        id: 'corsguard',
        role: 'corsguard',
        label: 'corsguard (`corsguard/express`)',
        cases: (w) => middlewareCase(w, corsguardExpress(corsguardOptions(w.set)), make(w)),
      },
      {
        id: 'cors',
        role: 'other',
        label: '`cors`',
        cases: (w) => middlewareCase(w, cors(corsPackageOptions(w.set)), make(w)),
      },
    ],
  };
}
