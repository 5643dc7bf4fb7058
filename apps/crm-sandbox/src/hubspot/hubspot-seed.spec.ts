import { describe, expect, it } from 'vitest';
import { ACME_PEOPLE } from './cast.js';
import { HUBSPOT_SANDBOX } from './fixtures.js';
import { compareIds } from './ids.js';
import type { HubspotPortalData, HubspotRecord } from './model.js';
import { OBJECT_TYPE_NAMES, OBJECT_TYPES } from './object-types.js';
import { HEAVY_TICKET_COUNT, SEED_HORIZON, seedAcme, seedGlobex, seedHubspotPortals } from './seed.js';

const acme = seedAcme();
const globex = seedGlobex();
const fixture = HUBSPOT_SANDBOX;
const { jane, heavy, phoneOnly, mobileOnly, sharedEmail, sameName, uniqueName, noAssociations } = fixture.acme.contacts;

function records(
  data: HubspotPortalData,
  type: keyof HubspotPortalData['objects'],
  recordIds: string[],
): HubspotRecord[] {
  return recordIds.map((id) => {
    const record = data.objects[type].find((candidate) => candidate.id === id);
    if (!record) throw new Error(`no ${type} ${id}`);
    return record;
  });
}

describe('hubspot seed: shape and determinism', () => {
  it('builds the same data every time', () => {
    expect(seedHubspotPortals()).toEqual(seedHubspotPortals());
    expect(JSON.stringify(seedAcme())).toBe(JSON.stringify(acme));
  });

  it('gives numeric ids that grow with creation time, per type and portal', () => {
    for (const data of [acme, globex]) {
      for (const type of OBJECT_TYPE_NAMES) {
        const list = data.objects[type];
        for (const record of list) expect(record.id).toMatch(/^\d{10,12}$/);
        for (let i = 1; i < list.length; i++) {
          expect(compareIds(list[i - 1]!.id, list[i]!.id)).toBe(-1);
          expect(list[i - 1]!.createdAt <= list[i]!.createdAt).toBe(true);
        }
      }
    }
  });

  it('uses fixed timestamps from 2025-01 to 2026-10, with the id and timestamp properties filled in', () => {
    for (const data of [acme, globex]) {
      for (const type of OBJECT_TYPE_NAMES) {
        const definition = OBJECT_TYPES[type];
        for (const record of data.objects[type]) {
          expect(record.createdAt >= '2025-01-01T00:00:00.000Z' && record.createdAt <= SEED_HORIZON).toBe(true);
          expect(record.updatedAt >= record.createdAt && record.updatedAt <= SEED_HORIZON).toBe(true);
          expect(record.properties.hs_object_id).toBe(record.id);
          expect(record.properties[definition.createdProperty]).toBe(record.createdAt);
          expect(record.properties[definition.modifiedProperty]).toBe(record.updatedAt);
          for (const name of Object.keys(record.properties)) expect(definition.properties).toHaveProperty(name);
        }
      }
    }
  });

  it('associates only records that exist, each pair once', () => {
    for (const data of [acme, globex]) {
      const contacts = new Set(data.objects.contacts.map((contact) => contact.id));
      const pairs = new Set<string>();
      for (const { contactId, toType, toId } of data.associations) {
        expect(contacts.has(contactId)).toBe(true);
        expect(data.objects[toType].some((record) => record.id === toId)).toBe(true);
        const pair = `${contactId}:${toType}:${toId}`;
        expect(pairs.has(pair)).toBe(false);
        pairs.add(pair);
      }
    }
  });

  it('seeds calls with and without a title, of several outcomes, in acme only', () => {
    const statuses = new Set(acme.objects.calls.map((call) => call.properties.hs_call_status));
    expect(statuses).toEqual(new Set(['COMPLETED', 'NO_ANSWER', 'BUSY']));
    expect(acme.objects.calls.some((call) => !call.properties.hs_call_title)).toBe(true);
    expect(fixture.acme.contacts.jane.callIds).toHaveLength(4);
    expect(globex.objects.calls).toEqual([]);
    expect(fixture.objectTypeIds.calls).toBe('0-48');
  });

  it('keeps the two portals apart: own token, portal id, ids', () => {
    expect(acme.token).toBe('pat-na1-sandbox-acme-0000-000000000001');
    expect(globex.token).toBe('pat-eu1-sandbox-globex-0000-000000000002');
    expect(acme.account.portalId).not.toBe(globex.account.portalId);
    for (const type of OBJECT_TYPE_NAMES) {
      const acmeIds = new Set(acme.objects[type].map((record) => record.id));
      expect(globex.objects[type].some((record) => acmeIds.has(record.id))).toBe(false);
    }
  });
});

