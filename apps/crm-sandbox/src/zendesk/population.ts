import {
  DEFAULT_MAX_TICKETS,
  DEFAULT_POPULATION_SIZE,
  generatedPeople,
  type GeneratedPerson,
  type PopulationOptions,
} from '../population.js';
import { TIME_ZONES, type PersonSpec, type TenantCast, type TimeZoneKey } from './cast.js';
import type { ZendeskTenantData } from './model.js';
import { TenantBuilder } from './seed.js';

/** A generated Zendesk account: its subdomain, credentials and plan besides the population's size and seed. */
export interface ZendeskPopulationOptions extends PopulationOptions {
  /** Default `peak`. */
  subdomain?: string;
  /** The account's plan, requests a minute (Zendesk Enterprise: 700); the sandbox's default when unset. */
  rateLimitPerMinute?: number;
}

/** The agent the credentials belong to, as for the seeded accounts: Basic `{email}/token:{token}` or Bearer. */
export function populationCredentials(subdomain: string): TenantCast['credentials'] {
  return {
    email: `agent@${subdomain}.example`,
    token: `${subdomain}-sandbox-api-token`,
    accessToken: `${subdomain}-sandbox-oauth-token`,
  };
}

const FIRST_USER_ID = 380_000_000_000;
const ZONES = Object.keys(TIME_ZONES) as TimeZoneKey[];

/**
 * A Zendesk account with `size` end users, each with 0 to `maxTickets` tickets (a quarter of them tasks at most),
 * their comments, and internal notes on about a third of the tickets that have more than a description, built by the
 * seed's own TenantBuilder. Everything follows from the seed.
 */
export function generateZendeskPopulation(options: ZendeskPopulationOptions): ZendeskTenantData {
  const subdomain = options.subdomain ?? 'peak';
  const credentials = populationCredentials(subdomain);
  const agent = (id: number, name: string, email: string, role: 'admin' | 'agent'): PersonSpec => ({
    id,
    name,
    email,
    phone: null,
    role,
    zone: 'eastern',
    createdAt: '2024-10-01T09:00:00Z',
  });
  const tenant = new TenantBuilder({
    subdomain,
    company: subdomain.charAt(0).toUpperCase() + subdomain.slice(1),
    seed: options.seed,
    credentials,
    agents: [
      agent(FIRST_USER_ID - 3, 'Morgan Lee', credentials.email, 'admin'),
      agent(FIRST_USER_ID - 2, 'Sasha Novak', `sasha.novak@${subdomain}.example`, 'agent'),
      agent(FIRST_USER_ID - 1, 'Jordan Reyes', `jordan.reyes@${subdomain}.example`, 'agent'),
    ],
    firstTicketId: 100_001,
    firstCommentId: 40_000_000_001,
    firstAuditId: 41_000_000_001,
    brandId: 380_000_200_001,
    ticketFormId: 380_000_300_001,
    groupId: 380_000_400_001,
    customStatusBase: 380_000_500_001,
  });
  const people = generatedPeople(tenant.random, options.size ?? DEFAULT_POPULATION_SIZE).map((person) =>
    endUser(person, tenant.random.pick(ZONES)),
  );
  for (const person of people) tenant.addUser(person);
  const maxTickets = options.maxTickets ?? DEFAULT_MAX_TICKETS;
  for (const person of people) {
    const count = tenant.random.int(0, maxTickets);
    tenant.generate(person, {
      count,
      tasks: tenant.random.int(0, Math.floor(count / 4)),
      channel: person.email === null ? 'voice' : undefined,
      notes: 0.35,
    });
  }
  return { ...tenant.build(), rateLimitPerMinute: options.rateLimitPerMinute };
}

/** The Zendesk user id of the population's `index`-th end user. */
export function populationUserId(index: number): number {
  return FIRST_USER_ID + index;
}

function endUser(person: GeneratedPerson, zone: TimeZoneKey): PersonSpec {
  return {
    id: populationUserId(person.index),
    name: `${person.firstName} ${person.lastName}`,
    email: person.email,
    phone: person.phone,
    zone,
    createdAt: new Date(Date.parse('2024-11-01T00:00:00Z') + person.index * 60_000).toISOString().replace('.000', ''),
  };
}
