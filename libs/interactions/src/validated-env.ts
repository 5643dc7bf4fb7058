import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

/** A bad environment, found at boot: one line that names each offending variable. */
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
  const errors = validateSync(config, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) throw new InvalidConfigurationError(errors.map((error) => describe(error, defined)));
  return config;
}

/** Names the variable and the value as it was given (not as converted: "eighty", not NaN). */
function describe(error: ValidationError, given: Record<string, string | undefined>): string {
  const raw = given[error.property];
  const value = raw === undefined ? 'unset' : JSON.stringify(raw);
  const reasons = Object.values(error.constraints ?? {}).join(', ');
  return `${error.property} (${value}): ${reasons}`;
}
