import type { HubspotPipeline, HubspotPipelineStage } from './model.js';

/**
 * The ticket pipelines of the sandbox's portals. Every HubSpot portal has the default support pipeline (id `0`,
 * stages `1`–`4`); acme also has a custom one whose ids look like the ones HubSpot hands out for new pipelines.
 * `GET /crm/v3/pipelines/tickets` and stage `metadata.ticketState` (`OPEN`|`CLOSED`): HubSpot's "Get pipeline"
 * reference, https://developers.hubspot.com/docs/api-reference/legacy/crm/pipelines/get-pipeline
 */

/** A ticket's place: the pipeline and the stage within it (`hs_pipeline`, `hs_pipeline_stage`). */
export interface StageRef {
  pipeline: string;
  stage: string;
}

interface StageSpec {
  id: string;
  label: string;
  state: 'OPEN' | 'CLOSED';
}

function pipeline(
  id: string,
  label: string,
  displayOrder: number,
  createdAt: string,
  stages: StageSpec[],
): HubspotPipeline {
  return {
    id,
    label,
    displayOrder,
    archived: false,
    createdAt,
    updatedAt: createdAt,
    stages: stages.map((stage, index): HubspotPipelineStage => ({
      id: stage.id,
      label: stage.label,
      displayOrder: index,
      archived: false,
      createdAt,
      updatedAt: createdAt,
      metadata: { ticketState: stage.state },
      writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
    })),
  };
}

/** HubSpot's default support pipeline: New, Waiting on contact, Waiting on us, Closed. */
export const DEFAULT_PIPELINE = {
  id: '0',
  label: 'Support Pipeline',
  stages: { new: '1', waitingOnContact: '2', waitingOnUs: '3', closed: '4' },
} as const;

/** acme's custom pipeline for escalated tickets: a first stage, two middle stages, a closed stage. */
export const ESCALATIONS_PIPELINE = {
  id: '734512908',
  label: 'Escalations',
  stages: { triage: '1051926431', investigating: '1051926432', fixScheduled: '1051926433', resolved: '1051926434' },
} as const;

export const ticketStage = {
  new: { pipeline: DEFAULT_PIPELINE.id, stage: DEFAULT_PIPELINE.stages.new },
  waitingOnContact: { pipeline: DEFAULT_PIPELINE.id, stage: DEFAULT_PIPELINE.stages.waitingOnContact },
  waitingOnUs: { pipeline: DEFAULT_PIPELINE.id, stage: DEFAULT_PIPELINE.stages.waitingOnUs },
  closed: { pipeline: DEFAULT_PIPELINE.id, stage: DEFAULT_PIPELINE.stages.closed },
  triage: { pipeline: ESCALATIONS_PIPELINE.id, stage: ESCALATIONS_PIPELINE.stages.triage },
  investigating: { pipeline: ESCALATIONS_PIPELINE.id, stage: ESCALATIONS_PIPELINE.stages.investigating },
  fixScheduled: { pipeline: ESCALATIONS_PIPELINE.id, stage: ESCALATIONS_PIPELINE.stages.fixScheduled },
  resolved: { pipeline: ESCALATIONS_PIPELINE.id, stage: ESCALATIONS_PIPELINE.stages.resolved },
} satisfies Record<string, StageRef>;

export function defaultPipeline(createdAt: string): HubspotPipeline {
  const { id, label, stages } = DEFAULT_PIPELINE;
  return pipeline(id, label, 0, createdAt, [
    { id: stages.new, label: 'New', state: 'OPEN' },
    { id: stages.waitingOnContact, label: 'Waiting on contact', state: 'OPEN' },
    { id: stages.waitingOnUs, label: 'Waiting on us', state: 'OPEN' },
    { id: stages.closed, label: 'Closed', state: 'CLOSED' },
  ]);
}

export function escalationsPipeline(createdAt: string): HubspotPipeline {
  const { id, label, stages } = ESCALATIONS_PIPELINE;
  return pipeline(id, label, 1, createdAt, [
    { id: stages.triage, label: 'Triage', state: 'OPEN' },
    { id: stages.investigating, label: 'Engineering investigating', state: 'OPEN' },
    { id: stages.fixScheduled, label: 'Fix scheduled', state: 'OPEN' },
    { id: stages.resolved, label: 'Resolved', state: 'CLOSED' },
  ]);
}

/** Whether a stage of these pipelines is a closed one. */
export function isClosedStage(pipelines: HubspotPipeline[], ref: StageRef): boolean {
  const stage = pipelines.find((p) => p.id === ref.pipeline)?.stages.find((s) => s.id === ref.stage);
  return stage?.metadata.ticketState === 'CLOSED';
}
