import {
  BadRequestException,
  ValidationPipe,
  type ArgumentMetadata,
  type ValidationError,
  type ValidationPipeOptions,
} from '@nestjs/common';
import { validateSync, type ValidatorOptions } from 'class-validator';

/** Each offending field by its dotted path (`meta.interaction_types`), with what is wrong with it. */
export function describeValidationErrors(
  errors: ValidationError[],
  parent = '',
): { field: string; problems: string[] }[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...describeValidationErrors(error.children ?? [], field)];
  });
}

/**
 * Nest's ValidationPipe, for request bodies that can only be JSON text (create-bridge-app.ts refuses every other content type
 * with 415), which lets it skip what JSON cannot hold. JSON.parse makes no sparse arrays and no binary values, and
 * the bridge's parser (Fastify's, with `onProtoPoisoning` and `onConstructorPoisoning` set to `error`) has already
 * refused `__proto__` and `constructor.prototype` keys with a 400: so the pipe's passes that close array gaps, strip
 * prototype keys and look for nested binary values, each a walk of the body, have nothing to find. The DTOs' rules
 * are all synchronous, so class-validator's `validateSync` checks them without a promise per rule. Together these
 * were most of the pipe's cost per request (README, Benchmarks); the DTO validation itself is unchanged.
 */
export class JsonBodyValidationPipe extends ValidationPipe {
  /** Anything that is not a body (a query or path parameter) gets Nest's pipe with every pass. */
  private readonly others: ValidationPipe;

  constructor(options: ValidationPipeOptions) {
    super(options);
    this.others = new ValidationPipe(options);
  }

  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    return metadata.type === 'body' ? super.transform(value, metadata) : this.others.transform(value, metadata);
  }

  protected override closeArrayGaps(): void {}

  protected override stripProtoKeys(): void {}

  protected override findNestedBinaryValues(): ValidationError[] {
    return [];
  }

  protected override validate(object: object, validatorOptions?: ValidatorOptions): ValidationError[] {
    return validateSync(object, validatorOptions);
  }
}

/** Talkdesk's body, validated against the DTOs; unknown extra fields are ignored (stripped), not refused. */
export function createRequestValidationPipe(): ValidationPipe {
  return new JsonBodyValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: false,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fields = describeValidationErrors(errors);
      return new BadRequestException({
        message: `invalid request body: ${fields.map(({ field, problems }) => `${field}: ${problems.join(', ')}`).join('; ')}`,
        fields,
      });
    },
  });
}
