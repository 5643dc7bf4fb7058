import {
  ArgumentsHost,
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  Optional,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  AllInteractionTypesFailedError,
  BridgeError,
  ConnectorRegistry,
  ForbiddenError,
  type BridgeErrorKind,
} from '#interactions';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  requestId: string;
  /** The kind of failure, for 5xx answers caused by the CRM. */
  cause?: BridgeErrorKind;
  /** With "every type failed": which type failed, and why. */
  failures?: { type: string; cause: BridgeErrorKind }[];
  /** With 400: each offending field and what is wrong with it. */
  fields?: { field: string; problems: string[] }[];
  /** With 401: the `auth` fields the connector needs, as its @Connector declares them. */
  authFields?: string[];
}

/** The status each kind of failure is answered with (the OpenAPI document lists each 5xx's causes from it). */
export const STATUS_BY_KIND: Record<BridgeErrorKind, HttpStatus> = {
  unknown_connector: HttpStatus.NOT_FOUND,
  credentials: HttpStatus.UNAUTHORIZED,
  not_found: HttpStatus.BAD_GATEWAY,
  rate_limited: HttpStatus.SERVICE_UNAVAILABLE,
  circuit_open: HttpStatus.SERVICE_UNAVAILABLE,
  // A missing permission or scope: the CRM refused the bridge, not Talkdesk, and no token refresh fixes it, so it
  // is an upstream failure (502, cause `forbidden`), never 401 (docs/contract.md, "When things go wrong").
  forbidden: HttpStatus.BAD_GATEWAY,
  deadline: HttpStatus.GATEWAY_TIMEOUT,
  upstream: HttpStatus.BAD_GATEWAY,
  internal: HttpStatus.INTERNAL_SERVER_ERROR,
};

/**
 * What a 5xx answer says, one sentence per kind. The error's own message names the CRM host, port, path and record
 * ids: it goes to the log line (by request id), never to the answer.
 */
const PUBLIC_MESSAGE_BY_KIND: Partial<Record<BridgeErrorKind, string>> = {
  upstream: 'the CRM failed, or answered with something the bridge cannot read',
  not_found: 'the CRM has no such record',
  deadline: 'the CRM did not answer within the deadline',
  rate_limited: 'the CRM is rate limiting the bridge; try again after Retry-After',
  circuit_open: 'the CRM keeps failing; calls to it are paused for a while, see Retry-After',
};

function publicMessage(error: BridgeError): string {
  // docs/contract.md, "When things go wrong": a forbidden type names the missing permission, so whoever fixes the app's
  // scopes knows which. The connectors keep only a scope-shaped name or plain prose there (never an id, host or
  // address).
  if (error instanceof ForbiddenError) {
    const lacking = error.permission ? `the permission or scope ${error.permission}` : 'a permission or scope';
    return `the CRM refused the call (HTTP 403): the credentials lack ${lacking}`;
  }
  return PUBLIC_MESSAGE_BY_KIND[error.kind] ?? `the CRM call failed (${error.kind})`;
}

/** What a Retry-After says when the CRM gave no figure: soon, but not at once. */
const DEFAULT_RETRY_AFTER_SECONDS = 1;

/** The longest Retry-After for a connector that declares no rate-limit window: a minute, Zendesk's window. */
const DEFAULT_MAX_RETRY_AFTER_SECONDS = 60;

/**
 * The Retry-After Talkdesk is given: whole seconds, at least 1, and never longer than the CRM's documented rate-limit
 * window (the `planLimit` each connector declares and cites: Zendesk's minute, HubSpot's ten seconds, Salesforce's
 * rolling day), since by then the CRM's allowance has come back whatever it said. A wait that fits in the request's
 * deadline the bridge does itself (libs/crm-http retries within it), so what reaches Talkdesk is longer than that
 * and bounded by the window: a CRM's `Retry-After: 999999` (or an unreadable figure) never tells Talkdesk to stay
 * away for days.
 */
export function boundedRetryAfter(seconds: number, windowSeconds: number | undefined): number {
  const longest = windowSeconds ?? DEFAULT_MAX_RETRY_AFTER_SECONDS;
  const whole = Math.ceil(seconds);
  return Number.isFinite(whole) ? Math.min(longest, Math.max(1, whole)) : longest;
}

