import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  finaliseInteraction,
  parsePhone,
  removeInvisibleCharacters,
  subjectFromText,
  toPlainText,
  toTalkdeskDate,
  truncateAtWord,
  type MappedInteraction,
  type UpstreamRecord,
} from '#interactions';
import {
  HUBSPOT_CALLS,
  HUBSPOT_NOTES,
  HUBSPOT_TASKS,
  hubspotEngagementToInteraction,
  hubspotTicketToInteraction,
} from '#connectors/hubspot';
import {
  salesforceCaseToInteraction,
  salesforceClassicNoteToInteraction,
  salesforceNoteToInteraction,
  salesforceTaskToInteraction,
} from '#connectors/salesforce';
import { zendeskNoteToInteraction, zendeskTicketToInteraction } from '#connectors/zendesk';
import { growth, MAX_LINEAR_GROWTH, repeatedTo, SIZE_FACTOR } from '../support/linear-time.js';

/**
 * Every cleaner and every mapping stays linear in its input, on text a CRM's user can write to cost time, up to
 * the most each CRM stores in a field (docs/contract.md, "Text"):
 * - Salesforce: 32,000 characters in a Case's or Task's Description and a classic Note's Body (long text areas);
 * - Zendesk: about 65,000 characters in a comment, the ticket's description being its first;
 * - HubSpot: 65,536 characters in a text property (a note's or task's body, a ticket's content).
 * Each record below has every field the mapping reads set to that text but its dates (a record without a date is
 * dropped before its text is read; toTalkdeskDate is measured on the text with the cleaners), and goes through its
 * mapping and then finaliseInteraction, as one item of a pop does.
 */
const SALESFORCE_DESCRIPTION_MAX = 32_000;
const ZENDESK_COMMENT_MAX = 65_000;
const HUBSPOT_PROPERTY_MAX = 65_536;
/** DESCRIPTION_MAX_LENGTH's range (docs/configuration.md). */
const DESCRIPTION_MAX_LENGTH = fc.integer({ min: 20, max: 10_000 });

/** Pieces of markup and text, repeated: unclosed tags, comments and scripts, entity floods, invisible characters. */
const hostileUnit = fc.oneof(
  fc.constantFrom(
    '<li ',
    '<a ',
    '<a b="',
    '<!--',
    '<script>',
    '<style>',
    '</',
    '<',
    '&',
    '&#x',
    '&amp',
    '<div>',
    '<p>',
    '</p>',
    '<li>x',
    '\u200D',
    '\u200B',
    '👨‍👩‍👧',
    'e\u0301',
    '.',
    ' ',
    '\n',
    '1',
    '+',
    '2026-',
  ),
  fc
    .string({
      unit: fc.constantFrom('<', '>', '/', '!', '-', '&', '#', ';', 'a', ' ', '"', '\u200D', '.'),
      maxLength: 12,
    })
    .filter((unit) => unit.length > 0),
);

/** `unit` at size `length`, and at a quarter of it. */
const sized = (unit: string, length: number) => ({
  small: repeatedTo(unit, length / SIZE_FACTOR),
  large: repeatedTo(unit, length),
});

const DATE = '2026-10-02T14:05:00Z';
const WEB = { webUrlTemplate: 'https://{subdomain}.zendesk.com', subdomain: 'acme' };
const recordUrl = (object: string, id: string) => `https://acme.my.salesforce.com/${object}/${id}`;

