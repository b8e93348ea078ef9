// The conformance apps of the fetch and Hono adapters, built from dist/ (what users import),
// for Bun, Deno and workerd. The app code is the compiled conformance app in build/.
import { withCors } from '../../dist/fetch/index.js';
import { cors } from '../../dist/hono/index.js';
import { fetchConformanceApp } from '../../build/test/conformance/apps/fetch.js';
import { honoConformanceApp } from '../../build/test/conformance/apps/hono.js';
import { mountWeb } from '../../build/test/conformance/mount.js';

export const apps = {
  fetch: () => mountWeb(fetchConformanceApp(withCors)),
  hono: () => mountWeb(honoConformanceApp(cors)),
};
