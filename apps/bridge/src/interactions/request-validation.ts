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
 * Nest's ValidationPipe, for request bodies that can only be JSON text: both routes with a body are POST routes, and
 * create-bridge-app.ts answers a POST of any other content type with 415. That lets it skip two passes that look for
 * what JSON cannot hold: JSON.parse makes no sparse arrays and no binary values. The pass that strips `__proto__`,
 * `constructor` and `prototype` keys stays: the parser refuses only `__proto__` and `constructor.prototype`, and a
 * plain `constructor` key (which the fuzz sends) must not reach class-transformer. The DTOs' rules are all
 * synchronous, so class-validator's `validateSync` checks them without a promise per rule (the benchmark measured it);
 * it would skip an async rule, so a DTO that needs one needs this pipe's `validate` removed (a spec checks that there
 * is none). The DTO validation itself is unchanged.
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
