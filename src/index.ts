/**
 * corsguard: the CORS policy. Adapters live in `corsguard/node`, `corsguard/fetch` and the
 * framework entry points; this module is runtime-agnostic and has no I/O.
 */
export { CorsPolicy, mergeVary } from './core/policy.js';
export type { ActualAnswer, CorsAnswer, HeaderWriter, PreflightAnswer } from './core/policy.js';
export { CorsRequest, readFetchRequest, readNodeRequest, readRequest } from './core/request.js';
export type { FetchRequestLike, HeaderGetter, NodeRequestLike } from './core/request.js';
export { CorsConfigError } from './core/errors.js';
export { corsOptionsFromEnv } from './core/env.js';
export type { CorsEnvOptions } from './core/env.js';
export type { CorsConfigProblem } from './core/errors.js';
export type { CorsProblemCode, CorsWarningCode } from './core/codes.js';
export type { CorsRiskCode, CorsRiskOptIn } from './core/risks.js';
export type {
  CorsDecision,
  CorsErrorContext,
  CorsOptionFields,
  CorsOptions,
  CorsReportOnly,
  CorsVerdict,
  CorsVerdictChange,
  CorsWarning,
  OriginPredicate,
} from './core/options.js';
