import { Logger } from '@nestjs/common';
import type { CrmHttpClient } from '#crm-http';
import {
  CredentialsError,
  DeadlineExceededError,
  NotFoundError,
  isRecord,
  recordsAt,
  textField,
  type RequestContext,
  type UpstreamRecord,
} from '#interactions';
import type { HubspotConfig } from './hubspot-config.js';
import type { HubspotCredentials } from './hubspot-credentials.js';
import type { HubspotMetadataCache } from './hubspot-metadata-cache.js';
import { parseTicketPipelines, type TicketPipelines } from './hubspot-pipelines.js';
import { parseHubspotPortal, type HubspotPortal } from './hubspot-portal.js';

/** The contact properties a lookup reads. */
export const HUBSPOT_CONTACT_PROPERTIES = ['email', 'firstname', 'lastname', 'phone', 'mobilephone'];

/** HubSpot's documented page and batch sizes. */
export const HUBSPOT_LIMITS = {
  associationsPage: 500,
  batchRead: 100,
  searchPage: 100,
} as const;

export interface HubspotSearchFilter {
  propertyName: string;
  operator: 'EQ' | 'IN' | 'NOT_HAS_PROPERTY';
  value?: string;
  values?: string[];
}

export interface HubspotFilterGroup {
  filters: HubspotSearchFilter[];
}

/**
 * The HubSpot API calls of one request, bound to its token and deadline. Answers are checked at the edge
 * (recordsAt) and returned as loose records for the mappings to read. Account metadata goes through the
 * process-wide HubspotMetadataCache.
 */
export class HubspotApi {
  private readonly logger = new Logger(HubspotApi.name);

  constructor(
    private readonly http: CrmHttpClient,
    readonly credentials: HubspotCredentials,
    readonly config: HubspotConfig,
    private readonly metadata: HubspotMetadataCache,
    readonly context: RequestContext,
  ) {}

  /** GET /account-info/v3/details, uncached: does HubSpot accept this token? Refreshes the cached portal. */
  async verifyAccount(): Promise<HubspotPortal> {
    const portal = parseHubspotPortal(await this.get('/account-info/v3/details'));
    this.metadata.portals.set(this.credentials.tokenKey, portal);
    return portal;
  }

  /**
   * The portal, for record urls: cached per token. Undefined when HubSpot fails to say: the interactions are worth
   * more to an agent than their links. Rejected credentials and the deadline still fail the request.
   */
  async portal(): Promise<HubspotPortal | undefined> {
    return this.unlessFailed(
      'account details',
      this.metadata.portals.get(this.credentials.tokenKey, async () => parseHubspotPortal(await this.get('/account-info/v3/details'))),
    );
  }

  /** The ticket pipelines, cached per token; undefined (statuses left out) when HubSpot fails to say. */
  async ticketPipelines(): Promise<TicketPipelines | undefined> {
    return this.unlessFailed('ticket pipelines', this.metadata.ticketPipelines.get(this.credentials.tokenKey, () => this.loadTicketPipelines()));
  }

  /** Reads the pipelines again because `stale` lacks a stage; concurrent requests share one refetch. */
  async refreshTicketPipelines(stale: TicketPipelines): Promise<TicketPipelines | undefined> {
    return this.unlessFailed(
      'ticket pipelines',
      this.metadata.ticketPipelines.refresh(this.credentials.tokenKey, stale, () => this.loadTicketPipelines()),
    );
  }

