import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { pino, stdTimeFunctions, type DestinationStream, type Level, type Logger } from 'pino';
import type { BridgeEnv } from '../bridge-config.js';

/** Nest's level names (LOG_LEVEL) in pino's words. */
const PINO_LEVELS: Record<BridgeEnv['LOG_LEVEL'] | 'fatal', Level> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/** The Nest log levels LOG_LEVEL turns on: it and every level more severe. */
export function logLevelsUpTo(level: BridgeEnv['LOG_LEVEL']): LogLevel[] {
  const all = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
  return all.slice(0, all.indexOf(level) + 1);
}

/**
 * LOG_FORMAT=text: Nest's console logger, for people at a terminal (each request's access line on one line, see
 * request-telemetry.ts). Undefined for LOG_FORMAT=json, which createBridgeApp turns into JsonLogger.
 */
export function textLoggerFor(env: Pick<BridgeEnv, 'LOG_FORMAT' | 'LOG_LEVEL'>): ConsoleLogger | undefined {
  return env.LOG_FORMAT === 'text'
    ? new ConsoleLogger('bridge', { logLevels: logLevelsUpTo(env.LOG_LEVEL) })
    : undefined;
}

/**
 * A line about one request starts with its id in brackets, as every such line in the code is written
 * (`[${context.requestId}] …`); the ids themselves are the edge's sanitised ones (create-bridge-app.ts).
 */
const REQUEST_PREFIX = /^\[([A-Za-z0-9._:-]{1,64})\] /;

/**
 * JSON logs through pino: one JSON object per line, with `level`, `time`, `context` (the Nest Logger's name) and
 * `msg`. A line about a request names it first (`[<request id>] …`, as the code writes every such line) and also
 * carries it as `requestId`; the access line (request-telemetry.ts) passes it as a field. Lines about the process
 * (Redis unavailable, a limiter store failing) name no request.
 *
 * Why not nestjs-pino: it finds the request's logger through an AsyncLocalStorage, and on Node 20 any AsyncLocalStorage
 * in use turns on async hooks for every promise the process makes, a cost per CRM call and per request that the
 * benchmark measured (docs/architecture.md, "Design decisions"). The lines here already name their request.
 *
 * Nothing about the request (headers, body, query) is logged: the `auth` hash and the Authorization header never
 * reach a log, and the redaction below is a second line of defence for anything that would try.
 */
export class JsonLogger extends ConsoleLogger {
  private readonly pino: Logger;

  constructor(env: Pick<BridgeEnv, 'LOG_LEVEL'>, destination?: DestinationStream) {
    // A ConsoleLogger for its levels: Nest asks it (`Logger.isLevelEnabled`) before building a debug line, where a
    // plain LoggerService would answer "every level" and every CRM call would build one for nothing.
    super({ logLevels: logLevelsUpTo(env.LOG_LEVEL) });
    const options = {
      level: PINO_LEVELS[env.LOG_LEVEL],
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label: string) => ({ level: label }) },
      redact: {
        paths: [
          'auth',
          '*.auth',
          'authorization',
          '*.authorization',
          'headers.authorization',
          '*.headers.authorization',
        ],
        censor: '[redacted]',
      },
    };
    this.pino = destination ? pino(options, destination) : pino(options);
  }

  override verbose(message: unknown, ...params: unknown[]): void {
    this.write('verbose', message, params);
  }

  override debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  override log(message: unknown, ...params: unknown[]): void {
    this.write('log', message, params);
  }

  override warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  override error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  override fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /**
   * Nest's calling convention: `logger.warn(message, context)`, where the last parameter is the Logger's name, and
   * `logger.error(message, stack, context)` for errors. A message may be an object (its fields go on the line) or
   * an Error.
   */
  private write(nestLevel: LogLevel, message: unknown, params: unknown[]): void {
    if (!this.isLevelEnabled(nestLevel)) return;
    const level = PINO_LEVELS[nestLevel];
    const fields: Record<string, unknown> = {};
    const context = params.length > 0 ? params[params.length - 1] : undefined;
    if (typeof context === 'string') fields.context = context;
    const stack = nestLevel === 'error' && params.length > 1 ? params[0] : undefined;
    if (typeof stack === 'string' && stack !== '') fields.stack = stack;
    if (message instanceof Error) {
      fields.err = message;
      this.pino[level](fields, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.pino[level](Object.assign(fields, message));
    } else {
      const text = String(message);
      const named = REQUEST_PREFIX.exec(text);
      if (named) fields.requestId = named[1];
      this.pino[level](fields, text);
    }
  }
}
