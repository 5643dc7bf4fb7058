import { SeededRandom } from './zendesk/random.js';

/**
 * A generated population of customers for load: as many as asked, from a seed, each with a unique phone number and
 * most with an email, so that a benchmark can call any of them by CRM id or by phone. Each CRM's generator
 * (zendesk/population.ts, hubspot/population.ts) gives them that CRM's records. The same seed gives the same people
 * and records every time; the seeded accounts tests name (seed.ts) are separate and unchanged.
 */
export interface PopulationOptions {
  /** The generator's seed. */
  seed: number;
  /** How many customers (Zendesk end users, HubSpot contacts). Default 20,000. */
  size?: number;
  /** Each customer has from 0 to this many tickets, uniformly. Default 12. */
  maxTickets?: number;
}

export const DEFAULT_POPULATION_SIZE = 20_000;
export const DEFAULT_MAX_TICKETS = 12;

export interface GeneratedPerson {
  /** 0 … size-1: which customer. */
  index: number;
  firstName: string;
  lastName: string;
  /** Unique; null for a tenth of them (found by phone only). */
  email: string | null;
  /** Unique, stored in one of several spellings of the same US number (`+1 404-555-1234`, `(404) 555-1234`, …). */
  phone: string;
  /** The same number in E.164 (`+14045551234`): what Talkdesk sends. */
  e164: string;
}

const FIRST_NAMES = (
  'Ada Amir Ana Ben Carla Chen Dara David Elena Emeka Farah Felix Grace Hana Hugo Ines Ivan Jade Jonas ' +
  'Kai Kemi Lars Leila Luca Maya Mateo Nadia Nils Omar Priya Quinn Rosa Sami Sofia Tariq Uma Victor Wen ' +
  'Yara Zoe'
).split(' ');
const LAST_NAMES = (
  'Abara Bauer Costa Dubois Eriksen Fontaine Garcia Haddad Ito Jensen Kowalski Lindqvist Moreau ' +
  'Nakamura Okafor Petrov Quispe Rossi Santos Tanaka Ueda Varga Weber Xu Yilmaz Zielinski'
).split(' ');
/** US area codes; each gives 9,000 numbers `AAA-555-1000` … `AAA-555-9999`. */
const AREA_CODES = '201 212 213 305 312 404 415 469 503 512 602 617 646 702 713 718 773 808 917 971'.split(' ');
const LINES_PER_AREA_CODE = 9_000;

/** The same number, spelled as people and imports store it. */
const SPELLINGS: ((area: string, line: string) => string)[] = [
  (area, line) => `+1 ${area}-555-${line}`,
  (area, line) => `(${area}) 555-${line}`,
  (area, line) => `${area}.555.${line}`,
  (area, line) => `+1${area}555${line}`,
  (area, line) => `${area}-555-${line}`,
];

export const MAX_POPULATION_SIZE = AREA_CODES.length * LINES_PER_AREA_CODE;

/** `size` people from `random`: names, unique emails (nine in ten) and unique phones. */
export function generatedPeople(random: SeededRandom, size: number): GeneratedPerson[] {
  if (!Number.isInteger(size) || size < 1 || size > MAX_POPULATION_SIZE) {
    throw new Error(`a population holds 1 to ${MAX_POPULATION_SIZE} people; asked for ${size}`);
  }
  return Array.from({ length: size }, (_, index) => {
    const firstName = random.pick(FIRST_NAMES);
    const lastName = random.pick(LAST_NAMES);
    const area = AREA_CODES[index % AREA_CODES.length]!;
    const line = String(1_000 + Math.floor(index / AREA_CODES.length));
    const email = random.chance(0.9) ? `${firstName}.${lastName}.${index}@example.com`.toLowerCase() : null;
    return {
      index,
      firstName,
      lastName,
      email,
      phone: random.pick(SPELLINGS)(area, line),
      e164: `+1${area}555${line}`,
    };
  });
}

export { SeededRandom };
