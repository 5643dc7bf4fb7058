import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

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

/** Talkdesk's body, validated against the DTOs; unknown extra fields are ignored (stripped), not refused. */
export function createRequestValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
