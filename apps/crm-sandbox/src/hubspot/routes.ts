import { errorAnswer, objectNotFound, unknownObjectType, validationError } from './errors.js';
import { isRecordId } from './ids.js';
import type { HubspotRecord } from './model.js';
import { associationTypeId, resolveObjectType, type HubspotObjectType } from './object-types.js';
import { presentRecord, propertyList } from './present.js';
import { checkAssociationFilters, parseSearchRequest, searchRecords, type SearchFilter } from './search.js';
import type { HubspotPortal } from './store.js';

/** One authenticated API call, as the handlers see it. */
export interface HubspotCall {
  portal: HubspotPortal;
  correlationId: string;
  /** The API's base as the caller reached it, e.g. `http://127.0.0.1:4010/hubspot`: paging links start with it. */
  base: string;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  now(): number;
}

export interface HubspotAnswer {
  status: number;
  body: unknown;
}

export interface HubspotRoute {
  method: 'GET' | 'POST';
  /** Fastify's pattern, under the plugin's prefix. */
  url: string;
  /** Search endpoints have their own rate limit. */
  search?: boolean;
  handle(call: HubspotCall): HubspotAnswer;
}

/** Batch reads take at most this many inputs. */
export const BATCH_READ_MAX_INPUTS = 100;
/** Association pages: the default and largest `limit`. */
export const ASSOCIATIONS_PAGE_MAX = 500;

const ok = (body: unknown): HubspotAnswer => ({ status: 200, body });
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The path's object type, or HubSpot's 400 for a name it cannot place. */
function objectType(call: HubspotCall, param: string): HubspotObjectType | HubspotAnswer {
  const raw = call.params[param] ?? '';
  return resolveObjectType(raw) ?? unknownObjectType(raw, call.correlationId);
}

const isAnswer = (value: HubspotObjectType | HubspotAnswer): value is HubspotAnswer => 'status' in value;

/** GET /account-info/v3/details */
function accountDetails(call: HubspotCall): HubspotAnswer {
  return ok(call.portal.data.account);
}

/** GET /crm/v3/pipelines/{objectType} */
function listPipelines(call: HubspotCall): HubspotAnswer {
  const type = objectType(call, 'objectType');
  if (isAnswer(type)) return type;
  return ok({ results: call.portal.pipelines(type) });
}

/** GET /crm/v3/pipelines/{objectType}/{pipelineId} */
function getPipeline(call: HubspotCall): HubspotAnswer {
  const type = objectType(call, 'objectType');
  if (isAnswer(type)) return type;
  const pipeline = call.portal.pipelines(type).find((candidate) => candidate.id === call.params.pipelineId);
  if (!pipeline) {
    return errorAnswer(
      404,
      'OBJECT_NOT_FOUND',
      `No ${type.singular} pipeline with id ${call.params.pipelineId}.`,
      call.correlationId,
    );
  }
  return ok(pipeline);
}

/** GET /crm/v3/objects/{objectType}/{objectId}?properties=…&idProperty=…&propertiesWithHistory=… */
function getObject(call: HubspotCall): HubspotAnswer {
  const type = objectType(call, 'objectType');
  if (isAnswer(type)) return type;
  const id = call.params.objectId ?? '';
  const idProperty = typeof call.query.idProperty === 'string' ? call.query.idProperty : undefined;
  if (idProperty && !type.uniqueProperties.includes(idProperty)) {
    return validationError(`${idProperty} is not a unique identifier property of ${type.name}.`, call.correlationId);
  }
  const record =
    call.query.archived === 'true'
      ? undefined // the sandbox archives nothing
      : idProperty
        ? call.portal.recordBy(type, idProperty, id)
        : isRecordId(id)
          ? call.portal.record(type, id)
          : undefined;
  if (!record) return objectNotFound(id, call.correlationId);
  return ok(
    presentRecord(type, record, propertyList(call.query.properties), propertyList(call.query.propertiesWithHistory)),
  );
}

