/**
 * The Public Suffix List (ICANN and private sections): hosts under which anyone can register
 * or get a subdomain. A subdomain pattern on one of these trusts strangers. The list is
 * compiled into the library (src/core/public-suffix-list.generated.ts, generated from the
 * pinned data/public_suffix_list.dat), so corsguard keeps zero runtime dependencies.
 */
import { PUBLIC_SUFFIX_TRIE } from './public-suffix-list.generated.js';

/** A node of the serialized trie: whether it is a rule, and where its children are written. */
interface TrieNode {
  readonly rule: boolean;
  readonly label: string;
  /** The children are written in PUBLIC_SUFFIX_TRIE from `from` (inclusive) to `to` (exclusive). */
  readonly from: number;
  readonly to: number;
}

const ROOT: TrieNode = { rule: false, label: '', from: 0, to: PUBLIC_SUFFIX_TRIE.length };

/**
 * The children of a node, read straight from the serialized trie: only the nodes on the path
 * of a looked-up host are ever read, not the whole list.
 */
function* childrenOf(parent: TrieNode): Generator<TrieNode> {
  const text = PUBLIC_SUFFIX_TRIE;
  let i = parent.from;
  while (i < parent.to) {
    let j = i;
    for (; j < parent.to; j++) {
      const c = text.charCodeAt(j);
      if (c === 0x28 /* ( */ || c === 0x2c /* , */) break;
    }
    const rule = text.charCodeAt(i) !== 0x7e; // '~' marks a node that is only a path
    const label = text.slice(rule ? i : i + 1, j);
    let from = j;
    let to = j;
    if (text.charCodeAt(j) === 0x28) {
      from = j + 1;
      // Jump from parenthesis to parenthesis (indexOf is native; most characters are labels).
      let depth = 1;
      to = from;
      let open = text.indexOf('(', to);
      while (depth > 0) {
        if (open !== -1 && open < to) open = text.indexOf('(', to);
        const close = text.indexOf(')', to);
        if (open !== -1 && open < close) {
          depth++;
          to = open + 1;
        } else {
          depth--;
          to = close + 1;
        }
      }
      to--; // the closing parenthesis
      j = to + 1;
    }
    yield { rule, label, from, to };
    i = j + 1; // past the comma
  }
}

/** The children of each node visited so far, by label: each part of the trie is read once. */
const childrenByNode = new Map<number, Map<string, TrieNode>>();

function childOf(parent: TrieNode, label: string): TrieNode | undefined {
  let children = childrenByNode.get(parent.from);
  if (children === undefined) {
    children = new Map();
    for (const child of childrenOf(parent)) children.set(child.label, child);
    childrenByNode.set(parent.from, children);
  }
  return children.get(label);
}

/** What the list says about the subdomains of a host, for a `*.host` pattern. */
export type SuffixVerdict =
  | { readonly kind: 'public-suffix' }
  /** The host is owned by one party, but hands out public suffixes below it (`example` is one). */
  | { readonly kind: 'hosts-public-suffixes'; readonly example: string }
  | { readonly kind: 'private' };

/** The first public suffix below `node`, written under `host` (a wildcard as `<name>`). */
function exampleBelow(node: TrieNode, host: string): string {
  let name = host;
  for (let current: TrieNode | undefined = node; current !== undefined; ) {
    let next: TrieNode | undefined;
    for (const child of childrenOf(current)) {
      if (!child.label.startsWith('!')) {
        next = child;
        break;
      }
    }
    if (next === undefined) break;
    name = `${next.label === '*' ? '<name>' : next.label}.${name}`;
    if (next.rule) break;
    current = next;
  }
  return name;
}

/**
 * Classifies a host (lower case, ASCII) by the Public Suffix List algorithm: a public suffix
 * (a rule matches it whole, a wildcard rule covers it, or it is a single label: the implicit
 * `*` rule), a host with public suffixes below it (`amazonaws.com` has `s3.amazonaws.com`),
 * or neither. The first lookup under a label reads that label's part of the trie once.
 */
export function classifyHost(host: string): SuffixVerdict {
  const labels = host.split('.');
  if (labels.length === 1) return { kind: 'public-suffix' };
  let parent = ROOT;
  // Walk the labels right to left; stop at the first one the trie does not have.
  let i = labels.length - 1;
  for (; i > 0; i--) {
    const next = childOf(parent, labels[i]!);
    if (next === undefined) return { kind: 'private' };
    parent = next;
  }
  const first = labels[0]!;
  const node = childOf(parent, first);
  if (node?.rule === true) return { kind: 'public-suffix' };
  if (childOf(parent, '*') !== undefined && childOf(parent, `!${first}`) === undefined) return { kind: 'public-suffix' };
  if (node !== undefined) return { kind: 'hosts-public-suffixes', example: exampleBelow(node, host) };
  return { kind: 'private' };
}
