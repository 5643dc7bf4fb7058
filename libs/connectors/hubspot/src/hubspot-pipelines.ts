import { isRecord, recordsAt, textField, type UpstreamRecord } from '#interactions';
import type { HubspotApi } from './hubspot-api.js';

/** One stage of a ticket pipeline, as the status rules need it. */
export interface TicketStage {
  id: string;
  pipelineId: string;
  /** `metadata.ticketState` is CLOSED. */
  closed: boolean;
  /** The stage with the lowest displayOrder of its pipeline: where new tickets land. */
  first: boolean;
}

/** The account's ticket pipelines (GET /crm/v3/pipelines/tickets), indexed by pipeline and stage id. */
export class TicketPipelines {
  private readonly byPipeline = new Map<string, Map<string, TicketStage>>();
  private readonly byStageId = new Map<string, TicketStage[]>();
  /** Stages still unknown after a refetch: not worth another one until this copy expires. */
  readonly confirmedMissing = new Set<string>();

  constructor(private readonly stages: TicketStage[]) {
    for (const stage of stages) {
      let pipeline = this.byPipeline.get(stage.pipelineId);
      if (!pipeline) this.byPipeline.set(stage.pipelineId, (pipeline = new Map()));
      pipeline.set(stage.id, stage);
      this.byStageId.set(stage.id, [...(this.byStageId.get(stage.id) ?? []), stage]);
    }
  }

  /** What the shared cache keeps (plain JSON), read back with `fromSnapshot`. */
  snapshot(): TicketPipelinesSnapshot {
    return { stages: this.stages, confirmedMissing: [...this.confirmedMissing] };
  }

  /**
   * Pipelines from the shared cache, checked like any answer: undefined when the value is not a snapshot (another
   * version's, or damaged), so the caller reads them from HubSpot again.
   */
  static fromSnapshot(value: unknown): TicketPipelines | undefined {
    if (!isRecord(value) || !Array.isArray(value.stages) || !Array.isArray(value.confirmedMissing)) return undefined;
    const stages = value.stages.filter(
      (stage): stage is TicketStage =>
        isRecord(stage) &&
        typeof stage.id === 'string' &&
        typeof stage.pipelineId === 'string' &&
        typeof stage.closed === 'boolean' &&
        typeof stage.first === 'boolean',
    );
    if (stages.length !== value.stages.length) return undefined;
    const pipelines = new TicketPipelines(
      stages.map(({ id, pipelineId, closed, first }) => ({ id, pipelineId, closed, first })),
    );
    for (const key of value.confirmedMissing) if (typeof key === 'string') pipelines.confirmedMissing.add(key);
    return pipelines;
  }

  /** The stage of a ticket; without a pipeline id, only a stage id that no two pipelines share. */
  stage(pipelineId: string | undefined, stageId: string | undefined): TicketStage | undefined {
    if (!stageId) return undefined;
    if (pipelineId) return this.byPipeline.get(pipelineId)?.get(stageId);
    const candidates = this.byStageId.get(stageId) ?? [];
    return candidates.length === 1 ? candidates[0] : undefined;
  }
}

export interface TicketPipelinesSnapshot {
  stages: TicketStage[];
  confirmedMissing: string[];
}

/** A ticket's pipeline and stage ids, as read from its properties. */
export interface TicketStageRef {
  pipelineId?: string;
  stageId?: string;
}

export function stageRefKey(ref: TicketStageRef): string {
  return `${ref.pipelineId ?? ''}/${ref.stageId ?? ''}`;
}

/**
 * Reads the pipelines answer. A stage's order is its displayOrder (then its position, for ties); archived stages are
 * kept so that old tickets still get a status, but never count as a pipeline's first stage.
 */
export function parseTicketPipelines(body: unknown): TicketPipelines {
  const stages: TicketStage[] = [];
  for (const pipeline of recordsAt(body, 'results', 'hubspot ticket pipelines')) {
    const pipelineId = textField(pipeline, 'id');
    if (!pipelineId || !Array.isArray(pipeline.stages)) continue;
    const records = pipeline.stages.filter(isRecord);
    const first = firstStage(records);
    for (const record of records) {
      const id = textField(record, 'id');
      if (!id) continue;
      const metadata = isRecord(record.metadata) ? record.metadata : {};
      const ticketState = textField(metadata, 'ticketState')?.toUpperCase();
      stages.push({ id, pipelineId, closed: ticketState === 'CLOSED', first: record === first });
    }
  }
  return new TicketPipelines(stages);
}

function firstStage(stages: UpstreamRecord[]): UpstreamRecord | undefined {
  let first: UpstreamRecord | undefined;
  let lowest = Infinity;
  for (const stage of stages) {
    if (stage.archived === true || !textField(stage, 'id')) continue;
    const order = Number(stage.displayOrder);
    const rank = Number.isFinite(order) ? order : Infinity;
    if (first === undefined || rank < lowest) {
      first = stage;
      lowest = rank;
    }
  }
  return first;
}

/**
 * The pipelines, made to know the stages of these tickets when they can: a stage missing from the cached copy
 * (created since it was read) triggers one refetch; a stage still missing after it is remembered as such until the
 * copy expires, and its tickets go without a status.
 */
export async function pipelinesKnowing(
  api: HubspotApi,
  pipelines: TicketPipelines | undefined,
  refs: TicketStageRef[],
): Promise<TicketPipelines | undefined> {
  if (!pipelines) return undefined;
  const unknown = refs.filter(
    (ref) =>
      ref.stageId && !pipelines.stage(ref.pipelineId, ref.stageId) && !pipelines.confirmedMissing.has(stageRefKey(ref)),
  );
  if (unknown.length === 0) return pipelines;
  const fresh = await api.refreshTicketPipelines(pipelines);
  if (!fresh) return pipelines;
  const missing = unknown.filter((ref) => !fresh.stage(ref.pipelineId, ref.stageId));
  for (const ref of missing) fresh.confirmedMissing.add(stageRefKey(ref));
  // Other replicas learn it too, and do not refetch for the same stage.
  if (missing.length > 0) await api.shareTicketPipelines(fresh);
  return fresh;
}