/** POST /crm/v3/objects/{objectType}/search */
function searchObjects(call: HubspotCall): HubspotAnswer {
  const type = objectType(call, 'objectType');
  if (isAnswer(type)) return type;
  const parsed = parseSearchRequest(call.body);
  if (!parsed.ok) return validationError(parsed.message, call.correlationId);
  const request = parsed.value;
  const misused = checkAssociationFilters(request, resolveObjectType);
  if (misused) return validationError(misused, call.correlationId);
  const found = searchRecords(candidates(call, type, request.filterGroups), type, request, (record, other, id) =>
    call.portal.associatedIds(type, record.id, resolveObjectType(other)!).includes(id.trim()),
  );
  const page = found.slice(request.offset, request.offset + request.limit);
  const next = request.offset + page.length;
  return ok({
    total: found.length,
    results: page.map((record) => presentRecord(type, record, request.properties)),
    ...(next < found.length ? { paging: { next: { after: String(next) } } } : {}),
  });
}

/**
 * The records a search can match: when every filter group names an associated record (`associations.contact EQ id`),
 * only the records associated with those, read from the associations instead of every record of the type (a portal
 * of thousands of contacts has far more tickets than one search should read); otherwise all. The search filters and
 * sorts them as it would all records, so the answer is the same.
 */
function candidates(call: HubspotCall, type: HubspotObjectType, groups: SearchFilter[][]): HubspotRecord[] {
  const associated = groups.map((group) => group.find((filter) => filter.propertyName.startsWith('associations.')));
  if (associated.length === 0 || associated.some((filter) => filter === undefined)) return call.portal.records(type);
  const ids = new Set<string>();
  for (const filter of associated as SearchFilter[]) {
    const other = resolveObjectType(filter.propertyName.slice('associations.'.length))!;
    for (const id of call.portal.associatedIds(other, (filter.value ?? '').trim(), type)) ids.add(id);
  }
  return [...ids].flatMap((id) => call.portal.record(type, id) ?? []);
}

interface BatchReadBody {
  ids: string[];
  properties?: string[];
  propertiesWithHistory: string[];
  idProperty?: string;
}

function parseBatchRead(body: unknown): BatchReadBody | string {
  if (!isObject(body)) return 'Invalid input JSON: the body must be a JSON object.';
  if (!Array.isArray(body.inputs)) return 'inputs must be an array of { "id": … } objects.';
  if (body.inputs.length > BATCH_READ_MAX_INPUTS) {
    return `Too many inputs: ${body.inputs.length}. A batch read takes at most ${BATCH_READ_MAX_INPUTS}.`;
  }
  const ids: string[] = [];
  for (const [index, input] of body.inputs.entries()) {
    const id = isObject(input) ? input.id : undefined;
    if (typeof id !== 'string' && typeof id !== 'number') return `inputs[${index}].id is required.`;
    ids.push(String(id));
  }
  const names = (value: unknown, field: string): string[] | string | undefined => {
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((name) => typeof name !== 'string'))
      return `${field} must be an array of strings.`;
    return value as string[];
  };
  const properties = names(body.properties, 'properties');
  if (typeof properties === 'string') return properties;
  const propertiesWithHistory = names(body.propertiesWithHistory, 'propertiesWithHistory');
  if (typeof propertiesWithHistory === 'string') return propertiesWithHistory;
  if (body.idProperty !== undefined && body.idProperty !== null && typeof body.idProperty !== 'string')
    return 'idProperty must be a string.';
  return {
    ids: [...new Set(ids)],
    properties,
    propertiesWithHistory: propertiesWithHistory ?? [],
    idProperty: typeof body.idProperty === 'string' && body.idProperty !== '' ? body.idProperty : undefined,
  };
}

/**
 * POST /crm/v3/objects/{objectType}/batch/read: the records found, in input order. Ids that name no record make
 * the answer a 207 with one OBJECT_NOT_FOUND error listing them, as HubSpot does.
 */
function batchRead(call: HubspotCall): HubspotAnswer {
  const type = objectType(call, 'objectType');
  if (isAnswer(type)) return type;
  const input = parseBatchRead(call.body);
  if (typeof input === 'string') return validationError(input, call.correlationId);
  if (input.idProperty && !type.uniqueProperties.includes(input.idProperty)) {
    return validationError(
      `${input.idProperty} is not a unique identifier property of ${type.name}.`,
      call.correlationId,
    );
  }
  const startedAt = new Date(call.now()).toISOString();
  const results: Record<string, unknown>[] = [];
  const missing: string[] = [];
  for (const id of input.ids) {
    let record: HubspotRecord | undefined;
    if (call.query.archived !== 'true') {
      if (input.idProperty) record = call.portal.recordBy(type, input.idProperty, id);
      else if (isRecordId(id)) record = call.portal.record(type, id);
    }
    if (record) results.push(presentRecord(type, record, input.properties, input.propertiesWithHistory));
    else missing.push(id);
  }
  const completedAt = new Date(call.now()).toISOString();
  if (missing.length === 0) return ok({ status: 'COMPLETE', results, startedAt, completedAt });
  return {
    status: 207,
    body: {
      status: 'COMPLETE',
      results,
      numErrors: 1,
      errors: [
        {
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          message: `Could not get some ${type.errorName} objects: they may have been deleted or may not exist. Check that the ids are valid.`,
          context: { ids: missing },
        },
      ],
      startedAt,
      completedAt,
    },
  };
}

