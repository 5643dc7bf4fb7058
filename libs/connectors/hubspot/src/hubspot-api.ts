import { Logger } from '@nestjs/common';
import type { CrmHttpClient } from '#crm-http';
import {
  CredentialsError,
  DeadlineExceededError,
  ForbiddenError,
  NotFoundError,
  credentialMetadataOf,
  isRecord,
  recordsAt,
  textField,
  type BridgeError,
  type RequestContext,
  type UpstreamRecord,
} from '#interactions';
import type { HubspotConfig } from './hubspot-config.js';
import type { HubspotCredentials } from './hubspot-credentials.js';
import type { HubspotMetadataCache } from './hubspot-metadata-cache.js';
import { parseTicketPipelines, TicketPipelines } from './hubspot-pipelines.js';
import { asHubspotPortal, parseHubspotPortal, type HubspotPortal } from './hubspot-portal.js';

/** The contact properties a lookup reads. */
export const HUBSPOT_CONTACT_PROPERTIES = [
  'email',
  'hs_additional_emails',
  'firstname',
  'lastname',
  'phone',
  'mobilephone',
];

/** HubSpot's documented page size for the CRM search API (`limit`, at most 200). */
export const HUBSPOT_LIMITS = {
  searchPage: 200,
} as const;

export interface HubspotSearchFilter {
  propertyName: string;
  operator: 'EQ' | 'IN' | 'NOT_HAS_PROPERTY' | 'CONTAINS_TOKEN';
  value?: string;
  values?: string[];
}

export interface HubspotFilterGroup {
  filters: HubspotSearchFilter[];
}

/** The names of the token's metadata in the shared cache (CredentialMetadata). */
const SHARED_PORTAL = 'portal';
const SHARED_TICKET_PIPELINES = 'ticket-pipelines';

/**
 * The HubSpot API calls of one request, bound to its token and deadline. Answers are checked at the edge
 * (recordsAt) and returned as loose records for the mappings to read. What the bridge learns about the token (its
 * portal, its ticket pipelines) is kept in this process (HubspotMetadataCache) and shared with every replica
 * (CredentialMetadata, through the cache and Redis), so a known token costs no metadata call on any replica.
 */
export class HubspotApi {
  private readonly logger = new Logger(HubspotApi.name);

  constructor(
    private readonly http: CrmHttpClient,
    readonly credentials: HubspotCredentials,
    readonly config: HubspotConfig,
    private readonly metadata: HubspotMetadataCache,
    readonly context: RequestContext,
    /**
     * The portal Talkdesk sent back in `auth` (the validator's answer), checked for format only: it decides the
     * items' links and nothing else (docs/crms/hubspot.md, "The validator's fields").
     */
    private readonly authPortal?: HubspotPortal,
  ) {}

  /**
   * GET /account-info/v3/details, uncached: does HubSpot accept this token? What it says is kept for the token's pops,
   * here and on every replica.
   */
  async verifyAccount(): Promise<HubspotPortal> {
    const portal = parseHubspotPortal(await this.get('/account-info/v3/details'));
    this.metadata.portals.set(this.credentials.tokenKey, portal);
    await credentialMetadataOf(this.context)?.set(
      SHARED_PORTAL,
      portal,
      this.ttlSeconds(this.config.accountCacheTtlMs),
    );
    return portal;
  }

  /**
   * The portal, for record urls. The one Talkdesk sent back in `auth`, unless this process learnt another for the
   * token from HubSpot (then HubSpot's, and a warning); else the one kept for the token (here or by another
   * replica), else HubSpot's answer. Undefined when HubSpot fails to say: the interactions are worth more to an agent
   * than their links. Rejected credentials and the deadline still fail the request.
   */
  async portal(): Promise<HubspotPortal | undefined> {
    if (this.authPortal) {
      const learnt = this.metadata.portals.peek(this.credentials.tokenKey);
      if (!learnt || samePortal(learnt, this.authPortal)) return this.authPortal;
      this.logger.warn(
        `[${this.context.requestId}] hubspot: auth.hubspot_portal_id and auth.hubspot_app_host are not what HubSpot said for this token; linking to HubSpot's`,
      );
      return learnt;
    }
    return this.unlessFailed(
      'account details',
      this.metadata.portals.get(this.credentials.tokenKey, () =>
        this.shared(SHARED_PORTAL, this.config.accountCacheTtlMs, asHubspotPortal, async () =>
          parseHubspotPortal(await this.get('/account-info/v3/details')),
        ),
      ),
    );
  }

  /** The ticket pipelines, kept per token; undefined (statuses left out) when HubSpot fails to say. */
  async ticketPipelines(): Promise<TicketPipelines | undefined> {
    return this.unlessFailed(
      'ticket pipelines',
      this.metadata.ticketPipelines.get(this.credentials.tokenKey, async () => {
        const snapshot = await this.shared(
          SHARED_TICKET_PIPELINES,
          this.config.pipelinesCacheTtlMs,
          (value) => (TicketPipelines.fromSnapshot(value) ? value : undefined),
          async () => (await this.loadTicketPipelines()).snapshot(),
        );
        return TicketPipelines.fromSnapshot(snapshot)!;
      }),
    );
  }

  /** Reads the pipelines again because `stale` lacks a stage; concurrent requests share one refetch. */
  async refreshTicketPipelines(stale: TicketPipelines): Promise<TicketPipelines | undefined> {
    return this.unlessFailed(
      'ticket pipelines',
      this.metadata.ticketPipelines.refresh(this.credentials.tokenKey, stale, async () => {
        const fresh = await this.loadTicketPipelines();
        await this.shareTicketPipelines(fresh);
        return fresh;
      }),
    );
  }