  /** GET /crm/v3/objects/contacts/{id}, or undefined when HubSpot has no such contact. */
  async contact(id: string): Promise<UpstreamRecord | undefined> {
    try {
      const body = await this.get(`/crm/v3/objects/contacts/${encodeURIComponent(id)}`, {
        properties: HUBSPOT_CONTACT_PROPERTIES.join(','),
      });
      return isRecord(body) ? body : undefined;
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  /** POST /crm/v3/objects/contacts/search, first page: a lookup wants the best few, not everyone. */
  async searchContacts(filterGroups: HubspotFilterGroup[]): Promise<UpstreamRecord[]> {
    const body = await this.post('/crm/v3/objects/contacts/search', {
      filterGroups,
      properties: HUBSPOT_CONTACT_PROPERTIES,
      limit: HUBSPOT_LIMITS.searchPage,
    });
    return recordsAt(body, 'results', 'hubspot contact search');
  }

  /**
   * The ids of the objects of one type associated with a contact (GET /crm/v4/objects/contacts/{id}/associations/
   * {type}), following `paging.next.after` for at most `maxAssociationPages` pages. `truncated` says pages were left.
   */
  async associatedIds(contactId: string, objectType: string): Promise<{ ids: string[]; truncated: boolean }> {
    const ids: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < this.config.maxAssociationPages; page++) {
      let body: unknown;
      try {
        body = await this.get(
          `/crm/v4/objects/contacts/${encodeURIComponent(contactId)}/associations/${encodeURIComponent(objectType)}`,
          { limit: HUBSPOT_LIMITS.associationsPage, after },
        );
      } catch (error) {
        if (error instanceof NotFoundError) return { ids, truncated: false }; // the contact went away meanwhile
        throw error;
      }
      for (const association of recordsAt(body, 'results', `hubspot contact ${objectType} associations`)) {
        const id = textField(association, 'toObjectId');
        if (id) ids.push(id);
      }
      after = nextAfter(body);
      if (!after) return { ids, truncated: false };
    }
    this.logger.debug(
      `[${this.context.requestId}] contact has more than ${this.config.maxAssociationPages} pages of ${objectType}; read no further`,
    );
    return { ids, truncated: true };
  }

  /** POST /crm/v3/objects/{type}/batch/read, 100 ids per call, concurrently. Ids HubSpot does not have are left out. */
  async batchRead(objectType: string, ids: string[], properties: readonly string[]): Promise<UpstreamRecord[]> {
    const chunks: string[][] = [];
    for (let start = 0; start < ids.length; start += HUBSPOT_LIMITS.batchRead) {
      chunks.push(ids.slice(start, start + HUBSPOT_LIMITS.batchRead));
    }
    const pages = await Promise.all(
      chunks.map(async (chunk) => {
        try {
          const body = await this.post(`/crm/v3/objects/${encodeURIComponent(objectType)}/batch/read`, {
            inputs: chunk.map((id) => ({ id })),
            properties: [...properties],
            propertiesWithHistory: [],
          });
          return recordsAt(body, 'results', `hubspot ${objectType} batch read`);
        } catch (error) {
          if (error instanceof NotFoundError) return []; // none of these ids exists any more
          throw error;
        }
      }),
    );
    return pages.flat();
  }

  private async loadTicketPipelines(): Promise<TicketPipelines> {
    return parseTicketPipelines(await this.get('/crm/v3/pipelines/tickets'));
  }

  private async unlessFailed<T>(what: string, work: Promise<T>): Promise<T | undefined> {
    try {
      return await work;
    } catch (error) {
      if (error instanceof CredentialsError || error instanceof DeadlineExceededError) throw error;
      this.logger.warn(`[${this.context.requestId}] hubspot ${what} unavailable, answering without: ${(error as Error).message}`);
      return undefined;
    }
  }

  private get(path: string, params?: Record<string, string | number | undefined>): Promise<unknown> {
    return this.http.request(
      { method: 'GET', url: `${this.config.baseUrl}${path}`, params, authorization: this.credentials.authorization, read: true },
      this.context,
    );
  }

  /** Every POST this connector makes only reads (search, batch read), so it may be retried. */
  private post(path: string, body: unknown): Promise<unknown> {
    return this.http.request(
      { method: 'POST', url: `${this.config.baseUrl}${path}`, body, authorization: this.credentials.authorization, read: true },
      this.context,
    );
  }
}

function nextAfter(body: unknown): string | undefined {
  const paging = isRecord(body) && isRecord(body.paging) ? body.paging : undefined;
  const next = paging && isRecord(paging.next) ? paging.next : undefined;
  return (next && textField(next, 'after')) || undefined;
}
