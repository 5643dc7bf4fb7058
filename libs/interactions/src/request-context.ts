import { EventEmitter, setMaxListeners } from 'node:events';
import { DeadlineExceededError } from './errors.js';

/**
 * The abort reason once the answer is decided: seen only by work abandoned after it (which throws errors of its own),
 * so one instance serves every request instead of an error and its stack trace per request.
 */
const REQUEST_FINISHED = new DeadlineExceededError('request finished');

/**
 * The deadline's abort in the form undici's `signal` option also takes: an EventEmitter with `aborted` and `reason`
 * (undici's RequestHandler listens with `once('abort')` and removes its listener when the call is over). Every CRM
 * call of a request listens to it, and an EventEmitter's listener costs less than an AbortSignal's: no listener
 * record, no options object, no Event dispatched when it fires.
 */
export class DeadlineAbort extends EventEmitter {
  aborted = false;
  reason: Error | undefined = undefined;

  constructor() {
    super();
    // Every concurrent CRM call of the request listens (types × contacts × pages); the emitter lives only as long as
    // the request, so the fan-out is not a leak and must not trip Node's MaxListenersExceededWarning.
    this.setMaxListeners(0);
  }

  /**
   * Aborts: every listener is called, each on its own, as an AbortSignal calls its listeners. One that throws does
   * not stop the others; its error is thrown again on the next tick, an uncaught exception, as an AbortSignal's
   * listener's would be. (A plain `emit` would stop at the first throw and throw into whoever aborted.)
   */
  fire(reason: Error): void {
    this.aborted = true;
    this.reason = reason;
    for (const listener of this.rawListeners('abort') as (() => void)[]) {
      try {
        listener.call(this);
      } catch (error) {
        process.nextTick(() => {
          throw error;
        });
      }
    }
  }
}

/**
 * One deadline per Talkdesk request. Every CRM call gets what is left of it, and its abort (`aborts`, or `signal`
 * for APIs that want an AbortSignal) stops whatever is still in flight when it passes or the request is answered.
 */
export class Deadline {
  readonly expiresAt: number;
  /** What CRM calls listen to: aborted when the deadline passes or the request is answered. */
  readonly aborts = new DeadlineAbort();
  /** Made only when something asks for an AbortSignal (a retry's wait); most requests never do. */
  private controller?: AbortController;
  private readonly timer: NodeJS.Timeout;
  private passed = false;
  private expiry?: Promise<never>;
  private rejectExpiry?: (reason: Error) => void;

  constructor(readonly budgetMs: number) {
    this.expiresAt = Date.now() + budgetMs;
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

  /** True once the deadline has passed or the request has been answered: nothing more should be started. */
  get aborted(): boolean {
    return this.aborts.aborted;
  }

  /** The same abort as an AbortSignal, for APIs that take one. */
  get signal(): AbortSignal {
    if (!this.controller) {
      const controller = new AbortController();
      setMaxListeners(0, controller.signal);
      if (this.aborts.aborted) controller.abort(this.aborts.reason);
      this.controller = controller;
    }
    return this.controller.signal;
  }

  remainingMs(): number {
    return Math.max(0, this.expiresAt - Date.now());
  }

  /** Aborts in-flight work and frees the timer; called once the response is decided. */
  dispose(): void {
    clearTimeout(this.timer);
    if (!this.aborts.aborted) this.end(REQUEST_FINISHED);
  }

  private end(reason: Error): void {
    this.aborts.fire(reason);
    this.controller?.abort(reason);
    this.rejectExpiry?.(reason);
  }

  /**
   * Rejects when the deadline passes (or the request is finished); lets callers race work that might not honour the
   * abort. One promise per request, however many races use it.
   */
  whenExpired(): Promise<never> {
    // Rejected by the timer or dispose() directly, not through an abort listener.
    this.expiry ??= new Promise((_, reject) => {
      if (this.aborts.aborted) reject(this.aborts.reason!);
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
  /**
   * Told once, before a screen pop answers 200, which asked types the CRM budget shed in whole or in part (the edge
   * names them in the `x-bridge-shed-types` header and the access log).
   */
  onShedTypes?: (types: string[]) => void;
}
