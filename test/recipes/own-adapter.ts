// The README's "Writing your own adapter" example: corsguard for a framework-less handler that
// takes and returns plain objects. own-adapter.test.ts serves it over node:http.
import { CorsPolicy, mergeVary, readRequest, type CorsOptions, type HeaderWriter } from 'corsguard';

export interface PlainRequest {
  method: string;
  url: string;
  headers: Record<string, string | undefined>; // lower-case names
}
export interface PlainResponse {
  status: number;
  headers: Record<string, string>; // lower-case names
  body: string;
}
export type PlainHandler = (request: PlainRequest) => PlainResponse | Promise<PlainResponse>;

// How the policy writes on a PlainResponse. `get` lets it replace CORS headers the handler set.
const writer: HeaderWriter<PlainResponse> = {
  set: (res, name, value) => {
    res.headers[name.toLowerCase()] = value;
  },
  remove: (res, name) => {
    delete res.headers[name.toLowerCase()];
  },
  get: (res, name) => res.headers[name],
  appendVary: (res, tokens) => {
    const merged = mergeVary(res.headers.vary, tokens);
    if (merged !== undefined) res.headers.vary = merged;
  },
};

export function withCors(handler: PlainHandler, options: CorsOptions): PlainHandler {
  const policy = new CorsPolicy(options); // once: bad options throw a CorsConfigError here
  return async (req) => {
    // Read once; the last argument is what an origin predicate sees as request.context.
    const request = readRequest(req.method, req.url, req.headers, (headers, name) => headers[name], req);
    const answer = await policy.decide(request); // a promise only for an async predicate
    if (answer.kind === 'preflight') {
      const res: PlainResponse = { status: answer.status, headers: {}, body: answer.body };
      policy.writePreflight(res, writer, request, answer);
      return res; // the handler never sees a preflight
    }
    const returned = await handler(req);
    const res: PlainResponse = { ...returned, headers: { ...returned.headers } }; // never write on a shared object
    policy.writeActual(res, writer, request, answer);
    return res;
  };
}
