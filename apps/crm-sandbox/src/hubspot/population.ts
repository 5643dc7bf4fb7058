import {
  DEFAULT_MAX_TICKETS,
  DEFAULT_POPULATION_SIZE,
  generatedPeople,
  SeededRandom,
  type PopulationOptions,
} from '../population.js';
import { ACME_CAST, type PortalCast } from './cast.js';
import { NOTE_HTML, SHORT_NOTES } from './content.js';
import type { HubspotPortalData } from './model.js';
import { defaultPipeline, escalationsPipeline } from './pipelines.js';
import { at, DAY, generatedTicket, HOUR, MINUTE, plus, PortalBuilder, taskFrom, type TaskSeed } from './seed.js';

/** A generated HubSpot portal: its key and tokens besides the population's size and seed. */
export interface HubspotPopulationOptions extends PopulationOptions {
  /** Default `peak`. */
  key?: string;
  /** Private apps installed besides the one the bridge uses (the account's other integrations). Default 1. */
  otherApps?: number;
}

/** The token of the portal's first private app (the bridge's), and of its `n`-th other app. */
export function populationToken(key: string, otherApp?: number): string {
  return otherApp === undefined
    ? `pat-na1-sandbox-${key}-0000-000000000001`
    : `pat-na1-sandbox-${key}-other-${String(otherApp).padStart(4, '0')}`;
}

const FIRST_CONTACT_ID = 30_500_000_000;
const FROM = Date.parse('2025-01-06T00:00:00Z');
const TO = Date.parse('2026-10-20T00:00:00Z');
const TASK_STATUSES: TaskSeed['status'][] = ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'DEFERRED', 'COMPLETED'];
const TASK_PRIORITIES: TaskSeed['priority'][] = ['NONE', 'LOW', 'MEDIUM', 'HIGH'];
const NOTES = [...SHORT_NOTES, NOTE_HTML.callRecap, NOTE_HTML.entities, NOTE_HTML.steps];

/**
 * A HubSpot portal with `size` contacts, each associated with 0 to `maxTickets` tickets, 0 to 6 notes, 0 to 3 tasks
 * and 0 to 3 calls, at moments spread over the seeded period, built by the seed's own PortalBuilder. Everything
 * follows from the seed.
 */
export function generateHubspotPopulation(options: HubspotPopulationOptions): HubspotPortalData {
  const key = options.key ?? 'peak';
  const cast: PortalCast = {
    key,
    token: populationToken(key),
    // A US account like acme's, another portal id.
    account: { ...ACME_CAST.account, portalId: 51_000_000 + (options.seed % 1_000_000), additionalCurrencies: [] },
    idBases: { tickets: 5_000_000_001, notes: 80_000_000_001, tasks: 90_000_000_001, calls: 95_000_000_001 },
  };
  const pipelines = [defaultPipeline(at('2024-12-02T09:00:00')), escalationsPipeline(at('2024-12-02T09:00:00'))];
  const portal = new PortalBuilder(cast, pipelines);
  const random = new SeededRandom(options.seed);
  const maxTickets = options.maxTickets ?? DEFAULT_MAX_TICKETS;
  const moment = () => new Date(FROM + Math.floor((random.next() * (TO - FROM)) / 1000) * 1000).toISOString();
  let n = 0;
  for (const person of generatedPeople(random, options.size ?? DEFAULT_POPULATION_SIZE)) {
    const contact = portal.contact({
      id: String(FIRST_CONTACT_ID + person.index),
      createdAt: new Date(Date.parse('2024-12-01T00:00:00Z') + person.index * MINUTE).toISOString(),
      firstname: person.firstName,
      lastname: person.lastName,
      email: person.email ?? undefined,
      phone: person.phone,
      lifecyclestage: 'customer',
    });
    for (let k = random.int(0, maxTickets); k > 0; k--) {
      const created = moment();
      portal.ticket(contact, generatedTicket(n++, created, Date.parse(created) > TO - 60 * DAY));
    }
    for (let k = random.int(0, 6); k > 0; k--) portal.note(contact, { at: moment(), html: random.pick(NOTES) });
    for (let k = random.int(0, 3); k > 0; k--) {
      const created = moment();
      portal.task(contact, {
        ...taskFrom(n++),
        at: created,
        due: plus(created, random.int(1, 14) * DAY + 17 * HOUR),
        status: random.pick(TASK_STATUSES),
        priority: random.pick(TASK_PRIORITIES),
      });
    }
    for (let k = random.int(0, 3); k > 0; k--) {
      portal.call(contact, {
        at: moment(),
        title: random.chance(0.8) ? `Call with ${person.firstName} ${person.lastName}` : null,
        body: random.chance(0.7) ? random.pick(NOTES) : null,
        status: random.chance(0.85) ? 'COMPLETED' : 'NO_ANSWER',
        direction: random.chance(0.7) ? 'INBOUND' : 'OUTBOUND',
        durationSeconds: random.int(20, 1_800),
      });
    }
  }
  const otherApps = options.otherApps ?? 1;
  return {
    ...portal.build(),
    otherTokens: Array.from({ length: otherApps }, (_, index) => populationToken(key, index + 1)),
  };
}

/** The HubSpot contact id of the population's `index`-th contact. */
export function populationContactId(index: number): string {
  return String(FIRST_CONTACT_ID + index);
}