/** A mapping and the type it maps to, from a record whose every field holds `text`. */
const MAPPINGS: Record<string, { maxLength: number; map: (text: string) => MappedInteraction[] }> = {
  zendesk: {
    maxLength: ZENDESK_COMMENT_MAX,
    map: (text) => {
      const ticket = zendeskFields(text);
      return [
        zendeskTicketToInteraction(ticket, 'case', WEB),
        zendeskTicketToInteraction(ticket, 'task', WEB),
        zendeskNoteToInteraction(
          { id: text, plain_body: text, html_body: text, body: text, created_at: text },
          ticket,
          WEB,
        ),
      ];
    },
  },
  hubspot: {
    maxLength: HUBSPOT_PROPERTY_MAX,
    map: (text) => {
      const properties = Object.fromEntries(
        [
          'subject',
          'content',
          'createdate',
          'hs_ticket_priority',
          'hs_pipeline',
          'hs_pipeline_stage',
          ...HUBSPOT_NOTES.properties,
          ...HUBSPOT_TASKS.properties,
          ...HUBSPOT_CALLS.properties,
        ].map((property) => [property, text]),
      );
      const record: UpstreamRecord = {
        id: text,
        properties: { ...properties, createdate: DATE, hs_timestamp: DATE },
        createdAt: DATE,
      };
      return [
        hubspotTicketToInteraction(record, {}),
        ...[HUBSPOT_NOTES, HUBSPOT_TASKS, HUBSPOT_CALLS].map((kind) =>
          hubspotEngagementToInteraction(record, kind, { portalId: '1', appHost: 'app.hubspot.com' }),
        ),
      ];
    },
  },
  salesforce: {
    maxLength: SALESFORCE_DESCRIPTION_MAX,
    map: (text) => {
      const fields = ['Id', 'Subject', 'Title', 'Description', 'TextPreview', 'Body', 'Status', 'Priority'];
      const record: UpstreamRecord = {
        ...Object.fromEntries(fields.map((field) => [field, text])),
        CreatedDate: DATE,
        ActivityDate: '2026-10-02',
      };
      return [
        salesforceCaseToInteraction(record, recordUrl),
        salesforceTaskToInteraction(record, 'task', recordUrl),
        salesforceTaskToInteraction(record, 'call', recordUrl),
        salesforceNoteToInteraction(record, recordUrl),
        salesforceClassicNoteToInteraction(record, recordUrl),
      ];
    },
  },
};

function zendeskFields(text: string): UpstreamRecord {
  const fields = ['id', 'subject', 'raw_subject', 'description', 'priority', 'status', 'type'];
  return { ...Object.fromEntries(fields.map((field) => [field, text])), created_at: DATE, due_at: DATE };
}

/** Runs of each property: each measures two inputs of up to 64 K several times. */
const RUNS = 8;
/** Run first: the texts that took quadratic time in the patterns this cleaner replaced. */
const KNOWN_HOSTILE = ['<li ', '<!--', '<script>', '.'].map((unit) => [unit, 10_000] as [string, number]);
/** Each property measures dozens of inputs of up to 64 K, on a machine that may be loaded. */
const TIMEOUT_MS = 180_000;

describe('cleaning and mapping CRM text take time linear in it', () => {
  it(
    'the text cleaners, on 64 K of hostile text',
    () => {
      fc.assert(
        fc.property(hostileUnit, DESCRIPTION_MAX_LENGTH, (unit, maxLength) => {
          const { small, large } = sized(unit, HUBSPOT_PROPERTY_MAX);
          const cleaners: Record<string, (text: string) => unknown> = {
            toPlainText, // htmlToLines, joined
            removeInvisibleCharacters,
            subjectFromText: (text) => subjectFromText(text, 'Note'),
            truncateAtWord: (text) => truncateAtWord(text, maxLength),
            toTalkdeskDate,
            parsePhone,
          };
          for (const [name, clean] of Object.entries(cleaners)) {
            expect(growth(clean, small, large), `${name} of ${JSON.stringify(unit)}`).toBeLessThan(MAX_LINEAR_GROWTH);
          }
        }),
        { numRuns: RUNS, endOnFailure: true, examples: KNOWN_HOSTILE },
      );
    },
    TIMEOUT_MS,
  );

  for (const [crm, { maxLength, map }] of Object.entries(MAPPINGS)) {
    it(
      `${crm}'s mappings and finaliseInteraction, every field at ${maxLength.toLocaleString('en')} characters`,
      () => {
        fc.assert(
          fc.property(hostileUnit, DESCRIPTION_MAX_LENGTH, (unit, descriptionMaxLength) => {
            const { small, large } = sized(unit, maxLength);
            const pop = (text: string) =>
              map(text).map((item) => finaliseInteraction(item, item.type || 'case', descriptionMaxLength));
            expect(growth(pop, small, large), JSON.stringify(unit)).toBeLessThan(MAX_LINEAR_GROWTH);
          }),
          { numRuns: RUNS, endOnFailure: true, examples: KNOWN_HOSTILE },
        );
      },
      TIMEOUT_MS,
    );
  }
});
