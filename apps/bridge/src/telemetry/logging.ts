import {
  Injectable,
  type CallHandler,
  type DynamicModule,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { LoggerModule, PinoLogger } from 'nestjs-pino';
import { Observable } from 'rxjs';
import type { Options } from 'pino-http';
import type { IncomingMessage } from 'node:http';
import { stdTimeFunctions, type DestinationStream, type Level } from 'pino';
import type { BridgeEnv } from '../bridge-config.js';

/** Nest's level names (LOG_LEVEL) in pino's words. */
const PINO_LEVELS: Record<BridgeEnv['LOG_LEVEL'], Level> = {
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/**
 * JSON logs through pino (nestjs-pino): one JSON object per line, and every line logged while a request is served
 * carries its `requestId`, whoever logs it and without passing the id along: nestjs-pino keeps the request's logger
 * in an AsyncLocalStorage, and Nest's `Logger` instances write through it once it is the application's logger.
 *
 * The request's own line is the access log (request-telemetry.ts), so pino-http's automatic one is off. Nothing
 * about the request (headers, body, query) is serialised by pino: the `auth` hash and the Authorization header
 * never reach a log, and the redaction below is a second line of defence for anything that would try.
 */
export function pinoLoggerModule(env: BridgeEnv, destination?: DestinationStream): DynamicModule {
  const options = {
    level: PINO_LEVELS[env.LOG_LEVEL],
    autoLogging: false,
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    // Fastify has already chosen the id (the caller's x-request-id when sane) and left it on the raw request.
    genReqId: (request: IncomingMessage) => request.id ?? 'none',
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: {
      paths: ['auth', '*.auth', 'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization'],
      censor: '[redacted]',
    },
  } satisfies Options;
  return LoggerModule.forRoot({ pinoHttp: destination ? [options, destination] : options });
}

/**
 * Runs each handler inside a logging context bound to its request id. pino-http's middleware opens one too, but on
 * Fastify the body is parsed after middleware, from the socket's events, and that loses the AsyncLocalStorage
 * context for every request with a body: all of Talkdesk's. Re-entering it around the handler keeps it for every
 * line logged while the request is served, across every await below.
 */
@Injectable()
export class RequestLogContextInterceptor implements NestInterceptor {
  constructor(private readonly logger: PinoLogger) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const requestId = context.switchToHttp().getRequest<FastifyRequest>().id;
    return new Observable((subscriber) =>
      this.logger.runInContext(() => next.handle().subscribe(subscriber), { bindings: { requestId } }),
    );
  }
}
