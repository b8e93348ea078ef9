import type { Group } from './library.js';

/** Group identifiers, in the order the report prints them. */
export const GROUP_IDS = ['node'] as const;

/** Loads a group lazily, so a process only imports the framework it measures. */
export async function loadGroup(id: string): Promise<Group> {
  switch (id) {
    case 'node':
      return (await import('./node-group.js')).nodeGroup;
    default:
      throw new Error(`unknown in-process group '${id}'; known: ${GROUP_IDS.join(', ')}`);
  }
}
