import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { dataverseError, type Answer } from './web-api.js';

/** The most requests one `$batch` may hold ("Batch requests can contain up to 1000 individual requests"). */
export const BATCH_MAX_REQUESTS = 1_000;

/** One request of a batch, as its `application/http` part carries it. */
export interface BatchRequest {
  method: string;
  /** What follows the org's host: `/api/data/v9.2/contacts?…`. */
  path: string;
}

/** A batch parsed, or the error Dataverse answers for it. */
export type ParsedBatch = { requests: BatchRequest[] } | { refused: Answer };

/**
 * `POST $batch` ("Execute batch operations using the Web API",
 * https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api):
 * a `multipart/mixed` body whose boundary is in the Content-Type; each part `Content-Type: application/http` and
 * `Content-Transfer-Encoding: binary`, holding one request (`GET {url} HTTP/1.1`, its headers, a blank line); a
 * change set is a nested `multipart/mixed` part, and "GET request are not allowed within change sets"; at most 1,000
 * requests, and no batch inside a batch. Request URLs are absolute, or a path from the org's host. The stand-in
 * serves reads only, so a change set's writes are refused like any other method it does not support.
 */
export function parseBatch(contentType: string | undefined, body: string, orgRoot: string): ParsedBatch {
  const boundary = boundaryOf(contentType);
  if (!boundary)
    return { refused: dataverseError(400, '0x80060888', 'The batch request must be multipart/mixed with a boundary.') };
  const parts = partsOf(body, boundary);
  if (!parts)
    return {
      refused: dataverseError(400, '0x80060888', 'The batch request body is not a well-formed multipart message.'),
    };
  const requests: BatchRequest[] = [];
  for (const part of parts) {
    const headers = part.headers;
    const type = headers['content-type'] ?? '';
    if (/^multipart\/mixed/i.test(type)) {
      return {
        refused: dataverseError(
          400,
          '0x80060888',
          'GET requests are not allowed in change sets, and the stand-in serves reads only.',
        ),
      };
    }
    if (!/^application\/http\b/i.test(type) || !/^binary$/i.test(headers['content-transfer-encoding'] ?? '')) {
      return {
        refused: dataverseError(
          400,
          '0x80060888',
          'Each batch part needs Content-Type application/http and Content-Transfer-Encoding binary.',
        ),
      };
    }
    const line = /^([A-Z]+) (\S+) HTTP\/1\.1$/.exec(part.body.split(/\r?\n/, 1)[0] ?? '');
    if (!line)
      return { refused: dataverseError(400, '0x80060888', 'A batch part does not start with a request line.') };
    const path = pathOf(line[2]!, orgRoot);
    if (path === undefined || /\$batch(?:$|[?/])/.test(path)) {
      return {
        refused: dataverseError(400, '0x80060888', `The batch part's URL ${line[2]} is not a request of this org.`),
      };
    }
    requests.push({ method: line[1]!, path });
  }
  if (requests.length === 0)
    return { refused: dataverseError(400, '0x80060888', 'The batch request holds no request.') };
  if (requests.length > BATCH_MAX_REQUESTS) {
    return { refused: dataverseError(400, '0x80060888', `A batch can contain up to ${BATCH_MAX_REQUESTS} requests.`) };
  }
  return { requests };
}

/**
 * The batch's answer: 200 and every part's answer in order; without `Prefer: odata.continue-on-error` the batch stops
 * at the first part that fails and answers with that part's status ("When an error occurs for a request within a
 * batch, the error for that request will be returned for the batch request and more requests won't be processed").
 */
export function answerBatch(
  requests: BatchRequest[],
  continueOnError: boolean,
  answer: (request: BatchRequest) => Answer,
): { status: number; contentType: string; body: string } {
  const boundary = `batchresponse_${randomUUID()}`;
  let status = 200;
  const parts: string[] = [];
  for (const request of requests) {
    const result = answer(request);
    parts.push(partText(boundary, result));
    if (result.status >= 400 && !continueOnError) {
      status = result.status;
      break;
    }
  }
  return {
    status,
    contentType: `multipart/mixed; boundary=${boundary}`,
    body: `${parts.join('')}--${boundary}--\r\n`,
  };
}

function partText(boundary: string, result: Answer): string {
  const head = [
    `--${boundary}`,
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    '',
    `HTTP/1.1 ${result.status} ${STATUS_CODES[result.status] ?? ''}`.trimEnd(),
  ];
  if (result.body === undefined) return `${[...head, 'OData-Version: 4.0', '', ''].join('\r\n')}\r\n`;
  return `${[...head, 'Content-Type: application/json; odata.metadata=minimal', 'OData-Version: 4.0', '', JSON.stringify(result.body)].join('\r\n')}\r\n`;
}

function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/mixed\s*;/i.test(contentType)) return undefined;
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

interface Part {
  headers: Record<string, string>;
  body: string;
}

/** The parts between `--boundary` lines, each its MIME headers and body; undefined when the message is malformed. */
function partsOf(body: string, boundary: string): Part[] | undefined {
  const delimiter = `--${boundary}`;
  const closing = body.indexOf(`${delimiter}--`);
  if (closing === -1) return undefined;
  const chunks = body.slice(0, closing).split(delimiter).slice(1);
  if (chunks.length === 0) return undefined;
  const parts: Part[] = [];
  for (const chunk of chunks) {
    const text = chunk.replace(/^\r?\n/, '');
    const split = /\r?\n\r?\n/.exec(text);
    if (!split) return undefined;
    const headers: Record<string, string> = {};
    for (const line of text.slice(0, split.index).split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon < 1) return undefined;
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    parts.push({ headers, body: text.slice(split.index + split[0].length) });
  }
  return parts;
}

/** A part's URL as a path from the org's host, when it is one of this org's. */
function pathOf(url: string, orgRoot: string): string | undefined {
  if (url.startsWith('/api/data/')) return url;
  if (url.startsWith(`${orgRoot}/api/data/`)) return url.slice(orgRoot.length);
  return undefined;
}
