import { setMaxListeners } from 'node:events';
import { DeadlineExceededError } from './errors.js';

/**
 * The abort reason once the answer is decided: seen only by work abandoned after it (which throws errors of its own),
 * so one instance serves every request instead of an error and its stack trace per request (README, Benchmarks).
 */
const REQUEST_FINISHED = new DeadlineExceededError('request finished');

/**
 * One deadline per Talkdesk request. Every CRM call gets what is left of it, and its signal aborts whatever is
 * still in flight when it passes.
 */
export class Deadline {
  readonly expiresAt: number;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private passed = false;
  private expiry?: Promise<never>;
  private rejectExpiry?: (reason: Error) => void;

  constructor(readonly budgetMs: number) {
    this.expiresAt = Date.now() + budgetMs;
    // Every concurrent CRM call of the request listens to this signal (types × contacts × pages); it lives only as
    // long as the request, so the fan-out is not a leak and must not trip Node's MaxListenersExceededWarning.
    setMaxListeners(0, this.controller.signal);
    this.timer = setTimeout(() => {
      this.passed = true;
      this.end(new DeadlineExceededError(`deadline of ${budgetMs} ms passed`));
    }, budgetMs);
  }

  /**
   * True when the deadline itself passed, as opposed to the request being answered (dispose) first: work aborted
   * then was abandoned, not too slow.
   */
  get timedOut(): boolean {
    return this.passed || Date.now() >= this.expiresAt;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  remainingMs(): number {
    return Math.max(0, this.expiresAt - Date.now());
  }

  /** Aborts in-flight work and frees the timer; called once the response is decided. */
  dispose(): void {
    clearTimeout(this.timer);
    if (!this.controller.signal.aborted) this.end(REQUEST_FINISHED);
  }

  private end(reason: Error): void {
    this.controller.abort(reason);
    this.rejectExpiry?.(reason);
  }

  /**
   * Rejects when the deadline passes (or the request is finished); lets callers race work that might not honour the
   * signal. One promise per request, however many races use it.
   */
  whenExpired(): Promise<never> {
    // Rejected by the timer or dispose() directly, not through an abort listener: an event dispatch per request.
    this.expiry ??= new Promise((_, reject) => {
      if (this.signal.aborted) reject(this.signal.reason);
      else this.rejectExpiry = reject;
    });
    return this.expiry;
  }
}

/** What every layer below the controller needs to know about the request it serves. */
export interface RequestContext {
  requestId: string;
  connector: string;
  deadline: Deadline;
  /** Told each time the request is answered from a cache instead of the CRM (the access log counts them). */
  onCacheHit?: () => void;
}
