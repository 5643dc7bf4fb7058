import type { Socket } from 'node:net';
import { formatFault, parseFault, type Fault, type FaultKind } from './fault.js';

/** Where and how often a fault applies. */
export interface FaultRuleInput {
  /** HTTP method, any case; every method when left out. */
  method?: string;
  /** A path prefix (`/zendesk/acme/api/v2/tickets/`) or a RegExp tested against the path (no query); every path when left out. */
  path?: string | RegExp;
  /** The fault, as an object or in its wire form (`status; code=503`). */
  fault: Fault | string;
  /** Apply to the first `times` matching requests only, then retire the rule. */
  times?: number;
  /** Apply to every `every`-th matching request only, starting with the first (2 → the 1st, 3rd, 5th, …). */
  every?: number;
}

export interface FaultRule {
  id: number;
  method?: string;
  path?: string | RegExp;
  fault: Fault;
  times?: number;
  every?: number;
  /** Requests the rule matched (method and path). */
  matched: number;
  /** Requests the fault was applied to. */
  applied: number;
}

export interface FaultHandle {
  readonly id: number;
  /** Requests this rule's fault was applied to so far. */
  readonly applied: number;
  /** Requests this rule matched so far (applied or skipped by `every`). */
  readonly matched: number;
  remove(): void;
}

export interface ReceivedRequest {
  method: string;
  /** The path, without the query. */
  path: string;
  /** The fault applied, if any. */
  fault?: FaultKind;
}

const LOG_CAPACITY = 10_000;

/**
 * The sandbox's fault rules and what it saw: every request outside `/__sandbox/` is counted and logged (the last
 * 10,000), and the first live rule matching it (or the request's own `x-sandbox-fault` header or `__fault` query
 * parameter, which wins over rules) decides its fault. Exposed as `sandbox.faults` and `app.faults`.
 */
export class FaultInjector {
  private rules: FaultRule[] = [];
  private nextId = 1;
  private readonly held = new Set<Socket>();
  private readonly log: ReceivedRequest[] = [];
  /** Requests received outside `/__sandbox/`, since start or the last `resetCounters()`. */
  requests = 0;

  add(input: FaultRuleInput): FaultHandle {
    const rule: FaultRule = {
      id: this.nextId++,
      ...(input.method ? { method: input.method.toUpperCase() } : {}),
      ...(input.path === undefined || input.path === '' ? {} : { path: input.path }),
      fault: typeof input.fault === 'string' ? parseFault(input.fault) : parseFault({ ...input.fault }),
      ...(input.times === undefined ? {} : { times: positiveInteger(input.times, 'times') }),
      ...(input.every === undefined ? {} : { every: positiveInteger(input.every, 'every') }),
      matched: 0,
      applied: 0,
    };
    this.rules.push(rule);
    // The handle's getters and methods are not arrows (a getter cannot be), so they reach the injector by name.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const injector = this;
    return {
      id: rule.id,
      get applied() {
        return rule.applied;
      },
      get matched() {
        return rule.matched;
      },
      remove: () => injector.remove(rule.id),
    };
  }

  /** Removes one rule; false when there is none with this id. */
  remove(id: number): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((rule) => rule.id !== id);
    return this.rules.length < before;
  }

  /** Removes every rule, and forgets the counters and the log. Held (hanging) connections are left alone. */
  clear(): void {
    this.rules = [];
    this.resetCounters();
  }

  resetCounters(): void {
    this.requests = 0;
    this.log.length = 0;
  }

  list(): readonly FaultRule[] {
    return this.rules;
  }

  /** The requests received (the last 10,000), oldest first; filtered by a path prefix or RegExp when given. */
  received(path?: string | RegExp): ReceivedRequest[] {
    return path === undefined ? [...this.log] : this.log.filter((entry) => pathMatches(path, entry.path));
  }

  /** Connections held open by `hang` right now. */
  get hanging(): number {
    return this.held.size;
  }

  /** The fault for this request: its own (header or query) first, else the first live rule that applies. */
  pick(method: string, path: string, own?: Fault): Fault | undefined {
    this.requests++;
    let fault = own;
    if (!fault) {
      for (const rule of this.rules) {
        if (rule.method && rule.method !== method.toUpperCase()) continue;
        if (rule.path !== undefined && !pathMatches(rule.path, path)) continue;
        rule.matched++;
        if (rule.every !== undefined && (rule.matched - 1) % rule.every !== 0) continue;
        rule.applied++;
        if (rule.times !== undefined && rule.applied >= rule.times) this.remove(rule.id);
        fault = rule.fault;
        break;
      }
    }
    this.log.push({ method, path, ...(fault ? { fault: fault.kind } : {}) });
    if (this.log.length > LOG_CAPACITY) this.log.splice(0, this.log.length - LOG_CAPACITY);
    return fault;
  }

  /** Keeps a connection open without answering, until the client or `releaseHeld()` closes it. */
  hold(socket: Socket): void {
    if (socket.destroyed) return;
    this.held.add(socket);
    socket.once('close', () => this.held.delete(socket));
  }

  /** Closes every held connection (the sandbox does so when it closes). */
  releaseHeld(): void {
    for (const socket of this.held) socket.destroy();
    this.held.clear();
  }

  /** The rules in JSON, for the admin API. */
  describe(): object[] {
    return this.rules.map((rule) => ({
      id: rule.id,
      method: rule.method,
      path: typeof rule.path === 'string' ? rule.path : undefined,
      pattern: rule.path instanceof RegExp ? rule.path.source : undefined,
      fault: formatFault(rule.fault),
      times: rule.times,
      every: rule.every,
      matched: rule.matched,
      applied: rule.applied,
    }));
  }
}

function pathMatches(pattern: string | RegExp, path: string): boolean {
  if (typeof pattern === 'string') return path.startsWith(pattern);
  pattern.lastIndex = 0; // a /g or /y pattern is stateful
  return pattern.test(path);
}

function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer`);
  }
  return value;
}
