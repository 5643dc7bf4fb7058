import { Ajv, type ValidateFunction } from 'ajv';

/* eslint-disable @typescript-eslint/no-explicit-any -- the served document, read field by field */

/** What a test saw of one answer. */
export interface SeenAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/** The headers whose presence the document must account for, wherever they appear. */
const ACCOUNTED_HEADERS = ['x-request-id', 'server-timing', 'retry-after', 'allow'];

/**
 * Checks answers and examples against the bridge's own OpenAPI document (/docs/openapi.json): OpenAPI 3.0 schemas
 * are JSON Schema with a few keywords of their own, validated by ajv; `$ref`s resolve against the document itself.
 */
export class OpenApiChecker {
  readonly ajv = new Ajv({ strict: false, allErrors: true });

  constructor(readonly document: any) {
    this.ajv.addSchema({ components: document.components }, 'openapi.json');
  }

  /** A schema of the document, ready to validate with (its `#/components/...` refer to the document). */
  compile(schema: object): ValidateFunction {
    return this.ajv.compile(
      JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi.json#/components/')),
    );
  }

  response(path: string, method: string, status: number): any {
    return this.document.paths[path]?.[method]?.responses?.[String(status)];
  }

  bodyValidator(path: string, method: string, status: number): ValidateFunction {
    return this.compile(this.response(path, method, status).content['application/json'].schema);
  }

  /**
   * What, in this answer, the document does not say: an undocumented status, another media type, a body its schema
   * refuses, a required header missing, a header its schema refuses, or one of the headers above that the response
   * does not list. Empty when the answer is what the document promises.
   */
  problems(path: string, method: string, answer: SeenAnswer): string[] {
    const response = this.response(path, method, answer.status);
    if (!response) return [`${method.toUpperCase()} ${path} does not document status ${answer.status}`];
    const problems: string[] = [];
    const mime = (answer.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const content = response.content?.[mime];
    if (!response.content) {
      if (answer.text !== '') problems.push(`a body where none is documented: ${answer.text.slice(0, 200)}`);
    } else if (!content) {
      problems.push(`content type ${mime || 'none'}, documented: ${Object.keys(response.content).join(', ')}`);
    } else {
      const validate = this.compile(content.schema);
      let body: unknown;
      try {
        body = JSON.parse(answer.text);
      } catch {
        problems.push(`a body that is not JSON: ${answer.text.slice(0, 200)}`);
      }
      if (body !== undefined && !validate(body)) {
        problems.push(`body: ${this.ajv.errorsText(validate.errors)} in ${answer.text.slice(0, 300)}`);
      }
    }
    const documented = Object.fromEntries(
      Object.entries((response.headers ?? {}) as Record<string, any>).map(([name, header]) => [
        name.toLowerCase(),
        header,
      ]),
    );
    for (const [name, header] of Object.entries(documented)) {
      const value = answer.headers.get(name);
      if (value === null) {
        if (header.required) problems.push(`header ${name} missing`);
        continue;
      }
      const validate = this.compile(header.schema);
      const typed = header.schema.type === 'integer' && /^-?\d+$/.test(value) ? Number(value) : value;
      if (!validate(typed)) problems.push(`header ${name}: ${value}: ${this.ajv.errorsText(validate.errors)}`);
    }
    for (const name of ACCOUNTED_HEADERS) {
      if (answer.headers.has(name) && !documented[name]) problems.push(`header ${name} sent but not documented`);
    }
    return problems;
  }

  /** Every example in the document, with the schema it illustrates and where it is. */
  examples(): { where: string; schema: object; value: unknown }[] {
    const found: { where: string; schema: object; value: unknown }[] = [];
    const fromMediaTypes = (where: string, content: Record<string, any> | undefined) => {
      for (const [mime, media] of Object.entries(content ?? {})) {
        if (media.example !== undefined)
          found.push({ where: `${where} ${mime}`, schema: media.schema, value: media.example });
        for (const [name, example] of Object.entries((media.examples ?? {}) as Record<string, any>)) {
          found.push({ where: `${where} ${mime} example ${name}`, schema: media.schema, value: example.value });
        }
      }
    };
    for (const [path, item] of Object.entries(this.document.paths as Record<string, any>)) {
      for (const [method, operation] of Object.entries(item as Record<string, any>)) {
        const where = `${method.toUpperCase()} ${path}`;
        for (const parameter of operation.parameters ?? []) {
          if (parameter.example !== undefined) {
            found.push({
              where: `${where} parameter ${parameter.name}`,
              schema: parameter.schema,
              value: parameter.example,
            });
          }
        }
        fromMediaTypes(`${where} request`, operation.requestBody?.content);
        for (const [status, response] of Object.entries((operation.responses ?? {}) as Record<string, any>)) {
          fromMediaTypes(`${where} ${status}`, response.content);
          for (const [name, header] of Object.entries((response.headers ?? {}) as Record<string, any>)) {
            if (header.example !== undefined) {
              found.push({ where: `${where} ${status} header ${name}`, schema: header.schema, value: header.example });
            }
          }
        }
      }
    }
    // Examples on schemas and their properties (@ApiProperty({ example })), each against its own schema.
    const visit = (where: string, schema: any) => {
      if (typeof schema !== 'object' || schema === null) return;
      if (schema.example !== undefined && !schema.$ref) {
        const { example, ...rest } = schema;
        found.push({ where, schema: rest, value: example });
      }
      for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, any>)) {
        visit(`${where}.${name}`, property);
      }
      if (schema.items) visit(`${where}[]`, schema.items);
      for (const [index, branch] of [
        ...(schema.anyOf ?? []),
        ...(schema.oneOf ?? []),
        ...(schema.allOf ?? []),
      ].entries()) {
        visit(`${where}#${index}`, branch);
      }
    };
    for (const [name, schema] of Object.entries((this.document.components?.schemas ?? {}) as Record<string, any>)) {
      visit(`schema ${name}`, schema);
    }
    return found;
  }
}

/** An HTTP answer read off a raw socket: its status line, headers and body. */
export function parseRawAnswer(raw: string): SeenAnswer {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const [statusLine, ...lines] = head!.split('\r\n');
  const headers = new Headers();
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine!)![1]), headers, text: rest.join('\r\n\r\n') };
}
