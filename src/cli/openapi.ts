/**
 * Reading an OpenAPI 3.0/3.1 document into the requests a frontend makes: for each operation, its
 * method, a URL (server URL joined with the path, path parameters filled with sample values,
 * required query parameters added), the headers the page sets (the request body's Content-Type,
 * required header parameters, what the security schemes need), and whether it sends credentials
 * (cookie parameters, apiKey in a cookie). The document is untrusted input: it is only read, every
 * `$ref` is resolved within it (local pointers, bounded depth), and nothing in it is run.
 *
 * YAML needs the `yaml` package, loaded only for a .yaml/.yml file: corsguard has no runtime
 * dependency, so a user who scans a YAML document installs it (`npm install yaml`).
 */
import { readFile } from 'node:fs/promises';

/** The document could not be read or used; one sentence, exit status 2. */
export class OpenApiError extends Error {
  override readonly name = 'OpenApiError';
}

function fail(message: string): never {
  throw new OpenApiError(message);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** One operation, as the request a page's fetch() makes for it. */
export interface OpenApiOperation {
  /** `GET /items/{id}`, as the document writes the path. */
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly operationId: string | undefined;
  /** The URL with sample path parameters and required query parameters. */
  readonly url: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string | undefined;
  readonly credentials: boolean;
  /** Why each header or the credentials are there, for the report. */
  readonly because: readonly string[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Loads a JSON or YAML document from `file`. */
export async function loadOpenApi(file: string): Promise<JsonObject> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    fail(code === 'ENOENT' ? `--openapi ${file}: no such file` : `--openapi ${file} cannot be read (${code ?? (error as Error).message})`);
  }
  const yaml = /\.ya?ml$/i.test(file);
  let document: unknown;
  if (yaml) {
    let parse: (text: string) => unknown;
    try {
      ({ parse } = (await import('yaml')) as { parse: (text: string) => unknown });
    } catch {
      fail(`--openapi ${file} is YAML, which needs the 'yaml' package: npm install yaml (or convert the document to JSON)`);
    }
    try {
      document = parse(text);
    } catch (error) {
      fail(`--openapi ${file} is not valid YAML: ${firstLine((error as Error).message)}`);
    }
  } else {
    try {
      document = JSON.parse(text);
    } catch (error) {
      fail(
        `--openapi ${file} is not valid JSON: ${(error as Error).message}${/\.json$/i.test(file) ? '' : ' (a YAML document needs a .yaml or .yml name)'}`,
      );
    }
  }
  if (!isObject(document as Json)) fail(`--openapi ${file} is not an OpenAPI document (not an object)`);
  const version = (document as JsonObject)['openapi'];
  if (typeof version !== 'string' || !/^3\.[01]\./.test(version)) {
    const swagger = (document as JsonObject)['swagger'];
    fail(
      `--openapi ${file}: ${typeof swagger === 'string' ? `Swagger ${swagger}` : `openapi: ${JSON.stringify(version ?? null)}`} is not OpenAPI 3.0 or 3.1` +
        (typeof swagger === 'string' ? '; convert it to OpenAPI 3 first (e.g. with swagger2openapi)' : ''),
    );
  }
  return document as JsonObject;
}

function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return end === -1 ? text : text.slice(0, end);
}

/** Follows local `$ref`s (`#/components/...`), at most 32 in a chain. */
function resolve(document: JsonObject, value: Json | undefined): Json | undefined {
  let current = value;
  for (let depth = 0; isObject(current) && typeof current['$ref'] === 'string'; depth++) {
    if (depth === 32) fail(`a $ref chain in the document is over 32 long (a cycle?)`);
    const ref = current['$ref'];
    if (!ref.startsWith('#/')) fail(`$ref '${ref}' points outside the document; only local references (#/...) are followed`);
    let target: Json | undefined = document;
    for (const raw of ref.slice(2).split('/')) {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      target = isObject(target) && Object.hasOwn(target, key) ? target[key] : Array.isArray(target) ? target[Number(key)] : undefined;
      if (target === undefined) fail(`$ref '${ref}' points to nothing in the document`);
    }
    current = target;
  }
  return current;
}

