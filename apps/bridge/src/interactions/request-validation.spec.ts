import 'reflect-metadata';
import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { describe, expect, it, vi } from 'vitest';
import { InteractionDataDto, InteractionRequestDto } from './interaction-request.dto.js';
import { createRequestValidationPipe, JsonBodyValidationPipe } from './request-validation.js';

const pipe = createRequestValidationPipe();
const valid = {
  auth: { subdomain: 'acme', token: 't' },
  meta: { interaction_types: ['case'] },
  data: { contact_emails: ['jane@example.com'] },
};

describe('the request validation pipe', () => {
  it('turns a valid body into the DTO, dropping unknown fields', async () => {
    const dto = await pipe.transform({ ...valid, extra: 1 }, { type: 'body', metatype: InteractionRequestDto });
    expect(dto).toBeInstanceOf(InteractionRequestDto);
    expect(dto).not.toHaveProperty('extra');
    expect((dto as InteractionRequestDto).data).toBeInstanceOf(InteractionDataDto);
  });

  it('refuses a body of the wrong shape with a 400 naming each field (the rules run synchronously)', async () => {
    const body = { ...valid, meta: { interaction_types: [] }, data: { contact_emails: 'jane@example.com' } };
    const refusal = await pipe
      .transform(body, { type: 'body', metatype: InteractionRequestDto })
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(BadRequestException);
    const fields = (refusal as BadRequestException).getResponse() as { fields: { field: string }[] };
    expect(fields.fields.map(({ field }) => field)).toEqual(
      expect.arrayContaining(['meta.interaction_types', 'data.contact_emails']),
    );
  });

  it('gives anything but a body (not JSON text) Nest’s pipe with every pass', async () => {
    const transform = vi.spyOn(ValidationPipe.prototype, 'transform');
    try {
      await pipe.transform({ contact_name: 'Jane' }, { type: 'query', metatype: InteractionDataDto });
      await pipe.transform(valid, { type: 'body', metatype: InteractionRequestDto });
      const [query, body] = transform.mock.contexts;
      expect(query).not.toBeInstanceOf(JsonBodyValidationPipe);
      expect(body).toBeInstanceOf(JsonBodyValidationPipe);
    } finally {
      transform.mockRestore();
    }
  });
});
