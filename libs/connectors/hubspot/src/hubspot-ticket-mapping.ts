import {
  mapEnum,
  toTalkdeskDate,
  type MappedInteraction,
  type TalkdeskPriority,
  type TalkdeskStatus,
  type UpstreamRecord,
} from '#interactions';
import type { HubspotObjectKind } from './hubspot-associated-objects.js';
import type { TicketPipelines, TicketStage, TicketStageRef } from './hubspot-pipelines.js';
import { hubspotRecordUrl, type HubspotPortal } from './hubspot-portal.js';
import { hubspotCreatedDate, hubspotId, hubspotProperty } from './hubspot-record.js';

/** HubSpot tickets become Talkdesk `case`s. */
export const HUBSPOT_TICKETS: HubspotObjectKind = {
  objectType: 'tickets',
  objectTypeId: '0-5',
  createdProperty: 'createdate',
  properties: ['subject', 'content', 'createdate', 'hs_ticket_priority', 'hs_pipeline', 'hs_pipeline_stage'],
};

/** `hs_ticket_priority` → Talkdesk priority. HubSpot has no "none": a ticket without one is left without. */
export const HUBSPOT_TICKET_PRIORITY: Record<string, TalkdeskPriority> = {
  LOW: 'low',
  MEDIUM: 'normal',
  HIGH: 'high',
  URGENT: 'urgent',
};

/**
 * A ticket's status comes from its pipeline stage: a stage whose `ticketState` is CLOSED → closed; the first stage
 * of its pipeline (lowest displayOrder) → new; any other → open. An unknown stage gives no status.
 */
export function hubspotTicketStatus(stage: TicketStage | undefined): TalkdeskStatus | undefined {
  if (!stage) return undefined;
  if (stage.closed) return 'closed';
  return stage.first ? 'new' : 'open';
}

export function hubspotTicketStageRef(ticket: UpstreamRecord): TicketStageRef {
  return { pipelineId: hubspotProperty(ticket, 'hs_pipeline'), stageId: hubspotProperty(ticket, 'hs_pipeline_stage') };
}

/**
 * A HubSpot ticket as a Talkdesk `case`, dated by `createdate`, else the record's `createdAt`. Fields HubSpot left
 * out stay out; texts are passed as HubSpot has them (the core cleans them, and gives a ticket without a subject
 * the first line of its content) and the core drops an item that cannot be made valid (no id, no date).
 */
export function hubspotTicketToInteraction(
  ticket: UpstreamRecord,
  account: { portal?: HubspotPortal; pipelines?: TicketPipelines },
): MappedInteraction {
  const id = hubspotId(ticket);
  const { pipelineId, stageId } = hubspotTicketStageRef(ticket);
  return {
    id,
    type: 'case',
    subject: hubspotProperty(ticket, 'subject') ?? '',
    description: hubspotProperty(ticket, 'content'),
    date: toTalkdeskDate(hubspotProperty(ticket, 'createdate')) ?? '',
    createdDate: hubspotCreatedDate(ticket),
    url: hubspotRecordUrl(account.portal, HUBSPOT_TICKETS.objectTypeId, id),
    priority: mapEnum(HUBSPOT_TICKET_PRIORITY, hubspotProperty(ticket, 'hs_ticket_priority')),
    status: hubspotTicketStatus(account.pipelines?.stage(pipelineId, stageId)),
  };
}
