import { describe, expect, it } from 'vitest';
import { finaliseInteraction, TALKDESK_STATUSES, type MappedInteraction } from '#interactions';
import { ticketPipelines, ticketsSearch } from '../test-fixtures/hubspot-payloads.js';
import { parseTicketPipelines } from './hubspot-pipelines.js';
import type { HubspotPortal } from './hubspot-portal.js';
import { hubspotTicketToInteraction } from './hubspot-ticket-mapping.js';

const portal: HubspotPortal = { portalId: '2451003', appHost: 'app.hubspot.com' };
const pipelines = parseTicketPipelines(ticketPipelines);
const [onboarding, damaged] = ticketsSearch.results;

function ticket(properties: Record<string, unknown>) {
  return { ...damaged!, properties: { ...damaged!.properties, ...properties } };
}

/** What Talkdesk gets for a mapped record: the core's finalisation applied, as the service does. */
function talkdesk(mapped: MappedInteraction) {
  return finaliseInteraction(mapped, mapped.type, 500)?.interaction;
}

describe('HubSpot ticket → Talkdesk case', () => {
  it('maps subject, content as plain text, createdate, priority, stage status and the record page', () => {
    expect(talkdesk(hubspotTicketToInteraction(damaged!, { portal, pipelines }))).toEqual({
      id: 'case:7310',
      type: 'case',
      subject: 'Order #88213 arrived damaged',
      description: 'Hi, The box was crushed and the lamp inside is broken. Thanks, Jane',
      date: '2026-09-14 08:03:27 UTC',
      url: 'https://app.hubspot.com/contacts/2451003/record/0-5/7310',
      priority: 'high',
      status: 'open',
    });
  });

  it.each([
    ['LOW', 'low'],
    ['MEDIUM', 'normal'],
    ['HIGH', 'high'],
    ['URGENT', 'urgent'],
  ])('hs_ticket_priority %s → %s', (priority, expected) => {
    expect(hubspotTicketToInteraction(ticket({ hs_ticket_priority: priority }), { pipelines }).priority).toBe(expected);
  });

  it.each([[null], [''], ['CRITICAL'], ['high'], ['constructor']])('leaves out hs_ticket_priority %j', (priority) => {
    expect(
      hubspotTicketToInteraction(ticket({ hs_ticket_priority: priority }), { pipelines }).priority,
    ).toBeUndefined();
  });

  it.each([
    ['the first stage of the default pipeline', '0', '1', 'new'],
    ['a later open stage', '0', '2', 'open'],
    ['another open stage', '0', '3', 'open'],
    ['a CLOSED stage', '0', '4', 'closed'],
    ['the lowest displayOrder of a custom pipeline, listed third', '81234567', '90000001', 'new'],
    ['a later open stage of a custom pipeline', '81234567', '90000002', 'open'],
    ['a CLOSED stage of a custom pipeline', '81234567', '90000003', 'closed'],
    ['an archived stage that once came first (it is not the first any more)', '81234567', '90000009', 'open'],
  ])('status of %s', (_name, pipeline, stage, expected) => {
    const mapped = hubspotTicketToInteraction(ticket({ hs_pipeline: pipeline, hs_pipeline_stage: stage }), {
      pipelines,
    });
    expect(mapped.status).toBe(expected);
  });

  it('finds the stage without hs_pipeline when only one pipeline has it', () => {
    expect(
      hubspotTicketToInteraction(ticket({ hs_pipeline: null, hs_pipeline_stage: '90000003' }), { pipelines }).status,
    ).toBe('closed');
  });

  it.each([
    ['an unknown stage', '0', '999'],
    ['a stage of another pipeline', '0', '90000001'],
    ['no stage', '0', null],
  ])('leaves the status out for %s', (_name, pipeline, stage) => {
    expect(
      hubspotTicketToInteraction(ticket({ hs_pipeline: pipeline, hs_pipeline_stage: stage }), { pipelines }).status,
    ).toBeUndefined();
  });

  it('leaves status and url out when the pipelines and portal could not be read', () => {
    const mapped = hubspotTicketToInteraction(damaged!, {});
    expect(mapped.status).toBeUndefined();
    expect(mapped.url).toBeUndefined();
  });

  it('uses the first words of the content when the subject is empty, else the type', () => {
    expect(talkdesk(hubspotTicketToInteraction(ticket({ subject: '' }), {}))!.subject).toBe('Hi,');
    expect(talkdesk(hubspotTicketToInteraction(ticket({ subject: null, content: null }), {}))!.subject).toBe('Case');
    expect(talkdesk(hubspotTicketToInteraction(onboarding!, {}))!.description).toBeUndefined();
  });

  it('shows a subject with entities as the text it stands for', () => {
    const mapped = hubspotTicketToInteraction(
      ticket({ subject: 'Invoice &quot;INV-2231&quot; shows the wrong VAT&nbsp;rate' }),
      {},
    );
    expect(talkdesk(mapped)!.subject).toBe('Invoice "INV-2231" shows the wrong VAT rate');
  });

  it('is dated by the record’s createdAt when createdate is missing, which the core counts', () => {
    expect(
      finaliseInteraction(hubspotTicketToInteraction(ticket({ createdate: null }), {}), 'case', 500),
    ).toMatchObject({
      interaction: { date: '2026-09-14 08:03:27 UTC' },
      datedByCreation: true,
    });
  });

  it('produces an item the core drops when HubSpot sends a ticket without id or date', () => {
    expect(
      finaliseInteraction(hubspotTicketToInteraction({ properties: { subject: 'x' } }, {}), 'case', 500),
    ).toBeUndefined();
    const undated = { id: '1', properties: { subject: 'x', createdate: 'soon' } };
    expect(finaliseInteraction(hubspotTicketToInteraction(undated, {}), 'case', 500)).toBeUndefined();
  });

  it('gives a ticket in each known stage of the pipeline a status', () => {
    for (const stage of ['1', '2', '4']) {
      const status = hubspotTicketToInteraction(ticket({ hs_pipeline_stage: stage }), { pipelines }).status;
      expect(TALKDESK_STATUSES).toContain(status);
    }
  });
});
