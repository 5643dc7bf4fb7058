import {
  Body,
  Controller,
  HttpCode,
  Inject,
  Injectable,
  Param,
  Post,
  Req,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import {
  ConnectorRegistry,
  Deadline,
  INTERACTION_SETTINGS,
  InteractionsService,
  UnknownConnectorError,
  type AuthFields,
  type InteractionSettings,
  type RequestContext,
  type TalkdeskInteraction,
} from '#interactions';
import { bindRequestTelemetry } from '#crm-http';
import { ApiErrorResponses, bridgeHeaders } from '../openapi/responses.js';
import { telemetryOf } from '../telemetry/request-telemetry.js';
import { InteractionItemDto } from '../openapi/response.dto.js';
import { AuthValidationRequestDto, InteractionRequestDto, toContactQuery } from './interaction-request.dto.js';

/** An unknown connector is a 404 before the body is even looked at. */
@Injectable()
class KnownConnectorGuard implements CanActivate {
  constructor(private readonly registry: ConnectorRegistry) {}

  canActivate(context: ExecutionContext): boolean {
    const name = context.switchToHttp().getRequest<FastifyRequest<{ Params: { connector: string } }>>()
      .params.connector;
    if (!this.registry.get(name)) throw new UnknownConnectorError(`no connector named "${name}"`);
    return true;
  }
}

@ApiTags('talkdesk')
@ApiParam({ name: 'connector', example: 'zendesk', description: 'The CRM: zendesk, hubspot, …' })
@Controller(':connector')
@UseGuards(KnownConnectorGuard)
export class InteractionsController {
  constructor(
    private readonly interactions: InteractionsService,
    @Inject(INTERACTION_SETTINGS) private readonly settings: InteractionSettings,
  ) {}

  @Post('interactions')
  @HttpCode(200)
  @ApiOperation({ summary: "Talkdesk's Interaction Retriever: the contact's cases, notes, tasks…, newest first" })
  @ApiResponse({
    status: 200,
    description: 'The interactions, newest first; [] when the contact is not found.',
    type: [InteractionItemDto],
    headers: bridgeHeaders(true),
  })
  @ApiErrorResponses('interactions')
  async retrieve(
    @Param('connector') connector: string,
    @Body() body: InteractionRequestDto,
    @Req() request: FastifyRequest,
  ): Promise<TalkdeskInteraction[]> {
    return this.withContext(connector, request, (context) =>
      this.interactions.retrieve(
        { auth: body.auth, types: body.meta.interaction_types, contact: toContactQuery(body.data)! },
        context,
      ),
    );
  }

  /**
   * "Implementing an Authorization Validator" (https://docs.talkdesk.com/docs/implementing-an-authorization-validator):
   * 200 when the CRM accepts the credentials, 401 otherwise; every field of the 200's JSON object is stored by
   * Talkdesk and sent back in `auth` on every later request. The object holds the connector's derived fields
   * (`@Connector({ derivedAuthFields })`), `{}` for a connector that declares none.
   */
  @Post('auth/validate')
  @HttpCode(200)
  @ApiOperation({
    summary: "Talkdesk's authorization validator: 200 with what Talkdesk stores and sends back in `auth`",
  })
  @ApiResponse({
    status: 200,
    description:
      'The CRM accepts the credentials. Talkdesk stores every field of this object and sends it back in `auth` on ' +
      "every later request: the connector's derived fields (what it learns once per account), `{}` for a connector " +
      'that declares none.',
    headers: bridgeHeaders(true),
    content: {
      'application/json': {
        schema: { type: 'object', additionalProperties: { type: 'string' } },
        examples: {
          accepted: { summary: 'Nothing to add to `auth` (zendesk, salesforce)', value: {} },
          hubspot: {
            summary: "HubSpot: the token's portal, for links without asking HubSpot again",
            value: { hubspot_portal_id: '24681357', hubspot_app_host: 'app.hubspot.com' },
          },
        },
      },
    },
  })
  @ApiErrorResponses('auth/validate')
  async validate(
    @Param('connector') connector: string,
    @Body() body: AuthValidationRequestDto,
    @Req() request: FastifyRequest,
  ): Promise<AuthFields> {
    return this.withContext(connector, request, (context) => this.interactions.verifyCredentials(body.auth, context));
  }

  /** One deadline per request; disposing it aborts whatever CRM call is still in flight. */
  private async withContext<T>(
    connector: string,
    request: FastifyRequest,
    work: (context: RequestContext) => Promise<T>,
  ): Promise<T> {
    const deadline = new Deadline(this.settings.deadlineMs);
    const telemetry = telemetryOf(request);
    const context: RequestContext = {
      requestId: request.id,
      connector,
      deadline,
      onCacheHit: () => telemetry.cacheHits++,
    };
    bindRequestTelemetry(context, telemetry);
    try {
      return await work(context);
    } finally {
      deadline.dispose();
    }
  }
}
