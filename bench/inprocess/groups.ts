import type { Group } from './library.js';

/** Group identifiers, in the order the report prints them. */
export const GROUP_IDS = ['policy', 'node', 'express', 'fastify', 'koa', 'hono'] as const;

/** Loads a group lazily, so a process only imports the framework it measures. */
export async function loadGroup(id: string): Promise<Group> {
  switch (id) {
    case 'policy':
      return (await import('./policy-group.js')).policyGroup;
    case 'node':
      return (await import('./node-group.js')).nodeGroup;
    case 'express':
      return (await import('./node-group.js')).expressGroup();
    case 'fastify':
      return (await import('./fastify-group.js')).fastifyGroup();
    case 'koa':
      return (await import('./koa-group.js')).koaGroup();
    case 'hono':
      return (await import('./hono-group.js')).honoGroup();
    default:
      throw new Error(`unknown in-process group '${id}'; known: ${GROUP_IDS.join(', ')}`);
  }
}
