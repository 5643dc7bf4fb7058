import { Controller, Get, Inject, NotFoundException, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConnectorRegistry, UnknownConnectorError } from '#interactions';
import { integrationDocument, integrationMarkdown, type IntegrationDocument } from './integration-document.js';
import { INTEGRATION_SETTINGS, type IntegrationSettings } from './integration-settings.js';

/**
 * The integration configuration Talkdesk asks for, generated from the connector's declaration: JSON, or Markdown for
 * the submission form (`Accept: text/markdown`, or `?format=markdown`). It holds no secret (the caller secret's field,
 * never its value), so it is served like /docs, without CRM credentials.
 */
@ApiTags('talkdesk')
@Controller(':connector/integration')
export class IntegrationController {
  constructor(
    private readonly registry: ConnectorRegistry,
    @Inject(INTEGRATION_SETTINGS) private readonly settings: IntegrationSettings,
  ) {}

  @Get()
  @ApiOperation({
    summary: "The connector's integration configuration for Talkdesk's submission form (docs/contract.md)",
  })
  @ApiParam({ name: 'connector', example: 'zendesk', description: 'The CRM: zendesk, hubspot, …' })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'markdown'] })
  @ApiProduces('application/json', 'text/markdown')
  @ApiResponse({
    status: 200,
    description:
      "Talkdesk's integration configuration (name, display_name, description, logo_url, icon_url, authentication_type, authentication_configuration), the endpoints' URLs and, for oauth2, the vendor's flow. Values the operator has not configured (BRIDGE_PUBLIC_URL, INTEGRATION_LOGO_URL, INTEGRATION_ICON_URL) are left out, and the Markdown names them.",
  })
  @ApiResponse({ status: 404, description: 'Unknown connector.' })
  document(
    @Param('connector') connector: string,
    @Query('format') format: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): IntegrationDocument | string {
    const registered = this.registry.get(connector);
    if (!registered) throw new UnknownConnectorError(`no connector named "${connector}"`);
    const generated = integrationDocument(registered, this.settings);
    if (!generated) throw new NotFoundException(`${connector} declares no Talkdesk integration`);
    void reply.header('vary', 'accept');
    if (wantsMarkdown(format, request.headers.accept)) {
      void reply.type('text/markdown; charset=utf-8');
      return integrationMarkdown(registered, generated);
    }
    return generated.document;
  }
}

/** `?format=markdown` wins; else an Accept that lists text/markdown before (or without) application/json. */
function wantsMarkdown(format: string | undefined, accept: string | undefined): boolean {
  if (format !== undefined) return format.toLowerCase() === 'markdown';
  const types = (accept ?? '').split(',').map((part) => part.split(';')[0]!.trim().toLowerCase());
  const markdown = types.indexOf('text/markdown');
  const json = types.indexOf('application/json');
  return markdown !== -1 && (json === -1 || markdown < json);
}
