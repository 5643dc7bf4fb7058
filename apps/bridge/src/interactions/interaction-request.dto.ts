import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsDefined,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
  ValidateBy,
  ArrayMaxSize,
  type ValidationOptions,
} from 'class-validator';
import type { AuthFields, ContactQuery } from '#interactions';

/**
 * A lone UTF-16 surrogate ("\ud800") is not text: JSON.parse accepts it, but no CRM can be asked about it (it cannot
 * be percent-encoded or sent as UTF-8). Refused at the edge, naming the field, so it never reaches a CRM call.
 */
const LONE_SURROGATE = /\p{Cs}/u;

export function isWellFormedText(value: unknown): boolean {
  return typeof value !== 'string' || !LONE_SURROGATE.test(value);
}

/** Every string (or, with `each`, every string in the array) is well-formed Unicode text. */
function IsWellFormedText(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isWellFormedText',
      validator: {
        validate: (value: unknown) => isWellFormedText(value),
        defaultMessage: () => '$property must be well-formed Unicode text (it holds a lone UTF-16 surrogate)',
      },
    },
    options,
  );
}

/** The auth fields whose value is not a string of well-formed text: their names, never their values. */
function badAuthFields(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value)
    .filter(([, field]) => typeof field !== 'string' || !isWellFormedText(field))
    .map(([name]) => name);
}

/**
 * `auth` is a flat object of strings: whatever fields the connector asked for when it was configured. A value that
 * is not well-formed text (a lone surrogate) is a malformed body, 400 naming `auth.<field>`, like a value that is not
 * a string: the JSON text itself is broken, before any credential is looked at. (What a connector finds wrong with
 * a well-formed value, such as spaces in a token, stays a 401.)
 */
function IsFlatStringRecord(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isFlatStringRecord',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' && value !== null && !Array.isArray(value) && badAuthFields(value).length === 0,
        defaultMessage: (args) => {
          const bad = badAuthFields(args?.value);
          return bad.length === 0
            ? '$property must be an object whose values are all strings'
            : `$property must be an object whose values are all strings of well-formed Unicode text; not so: ` +
                bad.map((name) => `$property.${name.slice(0, 64)}`).join(', ');
        },
      },
    },
    options,
  );
}

/** The request must name its contact somehow, or there is nobody to look up. */
function HasContactIdentifier(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'hasContactIdentifier',
      validator: {
        validate: (value: unknown) => value instanceof InteractionDataDto && toContactQuery(value) !== undefined,
        defaultMessage: () =>
          '$property must hold at least one contact identifier: contact_external_id, contact_name, ' +
          'contact_emails or contact_phones',
      },
    },
    options,
  );
}

export class InteractionMetaDto {
  @ApiProperty({ type: [String], example: ['case', 'note'], description: 'Interaction types the agent wants.' })
  @IsDefined()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @IsWellFormedText({ each: true })
  @MaxLength(64, { each: true })
  @ValidateBy({
    name: 'nonEmptyStrings',
    validator: {
      validate: (value: unknown) =>
        Array.isArray(value) && value.every((t) => typeof t !== 'string' || t.trim() !== ''),
      defaultMessage: () => '$property must not contain empty strings',
    },
  })
  interaction_types!: string[];
}

export class InteractionDataDto {
  @ApiPropertyOptional({ example: '1', description: 'The contact id in the CRM, for contacts synchronised before.' })
  @IsOptional()
  @IsString()
  @IsWellFormedText()
  @MaxLength(256)
  contact_external_id?: string;

  @ApiPropertyOptional({ example: 'Jane Doe' })
  @IsOptional()
  @IsString()
  @IsWellFormedText()
  @MaxLength(256)
  contact_name?: string;

  @ApiPropertyOptional({ type: [String], example: ['jane.doe@example.com'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @IsWellFormedText({ each: true })
  @MaxLength(320, { each: true })
  contact_emails?: string[];

  @ApiPropertyOptional({ type: [String], example: ['+15555555555'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @IsWellFormedText({ each: true })
  @MaxLength(64, { each: true })
  contact_phones?: string[];
}

export class AuthValidationRequestDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { subdomain: 'acme', email: 'agent@acme.example', token: 'acme-sandbox-api-token' },
    description: 'The CRM credentials, as configured in Talkdesk. Each connector names the fields it needs.',
  })
  @IsDefined()
  @IsFlatStringRecord()
  auth!: AuthFields;
}

export class InteractionRequestDto extends AuthValidationRequestDto {
  @ApiProperty({ type: InteractionMetaDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => InteractionMetaDto)
  meta!: InteractionMetaDto;

  @ApiProperty({ type: InteractionDataDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => InteractionDataDto)
  @HasContactIdentifier()
  data!: InteractionDataDto;
}

/** The request's contact identifiers, trimmed, empty ones dropped; undefined when none is left. */
export function toContactQuery(data: InteractionDataDto): ContactQuery | undefined {
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
  const list = (values: unknown) =>
    Array.isArray(values) ? values.map(text).filter((value): value is string => value !== undefined) : [];
  const query: ContactQuery = {
    externalId: text(data.contact_external_id),
    name: text(data.contact_name),
    emails: list(data.contact_emails),
    phones: list(data.contact_phones),
  };
  const empty = !query.externalId && !query.name && query.emails.length === 0 && query.phones.length === 0;
  return empty ? undefined : query;
}
