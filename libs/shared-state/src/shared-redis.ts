import { Logger } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';

/** Where the shared state lives, from REDIS_URL and friends (validated by the bridge's config at boot). */
export interface SharedStateSettings {
  /** `redis://host:6379/0` or `rediss://…`; undefined keeps everything in this process's memory. */
  url?: string;
  /** Prepended to every key, so that several deployments (or test runs) can share one Redis. */
  keyPrefix: string;
  /**
   * A command that takes longer fails, and its caller falls back to memory: Redis must never hold a screen pop
   * past its deadline. Loopback Redis answers in well under a millisecond.
   */
  commandTimeoutMs: number;
  /** How long a (re)connection attempt may take before it counts as failed. */
  connectTimeoutMs: number;
}

export const DEFAULT_SHARED_STATE_SETTINGS: SharedStateSettings = {
  keyPrefix: 'bridge:',
  commandTimeoutMs: 250,
  connectTimeoutMs: 1_000,
};

const PAUSE_AFTER_FAILURE_MS = 1_000;

/** Why a caller did without Redis, for the fallback metric: a fixed set, never an error's text. */
export type SharedStateOperation = 'cache' | 'coalescing' | 'budget' | 'rate_limit' | 'connection';

/**
 * The one Redis client of the process, shared by every feature that keeps state across replicas (the interactions
 * cache, coalescing, the CRM budget; inbound rate limits can use it too). It fails fast instead of queueing: no
 * offline queue, no retries per command, a short command timeout; it reconnects in the background. A caller that
 * gets an error reports it with `degraded(operation, error)` and carries on in memory: a Redis outage costs
 * sharing, never a screen pop.
 */
export class SharedRedis {
  readonly client: Redis;
  private readonly logger = new Logger(SharedRedis.name);
  private readonly events = new EventEmitter();
  private lastWarningAt = 0;
  private pausedUntil = 0;

  constructor(readonly settings: SharedStateSettings & { url: string }) {
    this.client = new Redis(settings.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: settings.commandTimeoutMs,
      connectTimeout: settings.connectTimeoutMs,
      // Keep trying in the background, at most every 2 s; commands meanwhile fail at once (no offline queue).
      retryStrategy: (attempt) => Math.min(100 * attempt, 2_000),
      // Never print the URL: it may carry a password.
      connectionName: 'interaction-bridge',
    });
    // Without a listener an 'error' event would crash the process; with one, ioredis keeps reconnecting.
    this.client.on('error', (error: Error) => this.degraded('connection', error));
    this.client.on('ready', () => this.logger.log('Redis connected: cache, coalescing and CRM budgets are shared'));
  }

  /** `prefix` + the parts joined by ':'. Parts must never be a credential in clear. */
  key(...parts: string[]): string {
    return this.settings.keyPrefix + parts.join(':');
  }

  /** True while connected; a command sent otherwise fails at once. */
  get ready(): boolean {
    return this.client.status === 'ready';
  }

  /**
   * The client, when it is worth trying: connected, and no command failed in the last second. Otherwise undefined,
   * and the fallback is counted: a frozen Redis costs one command timeout per second, not one per command.
   */
  use(operation: SharedStateOperation): Redis | undefined {
    if (this.ready && Date.now() >= this.pausedUntil) return this.client;
    this.events.emit('degraded', operation);
    return undefined;
  }

  /**
   * A feature did without Redis this time (down, slow, refusing): counted by whoever listens (the metrics), logged
   * at most every 10 s (without the URL), and Redis is left alone for a second.
   */
  degraded(operation: SharedStateOperation, error: unknown): void {
    this.pausedUntil = Date.now() + PAUSE_AFTER_FAILURE_MS;
    this.events.emit('degraded', operation);
    const now = Date.now();
    if (now - this.lastWarningAt >= 10_000) {
      this.lastWarningAt = now;
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn(`Redis unavailable (${operation}: ${reason}); using this process's memory meanwhile`);
    }
  }

  onDegraded(listener: (operation: SharedStateOperation) => void): void {
    this.events.on('degraded', listener);
  }

  async close(): Promise<void> {
    if (this.client.status === 'end') return;
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}