/** Association paging cursors: the offset of the next page, base64url, opaque to callers as HubSpot's are. */
const encodeAfter = (offset: number): string => Buffer.from(`o${offset}`, 'utf8').toString('base64url');
function decodeAfter(after: string): number | undefined {
  const match = /^o(\d{1,9})$/.exec(Buffer.from(after, 'base64url').toString('utf8'));
  return match && encodeAfter(Number(match[1])) === after.replace(/=+$/, '') ? Number(match[1]) : undefined;
}

/**
 * GET /crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}?limit=&after=: the associated ids,
 * `limit` (default and at most 500) per page, `paging.next` only when more remain. A record that does not exist has
 * no associations (an empty page).
 *
 * HubSpot documents no order for them (Associations v4 API reference), so the sandbox does the least convenient
 * thing: an order that follows neither ids nor creation dates (see HubspotPortal.associatedIds). `toObjectId` is a
 * string, as in HubSpot's current v4 spec (older answers had a number).
 */
function listAssociations(call: HubspotCall): HubspotAnswer {
  const from = objectType(call, 'objectType');
  if (isAnswer(from)) return from;
  const to = objectType(call, 'toObjectType');
  if (isAnswer(to)) return to;

  const rawLimit = call.query.limit;
  let limit = ASSOCIATIONS_PAGE_MAX;
  if (rawLimit !== undefined && rawLimit !== '') {
    if (typeof rawLimit !== 'string' || !/^\d+$/.test(rawLimit) || Number(rawLimit) < 1) {
      return validationError(`limit must be a positive integer; got ${JSON.stringify(rawLimit)}.`, call.correlationId);
    }
    limit = Math.min(Number(rawLimit), ASSOCIATIONS_PAGE_MAX);
  }
  let start = 0;
  if (call.query.after !== undefined && call.query.after !== '') {
    const offset = typeof call.query.after === 'string' ? decodeAfter(call.query.after) : undefined;
    if (offset === undefined) {
      return validationError(
        `after must be a paging cursor from an earlier answer; got ${JSON.stringify(call.query.after)}.`,
        call.correlationId,
      );
    }
    start = offset;
  }

  const fromId = call.params.objectId ?? '';
  const ids = isRecordId(fromId) ? call.portal.associatedIds(from, fromId, to) : [];
  const page = ids.slice(start, start + limit);
  const typeId = associationTypeId(from, to);
  const results = page.map((id) => ({
    toObjectId: id,
    associationTypes: typeId === undefined ? [] : [{ category: 'HUBSPOT_DEFINED', typeId, label: null }],
  }));
  const more = start + page.length < ids.length;
  if (!more) return ok({ results });
  const after = encodeAfter(start + page.length);
  const { objectType: fromName, objectId, toObjectType: toName } = call.params;
  const link = `${call.base}/crm/v4/objects/${fromName}/${objectId}/associations/${toName}?after=${after}&limit=${limit}`;
  return ok({ results, paging: { next: { after, link } } });
}

/** Every endpoint the sandbox serves, under its prefix. */
export const HUBSPOT_ROUTES: HubspotRoute[] = [
  { method: 'GET', url: '/account-info/v3/details', handle: accountDetails },
  { method: 'GET', url: '/crm/v3/pipelines/:objectType', handle: listPipelines },
  { method: 'GET', url: '/crm/v3/pipelines/:objectType/:pipelineId', handle: getPipeline },
  { method: 'GET', url: '/crm/v3/objects/:objectType/:objectId', handle: getObject },
  { method: 'POST', url: '/crm/v3/objects/:objectType/search', search: true, handle: searchObjects },
  { method: 'POST', url: '/crm/v3/objects/:objectType/batch/read', handle: batchRead },
  { method: 'GET', url: '/crm/v4/objects/:objectType/:objectId/associations/:toObjectType', handle: listAssociations },
];
