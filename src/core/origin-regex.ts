/**
 * Construction-time checks of an `allowOriginRegex` source for the mistakes that silently
 * allow too much (a dot left unescaped between host labels), allow nothing (a `cors`-style
 * suffix test that can never match a whole origin) or cost seconds per request (a repeated
 * group whose inside can match the same text in several ways). The source is read by a
 * small tokenizer of JavaScript's regex syntax: groups, classes, escapes and quantifiers.
 */
import type { CorsProblemCode } from './codes.js';

/** One atom of a regex with its quantifier: a character, escape, class, `.`, anchor or group. */
interface Atom {
  readonly kind: 'char' | 'escape' | 'class' | 'dot' | 'anchor' | 'group';
  /** The atom's source without its quantifier. */
  readonly source: string;
  /** Where the atom starts in the whole source. */
  readonly start: number;
  readonly min: number;
  readonly max: number;
  /** The quantifier as written ('' for none). */
  readonly quantifier: string;
  /** For a group, what is inside it. */
  readonly body?: Sequence;
}

interface Sequence {
  readonly atoms: readonly Atom[];
  /** Whether the sequence has a top-level `|`. */
  readonly alternation: boolean;
  /** Where each of its `|`-separated branches starts in `atoms` (`[0]` without a `|`). */
  readonly branchStarts: readonly number[];
  readonly end: number;
}

function readQuantifier(source: string, i: number): { min: number; max: number; end: number } {
  const c = source[i];
  let result: { min: number; max: number; end: number } | undefined;
  if (c === '*') result = { min: 0, max: Infinity, end: i + 1 };
  else if (c === '+') result = { min: 1, max: Infinity, end: i + 1 };
  else if (c === '?') result = { min: 0, max: 1, end: i + 1 };
  else if (c === '{') {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
    if (match !== null) {
      const min = Number(match[1]);
      const max = match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3]);
      result = { min, max, end: i + match[0].length };
    }
  }
  if (result === undefined) return { min: 1, max: 1, end: i };
  if (source[result.end] === '?') result.end++; // lazy: the same cost on failure
  return result;
}

/** Where an escape starting at `i` (the backslash) ends. */
function escapeEnd(source: string, i: number): number {
  const c = source[i + 1];
  if ((c === 'u' || c === 'p' || c === 'P') && source[i + 2] === '{') return source.indexOf('}', i) + 1 || source.length;
  if (c === 'k' && source[i + 2] === '<') return source.indexOf('>', i) + 1 || source.length;
  if (c === 'u') return i + 6;
  if (c === 'x') return i + 4;
  if (c === 'c') return i + 3;
  return i + 2;
}

function parseSequence(source: string, start: number): Sequence {
  const atoms: Atom[] = [];
  let alternation = false;
  const branchStarts = [0];
  let i = start;
  while (i < source.length) {
    const c = source[i];
    if (c === ')') break;
    if (c === '|') {
      alternation = true;
      branchStarts.push(atoms.length);
      i++;
      continue;
    }
    const atomStart = i;
    let kind: Atom['kind'];
    let body: Sequence | undefined;
    if (c === '(') {
      let inner = i + 1;
      if (source.startsWith('?:', inner) || source.startsWith('?=', inner) || source.startsWith('?!', inner)) inner += 2;
      else if (source.startsWith('?<=', inner) || source.startsWith('?<!', inner)) inner += 3;
      else if (source.startsWith('?<', inner)) inner = source.indexOf('>', inner) + 1;
      body = parseSequence(source, inner);
      kind = 'group';
      i = body.end + 1;
    } else if (c === '[') {
      // No special case for a `]` right after `[`: in JavaScript `[]` is an empty class (it never
      // matches), not a class holding `]` as in POSIX.
      let j = i + 1;
      while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      kind = 'class';
      i = j + 1;
    } else if (c === '\\') {
      kind = 'escape';
      i = escapeEnd(source, i);
    } else {
      kind = c === '.' ? 'dot' : c === '^' || c === '$' ? 'anchor' : 'char';
      i++;
    }
    const atomSource = source.slice(atomStart, i);
    const q = readQuantifier(source, i);
    const quantifier = source.slice(i, q.end);
    i = q.end;
    atoms.push({ kind, source: atomSource, start: atomStart, min: q.min, max: q.max, quantifier, ...(body === undefined ? {} : { body }) });
  }
  return { atoms, alternation, branchStarts, end: i };
}

