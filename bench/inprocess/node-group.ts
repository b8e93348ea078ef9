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
import type { Case, Group, Library } from './library.js';
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

/** The names a hand-written layer writes: lower-case, as node stores them, or as the Fetch standard spells them. */
interface HeaderNames {
  readonly vary: string;
  readonly allowOrigin: string;
  readonly allowCredentials: string;
  readonly allowMethods: string;
  readonly allowHeaders: string;
  readonly exposeHeaders: string;
  readonly maxAge: string;
}

const CAPITALISED: HeaderNames = {
  vary: 'Vary',
  allowOrigin: 'Access-Control-Allow-Origin',
  allowCredentials: 'Access-Control-Allow-Credentials',
  allowMethods: 'Access-Control-Allow-Methods',
  allowHeaders: 'Access-Control-Allow-Headers',
  exposeHeaders: 'Access-Control-Expose-Headers',
  maxAge: 'Access-Control-Max-Age',
};

const LOWER_CASE = Object.fromEntries(
  Object.entries(CAPITALISED).map(([key, name]) => [key, name.toLowerCase()]),
) as unknown as HeaderNames;

/**
 * The same header writes as corsguard, with every value precomputed and the decision a Set
 * lookup: what any CORS layer on node:http has to pay. No validation of anything.
 */
function floorMiddleware(workload: Workload, h: HeaderNames): (pair: NodePair) => void {
  const origins = floorSet(workload.set);
  const allowPreflight = (res: ServerResponse): void => {
    res.setHeader(h.allowMethods, ALLOW_METHODS_VALUE);
    res.setHeader(h.allowHeaders, ALLOW_HEADERS_VALUE);
    res.setHeader(h.maxAge, MAX_AGE_VALUE);
    res.statusCode = 204;
    res.end();
  };
  if (workload.set === 'any') {
    if (workload.kind === 'actual') {
      return ({ res }) => {
        res.setHeader(h.allowOrigin, '*');
        res.setHeader(h.exposeHeaders, EXPOSE_VALUE);
      };
    }
    return ({ res }) => {
      res.setHeader(h.allowOrigin, '*');
      allowPreflight(res);
    };
  }
  if (workload.kind === 'actual') {
    return ({ req, res }) => {
      res.setHeader(h.vary, 'Origin');
      const origin = req.headers.origin;
      if (origin !== undefined && origins.has(origin)) {
        res.setHeader(h.allowOrigin, origin);
        res.setHeader(h.allowCredentials, 'true');
        res.setHeader(h.exposeHeaders, EXPOSE_VALUE);
      }
    };
  }
  return ({ req, res }) => {
    res.setHeader(h.vary, 'Origin');
    const origin = req.headers.origin;
    if (origin !== undefined && origins.has(origin)) {
      res.setHeader(h.allowOrigin, origin);
      res.setHeader(h.allowCredentials, 'true');
      allowPreflight(res);
    } else {
      refuse(res);
    }
  };
}

function refuse(res: ServerResponse): void {
  res.statusCode = 403;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.setHeader('content-length', REFUSED_LENGTH);
  res.end(REFUSED_BODY);
}

function floorLibrary(id: string, role: Library['role'], label: string, names: HeaderNames): Library {
  return {
    id,
    role,
    label,
    cases(workload) {
      // Refusing garbage is the library's job; the floor has nothing to say about it.
      if (workload.adversarial) return undefined;
      return nodeCase(workload, floorMiddleware(workload, names)) as Case<unknown>;
    },
  };
}

/** The floor, with lower-case names: what corsguard is held to (bench/targets.json). */
const floor = floorLibrary('floor', 'baseline', 'hand-written floor', LOWER_CASE);
/** The same floor writing `Access-Control-Allow-Origin`-style names: what the names' case costs on node:http. */
const floorCapitalised = floorLibrary('floor-capitalised', 'other', 'floor, `Access-Control-…` names', CAPITALISED);

export const nodeGroup: Group = {
  id: 'node',
  title: 'node:http (`IncomingMessage` / `ServerResponse`)',
  measures:
    'One `middleware(req, res, next)` call on a fresh `IncomingMessage`/`ServerResponse` pair, as connect and Express ' +
    'call it. A preflight includes `res.end()` (header serialisation into the unsent response), which every row pays. ' +
    '`cors` is configured with an array of strings and RegExps; the floor writes the same headers as corsguard, with ' +
    'lower-case names, after one `Set` lookup; the capitalised floor is the same code writing `Access-Control-Allow-Origin`-style names.',
  libraries: [floor, corsguard, corsPackage, floorCapitalised, corsguardOneOrigin],
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
    title: "Express 5 (`req` / `res` with Express's prototypes)",
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
