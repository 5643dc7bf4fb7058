// class-transformer reads the DTOs' design types through reflect-metadata.
import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { ValidateBy, validateSync, type ValidationError, type ValidationOptions } from 'class-validator';

/**
 * A bad environment, found at boot: one line that names each offending variable and its problem, never its value
 * (a URL may carry a password, a variable may be set to the wrong secret).
 */
export class InvalidConfigurationError extends Error {
  constructor(problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'InvalidConfigurationError';
  }
}

/**
 * Reads environment variables into a class-validator DTO, converting strings to the declared types, and throws
 * InvalidConfigurationError when any is wrong. Defaults live on the DTO's property initialisers.
 */
export function readValidatedEnv<T extends object>(
  dto: new () => T,
  env: Record<string, string | undefined> = process.env,
): T {
  const defined = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const config = plainToInstance(dto, defined, { enableImplicitConversion: true, exposeDefaultValues: true });
  // `value: false` keeps the given values out of the messages class-validator builds.
  const errors = validateSync(config, {
    skipMissingProperties: false,
    whitelist: false,
    validationError: { value: false },
  });
  if (errors.length > 0) throw new InvalidConfigurationError(errors.map(describe));
  return config;
}

/** Names the variable and what is wrong with it (class-validator's messages start with the name); never the value. */
function describe(error: ValidationError): string {
  const reasons = Object.values(error.constraints ?? {});
  return reasons.length > 0 ? reasons.join(', ') : `${error.property} is invalid`;
}

/** What is wrong with a CRM base URL, or undefined when nothing is. `{subdomain}` may stand for the tenant's. */
export function httpBaseUrlProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  let url: URL;
  try {
    url = new URL(value.replaceAll('{subdomain}', 'tenant'));
  } catch {
    return 'does not parse as a URL (check the host and port)';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL';
  // Credentials come from each request's `auth`; a password in a URL would end up in logs and process listings.
  if (url.username || url.password) return 'must not carry a user name or password';
  if (url.search || url.hash) return 'must not have a query string or fragment';
  return undefined;
}

/** An http(s) base URL that parses, without credentials, query or fragment; `example` shows a good one. */
export function IsHttpBaseUrl(example: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isHttpBaseUrl',
      validator: {
        validate: (value: unknown) => httpBaseUrlProblem(value) === undefined,
        defaultMessage: (args) =>
          `${args?.property} ${httpBaseUrlProblem(args?.value) ?? 'is invalid'}, e.g. ${example}`,
      },
    },
    options,
  );
}
