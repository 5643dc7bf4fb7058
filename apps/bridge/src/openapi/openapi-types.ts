import type { OpenAPIObject } from '@nestjs/swagger';

// @nestjs/swagger does not export its schema types; these are the ones its document uses.
export type OpenApiDocument = OpenAPIObject;
type SchemaOrReference = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];
export type SchemaObject = Exclude<SchemaOrReference, { $ref: string }>;
export type ReferenceObject = Extract<SchemaOrReference, { $ref: string }>;