/** A value for a parameter: its example, default or first enum value, else one of its type. */
function sample(document: JsonObject, parameter: JsonObject): string {
  if (parameter['example'] !== undefined && typeof parameter['example'] !== 'object') return String(parameter['example']);
  const schema = resolve(document, parameter['schema']);
  if (isObject(schema)) {
    for (const key of ['example', 'default'] as const) {
      if (schema[key] !== undefined && schema[key] !== null && typeof schema[key] !== 'object') return String(schema[key]);
    }
    const examples = schema['examples'];
    if (Array.isArray(examples) && examples.length > 0 && typeof examples[0] !== 'object') return String(examples[0]);
    const enumeration = schema['enum'];
    if (Array.isArray(enumeration) && enumeration.length > 0 && typeof enumeration[0] !== 'object') return String(enumeration[0]);
    const type = Array.isArray(schema['type']) ? schema['type'].find((t) => t !== 'null') : schema['type'];
    if (type === 'integer' || type === 'number') return '1';
    if (type === 'boolean') return 'true';
    if (schema['format'] === 'uuid') return '00000000-0000-4000-8000-000000000001';
  }
  return 'sample';
}

/** A request body a page would send with this media type. */
function sampleBody(mediaType: string): string {
  const essence = mediaType.toLowerCase();
  if (essence.includes('json')) return '{}';
  if (essence === 'application/x-www-form-urlencoded') return 'sample=1';
  return 'sample';
}

/** The server URL: --base-url, else the first of the operation's, the path's or the document's servers. */
function serverUrl(document: JsonObject, levels: readonly (Json | undefined)[], baseUrl: string | undefined, name: string): string {
  if (baseUrl !== undefined) return baseUrl;
  for (const servers of levels) {
    if (!Array.isArray(servers) || servers.length === 0) continue;
    const server = resolve(document, servers[0]);
    if (!isObject(server) || typeof server['url'] !== 'string') continue;
    // Server variables take their default values.
    const variables = isObject(server['variables']) ? server['variables'] : {};
    const url = server['url'].replace(/\{([^}]*)\}/g, (whole, variable: string) => {
      const spec = variables[variable];
      return isObject(spec) && typeof spec['default'] === 'string' ? spec['default'] : whole;
    });
    if (!/^https?:\/\//i.test(url)) {
      fail(`${name}: the server URL '${url}' is not an absolute http(s) URL; pass the API's address with --base-url`);
    }
    return url;
  }
  fail(`${name}: the document has no servers; pass the API's address with --base-url`);
}

function joinUrl(base: string, path: string): string {
  return `${base.endsWith('/') ? base.slice(0, -1) : base}${path}`;
}

interface Security {
  readonly headers: [string, string][];
  readonly query: [string, string][];
  credentials: boolean;
  readonly because: string[];
}

/** What the first alternative of the operation's security requirements makes a page send. */
function securityOf(document: JsonObject, requirements: Json | undefined): Security {
  const security: Security = { headers: [], query: [], credentials: false, because: [] };
  if (!Array.isArray(requirements) || requirements.length === 0) return security;
  // Requirements are alternatives; a frontend uses one: the first.
  const first = requirements[0];
  if (!isObject(first)) return security;
  const components = isObject(document['components']) ? document['components'] : {};
  const schemes = isObject(components['securitySchemes']) ? components['securitySchemes'] : {};
  for (const name of Object.keys(first)) {
    const scheme = resolve(document, schemes[name]);
    if (!isObject(scheme)) fail(`security scheme '${name}' is used but not defined in components.securitySchemes`);
    const type = scheme['type'];
    if (type === 'apiKey') {
      const where = scheme['in'];
      const keyName = typeof scheme['name'] === 'string' ? scheme['name'] : 'api_key';
      if (where === 'header') {
        security.headers.push([keyName, 'sample-key']);
        security.because.push(`${keyName}: security scheme '${name}' (apiKey in header)`);
      } else if (where === 'query') {
        security.query.push([keyName, 'sample-key']);
      } else if (where === 'cookie') {
        security.credentials = true;
        security.because.push(`credentials: security scheme '${name}' (apiKey in cookie ${keyName})`);
      }
    } else if (type === 'http') {
      const httpScheme = typeof scheme['scheme'] === 'string' ? scheme['scheme'].toLowerCase() : 'bearer';
      const value =
        httpScheme === 'basic'
          ? `Basic ${Buffer.from('user:password').toString('base64')}`
          : httpScheme === 'bearer'
            ? 'Bearer sample-token'
            : `${httpScheme} sample`;
      security.headers.push(['Authorization', value]);
      security.because.push(`Authorization: security scheme '${name}' (http ${httpScheme})`);
    } else if (type === 'oauth2' || type === 'openIdConnect') {
      security.headers.push(['Authorization', 'Bearer sample-token']);
      security.because.push(`Authorization: security scheme '${name}' (${type})`);
    } else {
      security.because.push(`security scheme '${name}' (${String(type)}) adds nothing a page sets`);
    }
  }
  return security;
}

