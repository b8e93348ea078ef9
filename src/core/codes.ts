/**
 * The stable codes of configuration problems and warnings, for programs: `CorsConfigError.problems[i].code`
 * and `onWarning(warning)`'s `warning.code`. One list with the meaning of each code; docs/codes.md is
 * generated from it (`npm run docs:codes`), and src/core/codes.test.ts proves that each code is produced
 * by some configuration and that the doc is current. A code is never renamed or reused for another
 * meaning; new ones may be added.
 *
 * Types only leave this module at runtime-free cost: the library imports it with `import type`.
 */

/**
 * Problems: the options cannot work, or take a risk the user has not opted into by name (see
 * `CORS_RISK_OPT_INS` in src/core/risks.ts); the constructor throws `CorsConfigError`.
 */
export const CORS_PROBLEM_CODES = {
  'invalid-type':
    'An option, or an entry of a list option, has the wrong type (for example a number where a string belongs, or the options factory passed uncalled).',
  'unknown-option': "An option corsguard does not have; often another library's name for one of its options, which the fix names.",
  'no-origins': 'No origin could ever be allowed: no origin option, an empty list, or the options missing altogether.',
  'unset-value': 'A list entry is `undefined` or the text `undefined`, most often a missing environment variable.',
  'comma-separated-list':
    'One string holds several entries separated by commas (the format of an environment variable or of the `cors` package); a list is needed.',
  'regex-in-allow-origins': '`allowOrigins` contains a RegExp; expressions belong in `allowOriginRegex`.',
  'invalid-origin':
    'An `allowOrigins` entry can never match an `Origin` header as browsers send it (a path or trailing slash, upper case, a default port, user information, a `file:` URL...); the reason says which.',
  'invalid-origin-wildcard':
    'An `allowOrigins` entry uses `*` somewhere other than the supported forms `*`, `scheme://*.host` and `scheme://host:*`.',
  'wildcard-origin-mixed': '`*` is listed together with other origins, which makes them meaningless.',
  'wildcard-origin-with-credentials':
    "`allowOrigins: '*'` with `allowCredentials: true`: browsers refuse `*` on credentialed requests, and reflecting any origin instead would let every site read users' data.",
  'invalid-origin-regex': '`allowOriginRegex` is not a valid JavaScript regular expression on its own.',
  'stateful-origin-regex': '`allowOriginRegex` has the `g` or `y` flag, which makes `test()` alternate between allow and deny.',
  'unescaped-dot-in-origin-regex':
    '`allowOriginRegex` has an unescaped `.` between host labels, so look-alike hosts anyone can register match too.',
  'origin-regex-never-matches': '`allowOriginRegex` can never match a whole origin (scheme://host[:port]), so it would deny every origin.',
  'slow-origin-regex':
    '`allowOriginRegex` repeats a group that can match the same text in several ways: exponential backtracking on a near miss.',
  'invalid-timeout': '`originPredicateTimeout` is not a positive number of milliseconds, or is longer than a timer can wait.',
  'invalid-method': 'An `allowMethods` entry is not a valid HTTP method name.',
  'forbidden-method': 'An `allowMethods` entry is a forbidden method (`CONNECT`, `TRACE`, `TRACK`) that browsers never let a script send.',
  'invalid-header': 'An `allowHeaders` entry is not a valid header name.',
  'forbidden-header': 'An `allowHeaders` entry is a forbidden request header, which browsers set themselves.',
  'response-header-as-request-header': 'An `allowHeaders` entry is a response header of the CORS protocol, which browsers never send.',
  'invalid-exposed-header': 'An `exposeHeaders` entry is not a valid header name.',
  'forbidden-exposed-header': 'An `exposeHeaders` entry is a header scripts can never read (`Set-Cookie`, `Set-Cookie2`).',
  'request-header-as-exposed-header': 'An `exposeHeaders` entry is a CORS request header, which never appears on a response.',
  'wildcard-expose-with-credentials':
    "`exposeHeaders: '*'` with `allowCredentials: true`: on credentialed requests browsers read `*` as a header named `*`.",
  'invalid-max-age':
    '`maxAge` is not a whole number of seconds from 0 to 86400 (browsers ignore a negative or unparsable value and cap the rest).',
  'invalid-preflight-status': '`preflightStatus` is not a 2xx status; browsers fail every preflight answered otherwise.',
  'empty-list-entry': '`corsOptionsFromEnv`: a list variable has an empty entry (two commas in a row, or a trailing comma).',
  'null-origin':
    'The origin `null` is allowed (in `allowOrigins` or matched by `allowOriginRegex`) without `dangerouslyAllowNullOrigin: true`: any sandboxed iframe or `data:` page on any site sends it.',
  'insecure-origin-with-credentials':
    'An origin that is not potentially trustworthy (plain `http`, except localhost and loopback addresses) is allowed with credentials without `dangerouslyAllowInsecureOriginsWithCredentials: true`: anyone on the network path can inject script into it and read credentialed responses.',
  'public-suffix-wildcard':
    'A subdomain pattern or `allowOriginRegex` covers a public suffix, or a domain that hands out subdomains to anyone (on the Public Suffix List), or an `allowOriginRegex` allows look-alike domains anyone can register (`[a-z]+example\\.com` allows `attackerexample.com`) or hosts that go on past the one it starts with (`example\\.com.*` allows `example.com.attacker.com`), without `dangerouslyAllowPublicSuffixWildcards: true`.',
  'report-only-hook':
    "`reportOnly.options` contains a hook (`onWarning`, `onError`, `onDecision` or `reportOnly`): the candidate policy only decides; its changes go to `reportOnly.onChange`, and errors to the enforced policy's hooks.",
} as const;

/**
 * Warnings: the options work but are probably not what was meant; reported through `onWarning` (by
 * default `console.warn`), at construction or, for `foreign-cors-header`, at run time. With
 * `strict: true` each one found at construction becomes a problem with the same code.
 */
export const CORS_WARNING_CODES = {
  'lower-case-method':
    'An `allowMethods` entry is not in upper case and is not one of the six methods `fetch()` upper-cases (`patch`, unlike `put`): it is matched byte for byte, so a frontend sending `PATCH` is refused.',
  'foreign-cors-header':
    'At run time, not at startup: a response corsguard answered carried a CORS header set by another layer (the handler, the `cors` package, a framework option such as Nest `cors: true`); corsguard replaced or removed it, and reports it once per header name.',
} as const;

/** The code of a problem in `CorsConfigError.problems`. */
export type CorsProblemCode = keyof typeof CORS_PROBLEM_CODES;
/** The code of a warning passed to `onWarning`. */
export type CorsWarningCode = keyof typeof CORS_WARNING_CODES;
