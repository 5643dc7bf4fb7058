import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  TALKDESK_DATE_PATTERN,
  TALKDESK_PRIORITIES,
  TALKDESK_STATUSES,
  type BridgeErrorKind,
  type TalkdeskInteraction,
  type TalkdeskPriority,
  type TalkdeskStatus,
} from '#interactions';
import type { ErrorBody } from '../errors/bridge-exception.filter.js';

/**
 * The OpenAPI description of one item of the Interaction Retriever's answer. Documentation only: the core builds
 * and validates the items (interaction-merge.ts); `implements` keeps this class and the model in step.
 */
export class InteractionItemDto implements TalkdeskInteraction {
  @ApiProperty({
    description: "`<type>:<the CRM's id>`, unique within one answer and the same for a record in every answer.",
    example: 'case:1133',
  })
  id!: string;

  @ApiProperty({ example: 'Order #48213 arrived damaged' })
  subject!: string;

  @ApiPropertyOptional({ description: 'Plain text, cut at a word boundary with "…".', example: 'The box was crushed.' })
  description?: string;

  @ApiProperty({
    description: 'When it happened, in UTC.',
    pattern: TALKDESK_DATE_PATTERN.source,
    example: '2026-10-02 14:05:00 UTC',
  })
  date!: string;

  @ApiPropertyOptional({
    description: 'The page an agent opens in the CRM.',
    example: 'https://acme.zendesk.com/agent/tickets/1130',
  })
  url?: string;

  /** Its enum is the union of the connectors' types, filled in from the registry (openapi.ts). */
  @ApiProperty({ description: 'One of the asked interaction types.', example: 'case' })
  type!: string;

  @ApiPropertyOptional({ enum: TALKDESK_PRIORITIES, enumName: 'TalkdeskPriority' })
  priority?: TalkdeskPriority;

  @ApiPropertyOptional({ enum: TALKDESK_STATUSES, enumName: 'TalkdeskStatus' })
  status?: TalkdeskStatus;
}

/** Every failure kind; a Record so that a new kind does not compile until it is listed here. */
const FAILURE_KINDS: Record<BridgeErrorKind, true> = {
  unknown_connector: true,
  credentials: true,
  forbidden: true,
  not_found: true,
  rate_limited: true,
  circuit_open: true,
  deadline: true,
  upstream: true,
  internal: true,
};
const KINDS = Object.keys(FAILURE_KINDS) as BridgeErrorKind[];

export class TypeFailureDto {
  @ApiProperty({ example: 'case' })
  type!: string;

  @ApiProperty({ enum: KINDS, enumName: 'FailureKind' })
  cause!: BridgeErrorKind;
}

export class FieldProblemDto {
  @ApiProperty({ description: 'Dotted path of the offending field.', example: 'meta.interaction_types' })
  field!: string;

  @ApiProperty({ type: [String], example: ['meta.interaction_types must be an array'] })
  problems!: string[];
}

/**
 * The fields every error answer has. Alone, it is an answer written by the HTTP server itself, before any of the
 * bridge's code saw the request: a request still arriving after HTTP_REQUEST_TIMEOUT_MS (408), or one that arrived
 * while the server was closing (503). Fastify's body: no request id, and no x-request-id or Server-Timing header.
 */
export class HttpServerErrorBodyDto {
  @ApiProperty({ example: 502 })
  statusCode!: number;

  @ApiProperty({ description: 'The HTTP reason phrase.', example: 'Bad Gateway' })
  error!: string;

  @ApiProperty({ description: 'What went wrong, for a human; never a credential.' })
  message!: string;
}

/**
 * Every error answer the bridge writes, whatever its status (bridge-exception.filter.ts, the edge's hooks). The
 * document narrows it for each status: which of the optional fields that status can carry, and which causes.
 */
export class ErrorBodyDto extends HttpServerErrorBodyDto implements ErrorBody {
  @ApiProperty({ description: 'Also in the x-request-id header and in every log line of the request.' })
  requestId!: string;

  @ApiPropertyOptional({ enum: KINDS, enumName: 'FailureKind', description: 'With 5xx answers caused by the CRM.' })
  cause?: BridgeErrorKind;

  @ApiPropertyOptional({ type: [TypeFailureDto], description: 'When every asked type failed: which, and why.' })
  failures?: TypeFailureDto[];

  @ApiPropertyOptional({ type: [FieldProblemDto], description: 'With 400: each offending field.' })
  fields?: FieldProblemDto[];

  @ApiPropertyOptional({
    type: [String],
    description: "With 401: the `auth` fields the connector needs, each named first (the connector's auth schema).",
    example: ['subdomain (or account)', 'email', 'token', 'access_token'],
  })
  authFields?: string[];
}