export interface OperationOptions {
  /** Overrides the document's servers. */
  readonly baseUrl?: string | undefined;
}

export interface Operations {
  readonly operations: OpenApiOperation[];
  /** Operations left out, each with why. */
  readonly skipped: string[];
}

/** Every operation of the document, in the document's order, as the request a frontend makes. */
export function operationsOf(document: JsonObject, options: OperationOptions = {}): Operations {
  const paths = document['paths'];
  if (!isObject(paths)) fail('the document has no paths');
  const operations: OpenApiOperation[] = [];
  const skipped: string[] = [];
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = resolve(document, rawItem);
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const upper = method.toUpperCase();
      const name = `${upper} ${path}`;
      if (method === 'trace') {
        skipped.push(`${name}: fetch() cannot send TRACE (a forbidden method)`);
        continue;
      }
      const because: string[] = [];
      const headers: [string, string][] = [];
      let credentials = false;
      const query: [string, string][] = [];
      let url = path;
      // Path-level parameters apply unless the operation redefines the same name and location.
      const parameters = new Map<string, JsonObject>();
      for (const list of [item['parameters'], operation['parameters']]) {
        if (!Array.isArray(list)) continue;
        for (const raw of list) {
          const parameter = resolve(document, raw);
          if (isObject(parameter) && typeof parameter['name'] === 'string')
            parameters.set(`${String(parameter['in'])}:${parameter['name']}`, parameter);
        }
      }
      for (const parameter of parameters.values()) {
        const pname = parameter['name'] as string;
        const where = parameter['in'];
        const value = sample(document, parameter);
        if (where === 'path') url = url.split(`{${pname}}`).join(encodeURIComponent(value));
        else if (where === 'query' && parameter['required'] === true) query.push([pname, value]);
        else if (where === 'header' && parameter['required'] === true) {
          headers.push([pname, value]);
          because.push(`${pname}: a required header parameter`);
        } else if (where === 'cookie') {
          credentials = true;
          because.push(`credentials: cookie parameter ${pname}`);
        }
      }
      let body: string | undefined;
      const requestBody = resolve(document, operation['requestBody']);
      if (isObject(requestBody) && isObject(requestBody['content']) && upper !== 'GET' && upper !== 'HEAD') {
        const mediaType = Object.keys(requestBody['content'])[0];
        if (mediaType !== undefined) {
          const contentType = mediaType === 'multipart/form-data' ? 'multipart/form-data; boundary=corsguard' : mediaType;
          headers.push(['Content-Type', contentType]);
          because.push(`Content-Type: the request body is ${mediaType}`);
          body = sampleBody(mediaType);
        }
      }
      const security = securityOf(document, operation['security'] ?? document['security']);
      headers.push(...security.headers);
      query.push(...security.query);
      because.push(...security.because);
      credentials ||= security.credentials;
      const base = serverUrl(document, [operation['servers'], item['servers'], document['servers']], options.baseUrl, name);
      const search = query.length === 0 ? '' : `?${new URLSearchParams(query).toString()}`;
      operations.push({
        name,
        method: upper,
        path,
        operationId: typeof operation['operationId'] === 'string' ? operation['operationId'] : undefined,
        url: joinUrl(base, url) + search,
        headers,
        body,
        credentials,
        because,
      });
    }
  }
  if (operations.length === 0) fail('the document has no operations under paths');
  return { operations, skipped };
}