/**
 * The one place where failures become HTTP answers (docs/contract.md, "When things go wrong"). Unexpected errors become
 * a 500 that carries only the request id; the log line carries the same id and the details. A 5xx caused by the CRM
 * gets a generic message per kind, with `cause` and `failures` (kinds only); the details are logged by request id.
 */
@Catch()
export class BridgeExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('BridgeExceptionFilter');

  constructor(@Optional() private readonly registry?: ConnectorRegistry) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    // The client went away mid-body: nobody to answer, and no fault of the bridge's (create-bridge-app.ts counts it
    // and logs it at debug).
    if (clientClosed(exception, request)) return;
    const { body, retryAfterSeconds } = this.toBody(exception, request.id);
    const name = (request.params as { connector?: string } | undefined)?.connector;
    const connector = name === undefined ? undefined : this.registry?.get(name);
    if (body.statusCode === HttpStatus.UNAUTHORIZED && connector) body.authFields = connector.authFields;
    if (retryAfterSeconds !== undefined) {
      reply.header('Retry-After', String(boundedRetryAfter(retryAfterSeconds, connector?.planLimit?.windowSeconds)));
    }
    void reply.status(body.statusCode).type('application/json; charset=utf-8').send(body);
  }

  private toBody(exception: unknown, requestId: string): { body: ErrorBody; retryAfterSeconds?: number } {
    if (exception instanceof AllInteractionTypesFailedError) {
      const decisive = exception.decisive;
      const { body, retryAfterSeconds } = this.fromBridgeError(decisive, requestId);
      body.message = `every asked interaction type failed; ${body.statusCode >= 500 ? publicMessage(decisive) : decisive.message}`;
      body.failures = exception.failures.map(({ type, error }) => ({ type, cause: error.kind }));
      return { body, retryAfterSeconds };
    }
    if (exception instanceof BridgeError) return this.fromBridgeError(exception, requestId);
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const details = typeof response === 'object' && response !== null ? (response as Partial<ErrorBody>) : {};
      return {
        body: {
          statusCode: status,
          error: httpReason(status),
          message: typeof details.message === 'string' ? details.message : exception.message,
          requestId,
          ...(details.fields ? { fields: details.fields } : {}),
        },
      };
    }
    return this.unexpected(exception, requestId);
  }

  /** A bug: the details go to the log line, the answer carries only the request id that finds it. */
  private unexpected(exception: unknown, requestId: string): { body: ErrorBody } {
    this.logger.error(
      `[${requestId}] unexpected error: ${exception instanceof Error ? exception.stack : String(exception)}`,
    );
    return {
      body: {
        statusCode: 500,
        error: httpReason(500),
        message: `unexpected error; quote request id ${requestId} when reporting it`,
        requestId,
      },
    };
  }

  private fromBridgeError(error: BridgeError, requestId: string): { body: ErrorBody; retryAfterSeconds?: number } {
    if (error.kind === 'internal') return this.unexpected(error.cause ?? error, requestId);
    const status = STATUS_BY_KIND[error.kind] ?? HttpStatus.BAD_GATEWAY;
    const body: ErrorBody = { statusCode: status, error: httpReason(status), message: error.message, requestId };
    if (status >= 500) {
      this.logger.warn(
        `[${requestId}] answered ${status} ${error.kind}: ${error.message} (attempts: ${error.attempts ?? 1})`,
      );
      body.message = publicMessage(error);
      body.cause = error.kind;
    }
    const retryAfterSeconds =
      status === HttpStatus.SERVICE_UNAVAILABLE ? (error.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS) : undefined;
    return { body, retryAfterSeconds };
  }
}

/** The body's read failed because the client closed the connection (Node's `aborted`, ECONNRESET). */
function clientClosed(exception: unknown, request: FastifyRequest): boolean {
  return (exception as { code?: unknown } | null)?.code === 'ECONNRESET' && request.raw.readableAborted;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function httpReason(status: number): string {
  return REASONS[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}