/** Whether an atom (quantifier aside) can match the single character `char`. */
function canMatch(atom: Atom, char: string, flags: string): boolean {
  if (atom.kind === 'anchor') return false;
  try {
    return new RegExp(`^(?:${atom.source})$`, flags).test(char);
  } catch {
    return true; // a back-reference or the like: assume it can
  }
}

function repeats(atom: Atom): boolean {
  return atom.max > 1 || (atom.body !== undefined && atom.body.atoms.some(repeats));
}

/**
 * Whether a repeated group's inside can match one text in several ways: it holds a
 * repetition, and no character it must match is one that the repetitions inside cannot
 * (`[a-z0-9-]+\.` is safe, the dot separates; `[a-z0-9]+-?` is not, the dash is optional).
 */
function ambiguous(body: Sequence, flags: string): boolean {
  if (!body.atoms.some(repeats)) return false;
  if (body.alternation) return true;
  const repeated = body.atoms.filter(repeats);
  for (const atom of body.atoms) {
    if (atom.min < 1 || (atom.kind !== 'char' && atom.kind !== 'escape') || repeats(atom)) continue;
    const char = atom.kind === 'char' ? atom.source : atom.source.slice(1);
    if (char.length !== 1 || (/[a-zA-Z0-9]/.test(char) && atom.kind === 'escape')) continue;
    if (!repeated.some((r) => canMatch(r, char, flags))) return false;
  }
  return true;
}

/** Every atom of a sequence, groups' insides included. */
function* allAtoms(sequence: Sequence): Generator<Atom> {
  for (const atom of sequence.atoms) {
    yield atom;
    if (atom.body !== undefined) yield* allAtoms(atom.body);
  }
}

export interface OriginRegexProblem {
  readonly code: CorsProblemCode;
  readonly reason: string;
  readonly fix: string;
}

/** The problems of an `allowOriginRegex` source that compiles on its own; none when it is sound. */
export function checkOriginRegex(source: string, flags: string): OriginRegexProblem[] {
  const problems: OriginRegexProblem[] = [];
  const testFlags = flags.replace(/[gy]/g, '');
  const top = parseSequence(source, 0);

  // A dot between host labels (`app.example.com`, `app.(example|test)\.com`, `\w.example\.com`) matches
  // any character: app-example.com too. Labels are made of letters, digits and `-` (not first); a class or
  // group next to the dot is taken as part of a label.
  const canEndLabel = (atom: Atom): boolean =>
    atom.kind === 'class' ||
    atom.kind === 'group' ||
    ((atom.kind === 'char' || atom.kind === 'escape') && /[a-zA-Z0-9-]/.test(atom.source));
  const canStartLabel = (atom: Atom): boolean =>
    atom.kind === 'class' || atom.kind === 'group' || ((atom.kind === 'char' || atom.kind === 'escape') && /[a-zA-Z0-9]/.test(atom.source));
  const dots: number[] = [];
  const findDots = (sequence: Sequence): void => {
    sequence.atoms.forEach((atom, index) => {
      if (atom.body !== undefined) findDots(atom.body);
      const before = sequence.atoms[index - 1];
      const after = sequence.atoms[index + 1];
      if (
        atom.kind === 'dot' &&
        atom.quantifier === '' &&
        before !== undefined &&
        after !== undefined &&
        canEndLabel(before) &&
        canStartLabel(after)
      ) {
        dots.push(atom.start);
      }
    });
  };
  findDots(top);
  if (dots.length > 0) {
    let escaped = source;
    for (const at of [...dots].reverse()) escaped = `${escaped.slice(0, at)}\\${escaped.slice(at)}`;
    problems.push({
      code: 'unescaped-dot-in-origin-regex',
      reason:
        'has a dot between host labels that is not escaped: in a regex . matches any character, so ' +
        'another host (app-example.com for app.example.com) matches too, and anyone can register it',
      fix: `escape every dot that means a dot: ${JSON.stringify(escaped)} as a string, /${escaped.replaceAll('/', '\\/')}/ as a RegExp`,
    });
  }

  // The whole origin must match: a source that cannot match '/' (no scheme://) or whose first
  // character cannot start a scheme matches no origin at all (the `cors` idiom /\.example\.com$/).
  const leaves = [...allAtoms(top)].filter((atom) => atom.body === undefined);
  const first = top.atoms.find((atom) => atom.kind !== 'anchor');
  const matchesNull = new RegExp(`^(?:${source})$`, testFlags).test('null');
  const noSlash = !leaves.some((atom) => canMatch(atom, '/', testFlags));
  const noSchemeStart =
    !top.alternation &&
    first !== undefined &&
    first.min >= 1 &&
    ![...'abcdefghijklmnopqrstuvwxyz'].some((letter) => canMatch(first, letter, testFlags));
  if (!matchesNull && (noSlash || noSchemeStart)) {
    const core = source.replace(/^\^/, '').replace(/\$$/, '');
    const suggestion = core.startsWith('\\.') ? `https://[a-z0-9-]+${core}` : `https://${core}`;
    problems.push({
      code: 'origin-regex-never-matches',
      reason:
        'can never match a whole origin (scheme://host[:port]), and corsguard matches it against the whole ' +
        'serialized origin of the request: it would deny every origin. A suffix test such as /\\.example\\.com$/ from the cors ' +
        'package needs the scheme and host written out',
      fix: `write the whole origin, as in ${JSON.stringify(suggestion)}`,
    });
  }

  // Nested repetition that can split a text several ways backtracks exponentially on a near miss.
  for (const atom of allAtoms(top)) {
    if (atom.kind === 'group' && atom.max > 1 && atom.body !== undefined && ambiguous(atom.body, testFlags)) {
      problems.push({
        code: 'slow-origin-regex',
        reason:
          `repeats ${atom.source}${atom.quantifier}, a group whose inside can match the same text in several ways: ` +
          'on an origin that almost matches, the regex tries every way (exponential time), so one request can ' +
          'hold the server for seconds',
        fix:
          'make each repetition match one way, with a character the inside cannot match between them, as in ' +
          '[a-z0-9]+(-[a-z0-9]+)* instead of ([a-z0-9]+-?)+, or ([a-z0-9-]+\\.)* for any number of subdomains',
      });
      break;
    }
  }
  return problems;
}

