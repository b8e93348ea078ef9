/**
 * The risks corsguard refuses unless the options accept that one risk by name (secure by default;
 * jub0bs/cors's `Dangerously…` fields are the model). Each risk is a problem code of src/core/codes.ts:
 * without its opt-in the options are refused with that code; with it they are accepted silently.
 * A module of its own because the validation reads it at run time, while codes.ts stays types-only.
 */
import type { CorsProblemCode } from './codes.js';

/** Each risk's code and the option that accepts it. */
export const CORS_RISK_OPT_INS = {
  'null-origin': 'dangerouslyAllowNullOrigin',
  'insecure-origin-with-credentials': 'dangerouslyAllowInsecureOriginsWithCredentials',
  'public-suffix-wildcard': 'dangerouslyAllowPublicSuffixWildcards',
} as const satisfies Partial<Record<CorsProblemCode, string>>;

/** A risk that one named option accepts. */
export type CorsRiskCode = keyof typeof CORS_RISK_OPT_INS;
/** The name of an option that accepts one risk. */
export type CorsRiskOptIn = (typeof CORS_RISK_OPT_INS)[CorsRiskCode];
