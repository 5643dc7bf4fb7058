import 'reflect-metadata';
import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { describe, expect, it, vi } from 'vitest';
import { getMetadataStorage } from 'class-validator';
import {
  AuthValidationRequestDto,
  InteractionDataDto,
  InteractionMetaDto,
  InteractionRequestDto,
} from './interaction-request.dto.js';
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

  it('strips a bare constructor key, which the parser lets through (a 400 here, not a 500)', async () => {
    const body = { ...valid, data: { contact_external_id: { constructor: 'x' } } };
    const refusal = await pipe
      .transform(body, { type: 'body', metatype: InteractionRequestDto })
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(BadRequestException);
  });

  it('checks the rules synchronously: no promise per request from class-validator', () => {
    const validate = (pipe as unknown as { validate: (object: object) => unknown }).validate.bind(pipe);
    const instance = Object.assign(new InteractionDataDto(), { contact_name: 'Jane' });
    expect(validate(instance)).toEqual([]);
  });

  it('has only synchronous rules in its DTOs: validateSync would skip an async one', () => {
    const storage = getMetadataStorage();
    for (const dto of [InteractionRequestDto, AuthValidationRequestDto, InteractionMetaDto, InteractionDataDto]) {
      const rules = storage.getTargetValidationMetadatas(dto, '', true, false);
      expect(rules.length).toBeGreaterThan(0);
      for (const rule of rules)
        for (const constraint of storage.getTargetValidatorConstraints(rule.constraintCls))
          expect(constraint.async, `${dto.name}.${rule.propertyName}`).toBe(false);
    }
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