/** At most this many tails per expression, and repetitions of one atom, are read: enough for any host. */
const MAX_TAILS = 32;
const MAX_REPEAT = 253;

/** The text a one-character escape stands for (`\.`, `\x65`, `\u0065`); '' for `\b` and `\B`, which match no character. */
function escapedText(source: string): string | undefined {
  const c = source[1]!;
  if (source.length === 2) {
    if (c === 'b' || c === 'B') return '';
    return /[a-zA-Z0-9]/.test(c) ? undefined : c;
  }
  // `\u{…}` is a code point only with the u flag (without it, `u` repeated): not read.
  const hex = c === 'x' || c === 'u' ? source.slice(2) : '';
  return /^[0-9a-fA-F]+$/.test(hex) ? String.fromCharCode(Number.parseInt(hex, 16)) : undefined;
}

/** The one character a class such as `[e]`, `[.]` or `[eE]` matches (lower-case), or undefined for any other class. */
function classText(source: string): string | undefined {
  if (source.startsWith('[^')) return undefined;
  const chars = new Set<string>();
  let i = 1;
  while (i < source.length - 1) {
    if (source[i] === '\\') {
      const end = escapeEnd(source, i);
      const text = escapedText(source.slice(i, end));
      if (text === undefined || text === '') return undefined;
      chars.add(text.toLowerCase());
      i = end;
    } else {
      // A range (`a-z`) counts its two ends and its `-`: more than one character, as it should.
      chars.add(source[i]!.toLowerCase());
      i++;
    }
  }
  return chars.size === 1 ? [...chars][0] : undefined;
}

/** One text an expression's end can match, read right to left; `complete` when it reaches the start of its branch. */
interface Tail {
  readonly text: string;
  readonly complete: boolean;
}

