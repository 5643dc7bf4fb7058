import { Logger } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import { JsonLogger, logLevelsUpTo } from './logging.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  return { lines, destination: { write: (line: string) => void lines.push(JSON.parse(line)) } };
}

afterEach(() => Logger.overrideLogger(false));

describe('JsonLogger', () => {
  it('writes one JSON object per line, with the Logger’s name, and the request id a line names', () => {
    const { lines, destination } = capture();
    Logger.overrideLogger(new JsonLogger({ LOG_LEVEL: 'log' }, destination));
    const logger = new Logger('CrmHttpClient');
    logger.warn('[req-42] GET acme.zendesk.com/api/v2/users/1 failed');
    logger.log('no request named here');
    logger.log({ msg: 'request', requestId: 'req-7', status: 200 });
    expect(lines).toMatchObject([
      {
        level: 'warn',
        context: 'CrmHttpClient',
        requestId: 'req-42',
        msg: '[req-42] GET acme.zendesk.com/api/v2/users/1 failed',
      },
      { level: 'info', context: 'CrmHttpClient', msg: 'no request named here' },
      { level: 'info', context: 'CrmHttpClient', msg: 'request', requestId: 'req-7', status: 200 },
    ]);
    expect(lines[1]).not.toHaveProperty('requestId');
    expect(typeof lines[0]!.time).toBe('string');
  });

  it('tells Nest its levels, so that nobody builds a debug line that LOG_LEVEL=log would drop', () => {
    const { lines, destination } = capture();
    Logger.overrideLogger(new JsonLogger({ LOG_LEVEL: 'log' }, destination));
    expect(Logger.isLevelEnabled('debug')).toBe(false);
    expect(Logger.isLevelEnabled('log')).toBe(true);
    new Logger('x').debug('[req-1] dropped');
    expect(lines).toHaveLength(0);

    Logger.overrideLogger(new JsonLogger({ LOG_LEVEL: 'debug' }, destination));
    expect(Logger.isLevelEnabled('debug')).toBe(true);
    expect(Logger.isLevelEnabled('verbose')).toBe(false);
  });

  it('keeps an error’s stack, and redacts credentials passed as fields', () => {
    const { lines, destination } = capture();
    Logger.overrideLogger(new JsonLogger({ LOG_LEVEL: 'log' }, destination));
    new Logger('Filter').error('[req-9] unexpected error', 'Error: boom\n    at somewhere', 'Filter');
    new Logger('x').log({ msg: 'oops', auth: { token: 'secret-token' }, headers: { authorization: 'Bearer s' } });
    expect(lines[0]).toMatchObject({ level: 'error', requestId: 'req-9', stack: 'Error: boom\n    at somewhere' });
    expect(JSON.stringify(lines[1])).not.toMatch(/secret-token|Bearer s/);
  });
});

describe('logLevelsUpTo', () => {
  it('is the level and every more severe one', () => {
    expect(logLevelsUpTo('warn')).toEqual(['fatal', 'error', 'warn']);
    expect(logLevelsUpTo('verbose')).toEqual(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']);
  });
});
