/**
 * Summarises a `.cpuprofile` (from `node --cpu-prof`) as self time per function, the
 * evidence BENCHMARKS.md cites for what bounds a number.
 *
 *   node build/bench/profile-summary.js FILE.cpuprofile [top]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

export function selfTimes(profile: Profile): Array<{ name: string; share: number }> {
  const byName = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^.*\/(node_modules\/|build\/|node:)/, '$1');
    const name = `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
    byName.set(name, (byName.get(name) ?? 0) + node.hitCount);
    total += node.hitCount;
  }
  return [...byName.entries()].map(([name, hits]) => ({ name, share: hits / total })).sort((a, b) => b.share - a.share);
}

if (process.argv[1]?.endsWith('profile-summary.js')) {
  const [, , file, top = '25'] = process.argv;
  if (file === undefined) throw new Error('usage: profile-summary.js FILE.cpuprofile [top]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  for (const { name, share } of selfTimes(profile).slice(0, Number(top))) {
    process.stdout.write(`${(share * 100).toFixed(1).padStart(5)}%  ${name}\n`);
  }
}