/** The texts an atom can match once (quantifier aside), each as a Tail; undefined when it matches no one text. */
function atomTails(atom: Atom, atEnd: boolean): readonly Tail[] | undefined {
  if (atom.kind !== 'group') {
    const text = fixedText(atom);
    return text === undefined ? undefined : [{ text, complete: true }];
  }
  // A lookaround matches no character.
  if (/^\(\?(=|!|<=|<!)/.test(atom.source)) return [{ text: '', complete: true }];
  return sequenceTails(atom.body!, atEnd);
}

/** The one text a character, escape or class atom matches (quantifier aside), or undefined. */
function fixedText(atom: Atom): string | undefined {
  switch (atom.kind) {
    case 'char':
      return atom.source;
    case 'escape':
      return escapedText(atom.source);
    case 'class':
      return classText(atom.source);
    default:
      return undefined;
  }
}

/**
 * The tails of one branch: each atom matched the fewest times it can, read from the end until an atom
 * that has no one text. `atEnd`: nothing follows the branch in the expression, so what it ends with
 * optionally (a port, `/?`) is left out whatever it is.
 */
function branchTails(atoms: readonly Atom[], atEnd: boolean): Tail[] {
  let open = [''];
  const done: string[] = [];
  // Whether the texts still open reach the start of the branch (or a `^`): a group's text then goes on with what precedes it.
  let complete = true;
  for (let i = atoms.length - 1; i >= 0 && open.length > 0; i--) {
    const atom = atoms[i]!;
    if (atom.kind === 'anchor') {
      if (atom.source === '^') break;
      continue;
    }
    const options = atom.min > MAX_REPEAT ? undefined : atomTails(atom, atEnd && open[0] === '');
    // Matched zero times, an optional end (a port, `/?`) is left out, and so is an optional text inside
    // the tail (`(www\.)?`); an optional wildcard there (`.*`) is where the fixed text stops.
    if (atom.min === 0 && ((atEnd && open[0] === '') || options?.every((option) => option.complete))) continue;
    if (atom.min === 0 || options === undefined) {
      complete = false;
      break;
    }
    const next: string[] = [];
    for (const option of options) {
      for (const text of open) {
        if (option.complete) next.push(option.text.repeat(atom.min) + text);
        else done.push(option.text + text);
      }
    }
    open = next.slice(0, MAX_TAILS);
  }
  return [...done.map((text) => ({ text, complete: false })), ...open.map((text) => ({ text, complete }))].slice(0, MAX_TAILS);
}

function sequenceTails(sequence: Sequence, atEnd: boolean): Tail[] {
  const { atoms, branchStarts } = sequence;
  return branchStarts.flatMap((from, k) => branchTails(atoms.slice(from, branchStarts[k + 1] ?? atoms.length), atEnd)).slice(0, MAX_TAILS);
}

/**
 * The texts an `allowOriginRegex` source can end with, one per way its end can go (each `|` branch,
 * each branch of a group in the tail): `.github.io` for `^https://[a-z0-9-]+\.github\.io(:[0-9]+)?$`,
 * `example.com` for `^https://.*(example)[.]com$`. Each atom counts the fewest times it can match
 * (none for an optional one), escapes and one-character classes as their character, lookarounds
 * and `\b` as nothing; reading stops at an atom with no one text (`.*`, `[a-z]+`). Used only to
 * choose hosts to probe the expression with, so a wrong guess costs a missed probe, never a refusal.
 */
export function literalTails(source: string): string[] {
  return [...new Set(sequenceTails(parseSequence(source, 0), true).map((tail) => tail.text))];
}

/**
 * The texts an `allowOriginRegex` source starts with, one per `|` branch: `https://example.com` for
 * `^https://example\.com.*$`. Characters, escapes and one-character classes are read left to right,
 * each the fewest times it must match, up to the first atom that is anything else (a group, `.*`, a
 * class of several characters). Used only to probe the expression with an origin that goes on past
 * that text (`https://example.com.attacker.com`), so a wrong guess costs a missed probe, never a refusal.
 */
export function literalHeads(source: string): string[] {
  const { atoms, branchStarts } = parseSequence(source, 0);
  return branchStarts.map((from, k) => {
    let head = '';
    for (const atom of atoms.slice(from, branchStarts[k + 1] ?? atoms.length)) {
      if (atom.kind === 'anchor' && atom.source === '^' && head === '') continue;
      const text = atom.min > MAX_REPEAT ? undefined : fixedText(atom);
      if (text === undefined || atom.min === 0) break;
      head += text.repeat(atom.min);
    }
    return head;
  });
}
