import type { CorsProblemCode, CorsWarningCode } from './codes.js';

/** One thing wrong with a configuration: which option, which value, why, and the fix. */
export interface CorsConfigProblem {
  /**
   * Stable identifier, for programs (e.g. `wildcard-origin-with-credentials`); each is listed with its
   * meaning in docs/codes.md. A warning's code when `strict: true` turned the warning into a problem.
   */
  readonly code: CorsProblemCode | CorsWarningCode;
  readonly option: string;
  readonly value: string;
  readonly reason: string;
  readonly fix: string;
}

/** Marks a CorsConfigError of any copy of corsguard in the process (see `Symbol.hasInstance` below). */
const configErrorBrand = Symbol.for('corsguard.CorsConfigError');

/** Thrown at construction when options cannot work; lists every problem at once. */
export class CorsConfigError extends Error {
  /**
   * `instanceof CorsConfigError` is true for an error thrown by any copy of corsguard: a process that
   * both `import`s and `require`s corsguard loads its ES module and its CommonJS build, two classes of
   * the same name (the dual-package hazard), and the error one throws must still pass the other's check.
   */
  static override [Symbol.hasInstance](value: unknown): value is CorsConfigError {
    if (this !== CorsConfigError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && configErrorBrand in value;
  }

  readonly problems: readonly CorsConfigProblem[];

  constructor(problems: readonly CorsConfigProblem[]) {
    const lines = problems.map((p, i) => `  ${i + 1}. ${p.option}: ${p.value} ${p.reason}.\n     Fix: ${p.fix}.`);
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`corsguard: invalid CORS configuration (${count}):\n${lines.join('\n')}`);
    this.name = 'CorsConfigError';
    this.problems = Object.freeze(problems.map((p) => Object.freeze({ ...p })));
  }
}
Object.defineProperty(CorsConfigError.prototype, configErrorBrand, { value: true });

/** Renders a configured value for a message: strings quoted, the rest as JSON. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value instanceof RegExp) return String(value);
  if (typeof value === 'function') return 'a function';
  if (value === undefined) return 'undefined';
  // Element by element, so that a RegExp or an unset entry does not print as {} or null.
  if (Array.isArray(value)) return `[${value.map((item: unknown) => describeValue(item)).join(', ')}]`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
