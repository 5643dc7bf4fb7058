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
  type InteractionSettings,
  type RequestContext,
  type TalkdeskInteraction,
} from '#interactions';
import { AuthValidationRequestDto, InteractionRequestDto, toContactQuery } from './interaction-request.dto.js';

/** An unknown connector is a 404 before the body is even looked at. */
@Injectable()
class KnownConnectorGuard implements CanActivate {
  constructor(private readonly registry: ConnectorRegistry) {}

  canActivate(context: ExecutionContext): boolean {
    const name = context.switchToHttp().getRequest<FastifyRequest<{ Params: { connector: string } }>>().params.connector;
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
  @ApiResponse({ status: 200, description: 'The interactions; [] when the contact is not found.' })
  @ApiResponse({ status: 400, description: 'The body is not of the documented shape; the body names each field.' })
  @ApiResponse({ status: 401, description: 'Credentials missing, malformed or rejected by the CRM.' })
  @ApiResponse({ status: 404, description: 'Unknown connector.' })
  @ApiResponse({ status: 502, description: 'Every asked type failed at the CRM.' })
  @ApiResponse({ status: 503, description: 'The CRM is rate limiting or failing; see Retry-After.' })
  @ApiResponse({ status: 504, description: 'The deadline passed before the CRM answered.' })
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

  @Post('auth/validate')
  @HttpCode(204)
  @ApiOperation({ summary: "Talkdesk's authorization validator: 204 when the CRM accepts the credentials" })
  @ApiResponse({ status: 204, description: 'The CRM accepts the credentials.' })
  @ApiResponse({ status: 401, description: 'Credentials missing, malformed or rejected by the CRM.' })
  async validate(
    @Param('connector') connector: string,
    @Body() body: AuthValidationRequestDto,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.withContext(connector, request, (context) => this.interactions.verifyCredentials(body.auth, context));
  }

  /** One deadline per request; disposing it aborts whatever CRM call is still in flight. */
  private async withContext<T>(
    connector: string,
    request: FastifyRequest,
    work: (context: RequestContext) => Promise<T>,
  ): Promise<T> {
    const deadline = new Deadline(this.settings.deadlineMs);
    try {
      return await work({ requestId: request.id, connector, deadline });
    } finally {
      deadline.dispose();
    }
  }
}