  /** Gives every replica this copy of the pipelines (a refetch's, or one that learnt which stages are missing). */
  async shareTicketPipelines(pipelines: TicketPipelines): Promise<void> {
    await credentialMetadataOf(this.context)?.set(
      SHARED_TICKET_PIPELINES,
      pipelines.snapshot(),
      this.ttlSeconds(this.config.pipelinesCacheTtlMs),
    );
  }

  /**
   * What another replica (or this process, earlier) stored under `name` for this token, when it reads back as a
   * valid value; else `load()`'s, stored. Without the shared cache (the connector's unit tests), `load()`'s.
   */
  private async shared<T>(
    name: string,
    ttlMs: number,
    check: (value: unknown) => T | undefined,
    load: () => Promise<T>,
  ): Promise<T> {
    const store = credentialMetadataOf(this.context);
    if (!store) return load();
    const ttlSeconds = this.ttlSeconds(ttlMs);
    const value = check(await store.through(name, ttlSeconds, load));
    if (value !== undefined) return value;
    // A stored value this version cannot read: read HubSpot, and store what it says instead.
    const fresh = await load();
    await store.set(name, fresh, ttlSeconds);
    return fresh;
  }

  private ttlSeconds(ttlMs: number): number {
    return Math.max(1, Math.floor(ttlMs / 1000));
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
    const { results } = await this.searchObjects('contacts', {
      filterGroups,
      properties: HUBSPOT_CONTACT_PROPERTIES,
      limit: 100,
    });
    return results;
  }

  /**
   * POST /crm/v3/objects/{type}/search, one page: its records and the `after` cursor of the next page, if any.
   * Searches only read, so they are retried like GETs.
   */
  async searchObjects(
    objectType: string,
    request: {
      filterGroups: HubspotFilterGroup[];
      sorts?: { propertyName: string; direction: 'ASCENDING' | 'DESCENDING' }[];
      properties: string[];
      limit: number;
      after?: string;
    },
  ): Promise<{ results: UpstreamRecord[]; after?: string }> {
    const body = await this.post(`/crm/v3/objects/${encodeURIComponent(objectType)}/search`, request);
    const results = recordsAt(body, 'results', `hubspot ${objectType} search`, request.limit);
    return { results, after: nextAfter(body) };
  }

  private async loadTicketPipelines(): Promise<TicketPipelines> {
    return parseTicketPipelines(await this.get('/crm/v3/pipelines/tickets'));
  }

  private async unlessFailed<T>(what: string, work: Promise<T>): Promise<T | undefined> {
    try {
      return await work;
    } catch (error) {
      if (error instanceof CredentialsError || error instanceof DeadlineExceededError) throw error;
      this.logger.warn(
        `[${this.context.requestId}] hubspot ${what} unavailable, answering without: ${(error as Error).message}`,
      );
      return undefined;
    }
  }

  private get(path: string, params?: Record<string, string | number | undefined>): Promise<unknown> {
    return this.http.request(
      {
        method: 'GET',
        url: `${this.config.baseUrl}${path}`,
        params,
        authorization: this.credentials.authorization,
        read: true,
        readRefusal: readHubspotRefusal,
      },
      this.context,
    );
  }

  /** Every POST this connector makes only reads (searches), so it may be retried. */
  private post(path: string, body: unknown): Promise<unknown> {
    return this.http.request(
      {
        method: 'POST',
        url: `${this.config.baseUrl}${path}`,
        body,
        authorization: this.credentials.authorization,
        read: true,
        readRefusal: readHubspotRefusal,
      },
      this.context,
    );
  }
}

/**
 * HubSpot's 403 for a token without a scope the call needs: `category: "MISSING_SCOPES"`, the scopes under
 * `errors[].context.requiredGranularScopes` (or `requiredScopes`). Named in the error when they look like scope
 * names (`tickets`, `crm.objects.contacts.read`), nothing else from the body. Any other 403 is still forbidden.
 */
export function readHubspotRefusal(status: number, body: string): BridgeError | undefined {
  if (status !== 403) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  const scopes = new Set<string>();
  const errors = isRecord(parsed) && Array.isArray(parsed.errors) ? parsed.errors : [];
  for (const error of errors) {
    const context = isRecord(error) && isRecord(error.context) ? error.context : {};
    for (const key of ['requiredGranularScopes', 'requiredScopes']) {
      const named = context[key];
      if (!Array.isArray(named)) continue;
      for (const scope of named) if (typeof scope === 'string' && /^[a-z0-9._-]{1,64}$/i.test(scope)) scopes.add(scope);
    }
  }
  const permission = [...scopes].slice(0, 10).join(', ') || undefined;
  const missingScopes = isRecord(parsed) && parsed.category === 'MISSING_SCOPES';
  return new ForbiddenError(
    permission
      ? `hubspot refused a call (HTTP 403): the token lacks the scope ${permission}`
      : `hubspot refused a call (HTTP 403): the token lacks ${missingScopes ? 'a required scope' : 'a permission'}`,
    { permission },
  );
}

function samePortal(a: HubspotPortal, b: HubspotPortal): boolean {
  return a.portalId === b.portalId && a.appHost === b.appHost;
}

function nextAfter(body: unknown): string | undefined {
  const paging = isRecord(body) && isRecord(body.paging) ? body.paging : undefined;
  const next = paging && isRecord(paging.next) ? paging.next : undefined;
  return (next && textField(next, 'after')) || undefined;
}