describe('hubspot seed: the contacts tests name', () => {
  it('Jane: tickets in both pipelines, every stage, every priority, also none and cleared', () => {
    const tickets = records(acme, 'tickets', jane.ticketIds);
    const stages = new Set(
      tickets.map((ticket) => `${ticket.properties.hs_pipeline}/${ticket.properties.hs_pipeline_stage}`),
    );
    const { default: support, custom } = fixture.acme.pipelines;
    for (const stage of Object.values(support.stages)) expect(stages).toContain(`${support.id}/${stage}`);
    for (const stage of Object.values(custom.stages)) expect(stages).toContain(`${custom.id}/${stage}`);
    const priorities = tickets.map((ticket) => ticket.properties.hs_ticket_priority);
    expect(new Set(priorities)).toEqual(new Set(['LOW', 'MEDIUM', 'HIGH', 'URGENT', undefined, '']));
    for (const ticket of tickets) expect(ticket.properties.subject).toBeTruthy();
  });

  it('Jane: notes in rich HTML, one longer than 600 characters', () => {
    const bodies = records(acme, 'notes', jane.noteIds).map((note) => note.properties.hs_note_body!);
    const all = bodies.join('\n');
    for (const feature of ['<p>', '<br', '<ul>', '<ol>', '<li>', '<a href=', '&amp;', '&nbsp;', '&#39;'])
      expect(all).toContain(feature);
    expect(bodies.some((body) => body.length > 600)).toBe(true);
    for (const note of records(acme, 'notes', jane.noteIds)) expect(note.properties.hs_timestamp).toBeTruthy();
  });

  it('Jane: tasks of every status and priority, some due in the future', () => {
    const tasks = records(acme, 'tasks', jane.taskIds);
    expect(new Set(tasks.map((task) => task.properties.hs_task_status))).toEqual(
      new Set(['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'DEFERRED', 'COMPLETED']),
    );
    expect(new Set(tasks.map((task) => task.properties.hs_task_priority))).toEqual(
      new Set(['NONE', 'LOW', 'MEDIUM', 'HIGH']),
    );
    expect(tasks.some((task) => task.properties.hs_timestamp! > '2027-01-01')).toBe(true);
    for (const task of tasks) expect(task.properties.hs_task_subject).toBeTruthy();
  });

  it('the heavy contact has more tickets than one page of 500 associations', () => {
    expect(heavy.ticketIds).toHaveLength(HEAVY_TICKET_COUNT);
    expect(HEAVY_TICKET_COUNT).toBeGreaterThan(500);
    expect(HEAVY_TICKET_COUNT).toBeLessThanOrEqual(1000);
  });

  it('phone-only and mobile-only contacts have no email and US numbers in different spellings', () => {
    expect(phoneOnly).toMatchObject({ email: null, phone: '+1 (415) 555-0132', mobilephone: null });
    expect(mobileOnly).toMatchObject({ email: null, phone: null, mobilephone: '4155550177' });
    expect(phoneOnly.ticketIds.length + phoneOnly.noteIds.length).toBeGreaterThan(0);
    expect(mobileOnly.ticketIds.length + mobileOnly.taskIds.length).toBeGreaterThan(0);
  });

  it('two contacts share one email, each with interactions', () => {
    expect(sharedEmail.email).toBe('shared@example.com');
    expect(sharedEmail.contacts).toHaveLength(2);
    for (const contact of sharedEmail.contacts) {
      expect(contact.email).toBe(sharedEmail.email);
      expect(contact.ticketIds.length).toBeGreaterThan(0);
    }
    expect(acme.objects.contacts.filter((contact) => contact.properties.email === sharedEmail.email)).toHaveLength(2);
  });

  it('two contacts share a name; the unique name is unique; one contact has no associations', () => {
    const named = (first: string | null, last: string | null) =>
      acme.objects.contacts.filter(
        (contact) => contact.properties.firstname === first && contact.properties.lastname === last,
      );
    expect(named(sameName.firstname, sameName.lastname).map((contact) => contact.id)).toEqual(
      sameName.contacts.map((contact) => contact.id),
    );
    expect(named(uniqueName.firstname, uniqueName.lastname).map((contact) => contact.id)).toEqual([uniqueName.id]);
    expect(acme.associations.filter((association) => association.contactId === noAssociations.id)).toEqual([]);
  });

  it('globex has a contact with acme Jane’s email but other data', () => {
    const other = fixture.globex.contacts.jane;
    expect(other.email).toBe(jane.email);
    expect(other.id).not.toBe(jane.id);
    expect(other.phone).not.toBe(jane.phone);
    expect(other.ticketIds.length).toBeGreaterThan(0);
    expect(other.ticketIds.some((id) => jane.ticketIds.includes(id))).toBe(false);
  });

  it('contact ids grow with creation time across the named contacts', () => {
    const people = Object.values(ACME_PEOPLE).sort((a, b) => compareIds(a.id, b.id));
    for (let i = 1; i < people.length; i++) expect(people[i - 1]!.createdAt < people[i]!.createdAt).toBe(true);
  });
});
