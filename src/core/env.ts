/**
 * CORS options from environment variables (twelve-factor configuration). Pure: the caller
 * passes the environment (`process.env`, a Workers `env`, a test's record), so this module
 * needs no `node:` import.
 */
import { compileConfig } from './config.js';
import { CorsConfigError, describeValue, type CorsConfigProblem } from './errors.js';
import type { CorsOptionFields, CorsOptions } from './options.js';
import type { CorsProblemCode } from './codes.js';

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

/**
 * Reads `CORS_ALLOW_ORIGINS`, `CORS_ALLOW_ORIGIN_REGEX`, `CORS_ALLOW_CREDENTIALS`,
 * `CORS_ALLOW_METHODS`, `CORS_ALLOW_HEADERS`, `CORS_EXPOSE_HEADERS` and `CORS_MAX_AGE` (lists
 * comma-separated). Throws one CorsConfigError listing every problem, each naming its variable.
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

  const credentials = read('ALLOW_CREDENTIALS');
  if (credentials !== undefined) {
    if (credentials.value === 'true' || credentials.value === 'false') {
      options['allowCredentials'] = credentials.value === 'true';
      optionVariable.set('allowCredentials', credentials.name);
    } else {
      refuse(
        'invalid-type',
        credentials.name,
        credentials.value,
        'is neither true nor false',
        `set ${credentials.name}=true or ${credentials.name}=false`,
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
      problems.push(name === undefined ? problem : { ...problem, option: name });
    }
  }
  if (problems.length > 0) throw new CorsConfigError(problems);
  return options as unknown as CorsOptions; // compileConfig accepted it above
}
