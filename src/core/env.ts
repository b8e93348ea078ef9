/**
 * CORS options from environment variables (twelve-factor configuration). Pure: the caller
 * passes the environment (`process.env`, a Workers `env`, a test's record), so this module
 * needs no `node:` import.
 */
import { compileConfig } from './config.js';
import { CorsConfigError, describeValue, type CorsConfigProblem } from './errors.js';
import type { CorsOptionFields, CorsOptions } from './options.js';
import type { CorsProblemCode } from './codes.js';
import { CORS_RISK_OPT_INS, type CorsRiskCode } from './risks.js';

export interface CorsEnvOptions {
  /** Prefix of the variable names. Default `'CORS_'`. */
  readonly prefix?: string;
  /** Options the variables are merged over (a variable that is set replaces its option). */
  readonly defaults?: CorsOptionFields;
}

type EnvRecord = Readonly<Record<string, string | undefined>>;

/** Variable suffix → option it sets. */
const LIST_VARIABLES = {
  ALLOW_ORIGINS: 'allowOrigins',
  ALLOW_METHODS: 'allowMethods',
  ALLOW_HEADERS: 'allowHeaders',
  EXPOSE_HEADERS: 'exposeHeaders',
} as const;

/** Variable suffix → boolean option it sets: credentials, and the opt-in of each risk. */
const BOOLEAN_VARIABLES: Readonly<Record<string, string>> = {
  ALLOW_CREDENTIALS: 'allowCredentials',
  ...Object.fromEntries(Object.values(CORS_RISK_OPT_INS).map((optIn) => [variableSuffix(optIn), optIn])),
};

/** The variable suffix of an option: `dangerouslyAllowNullOrigin` → `DANGEROUSLY_ALLOW_NULL_ORIGIN`. */
export function variableSuffix(option: string): string {
  return option.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase();
}

/**
 * Reads `CORS_ALLOW_ORIGINS`, `CORS_ALLOW_ORIGIN_REGEX`, `CORS_ALLOW_CREDENTIALS`,
 * `CORS_ALLOW_METHODS`, `CORS_ALLOW_HEADERS`, `CORS_EXPOSE_HEADERS`, `CORS_MAX_AGE` (lists
 * comma-separated) and the opt-ins `CORS_DANGEROUSLY_ALLOW_NULL_ORIGIN`,
 * `CORS_DANGEROUSLY_ALLOW_INSECURE_ORIGINS_WITH_CREDENTIALS` and
 * `CORS_DANGEROUSLY_ALLOW_PUBLIC_SUFFIX_WILDCARDS` (`true` or `false`). Throws one CorsConfigError
 * listing every problem, each naming its variable.
 */
export function corsOptionsFromEnv(env: EnvRecord, settings: CorsEnvOptions = {}): CorsOptions {
  const prefix = settings.prefix ?? 'CORS_';
  const problems: CorsConfigProblem[] = [];
  const options: Record<string, unknown> = { ...settings.defaults };
  const optionVariable = new Map<string, string>();
  const read = (suffix: string): { name: string; value: string } | undefined => {
    const name = prefix + suffix;
    const value = env[name];
    return value === undefined ? undefined : { name, value };
  };
  const refuse = (code: CorsProblemCode, name: string, value: string, reason: string, fix: string): void => {
    problems.push({ code, option: name, value: describeValue(value), reason, fix });
  };

  for (const [suffix, option] of Object.entries(LIST_VARIABLES)) {
    const variable = read(suffix);
    if (variable === undefined) continue;
    const items = variable.value.split(',').map((item) => item.trim());
    if (items.some((item) => item === '')) {
      refuse(
        'empty-list-entry',
        variable.name,
        variable.value,
        'has an empty entry',
        `write the entries separated by single commas, e.g. ${variable.name}=a,b`,
      );
      continue;
    }
    options[option] = items.length === 1 && items[0] === '*' ? '*' : items;
    optionVariable.set(option, variable.name);
  }

  const regex = read('ALLOW_ORIGIN_REGEX');
  if (regex !== undefined) {
    options['allowOriginRegex'] = regex.value;
    optionVariable.set('allowOriginRegex', regex.name);
  }

  for (const [suffix, option] of Object.entries(BOOLEAN_VARIABLES)) {
    const variable = read(suffix);
    if (variable === undefined) continue;
    if (variable.value === 'true' || variable.value === 'false') {
      options[option] = variable.value === 'true';
      optionVariable.set(option, variable.name);
    } else {
      refuse(
        'invalid-type',
        variable.name,
        variable.value,
        'is neither true nor false',
        `set ${variable.name}=true or ${variable.name}=false`,
      );
    }
  }

  const maxAge = read('MAX_AGE');
  if (maxAge !== undefined) {
    if (/^[0-9]{1,9}$/.test(maxAge.value.trim())) {
      options['maxAge'] = Number(maxAge.value.trim());
      optionVariable.set('maxAge', maxAge.name);
    } else {
      refuse(
        'invalid-type',
        maxAge.name,
        maxAge.value,
        'is not a whole number of seconds',
        `write seconds as digits, e.g. ${maxAge.name}=600`,
      );
    }
  }

  // The same validation as the options, with each problem renamed to the variable it came from.
  try {
    compileConfig({ ...(options as unknown as CorsOptions), onWarning: () => {} });
  } catch (error) {
    if (!(error instanceof CorsConfigError)) throw error;
    for (const problem of error.problems) {
      // No origin option at all: the variable to set is the one to name.
      const name =
        optionVariable.get(problem.option) ??
        (problem.option === 'allowOrigins' && settings.defaults?.allowOrigins === undefined ? prefix + 'ALLOW_ORIGINS' : undefined);
      const renamed = name === undefined ? problem : { ...problem, option: name };
      // A risk is accepted here by its variable, so the fix names that variable.
      const optIn = CORS_RISK_OPT_INS[problem.code as CorsRiskCode] as string | undefined;
      problems.push(
        optIn === undefined
          ? renamed
          : { ...renamed, fix: problem.fix.replace(`${optIn}: true`, `${prefix}${variableSuffix(optIn)}=true`) },
      );
    }
  }
  if (problems.length > 0) throw new CorsConfigError(problems);
  return options as unknown as CorsOptions; // compileConfig accepted it above
}
