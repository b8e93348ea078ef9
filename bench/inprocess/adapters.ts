/**
 * corsguard's framework adapters, loaded by path at run time so that the benchmark builds
 * before they exist (they are written in parallel); a group without its adapter measures
 * only the other library, and the report says so.
 */
const here = new URL('.', import.meta.url);

export async function loadAdapter<T>(framework: 'express' | 'fastify' | 'koa' | 'hono'): Promise<T | undefined> {
  const specifier = new URL(`../../src/${framework}/index.js`, here).href;
  try {
    return (await import(specifier)) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}
