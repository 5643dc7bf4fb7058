import type { CrmCall, CrmHttpClient } from '#crm-http';
import { Deadline, type RequestContext } from '#interactions';

/** One recorded call, with its path (no host) for short assertions. */
export interface RecordedCall extends CrmCall {
  path: string;
}

/** Answers a call, or throws the error the real client would (CredentialsError, NotFoundError, …). */
export type FakeRoute = (call: RecordedCall) => unknown;

/**
 * A stand-in for CrmHttpClient: records every call and answers from the routes, by `METHOD /path` (exact path,
 * or a pattern ending in `*`). Unrouted calls fail the test.
 */
export class FakeHubspotHttp {
  readonly calls: RecordedCall[] = [];

  constructor(private readonly routes: Record<string, FakeRoute | unknown>) {}

  get client(): CrmHttpClient {
    return this as unknown as CrmHttpClient;
  }

  async request(call: CrmCall, _context: RequestContext): Promise<unknown> {
    const recorded: RecordedCall = { ...call, path: new URL(call.url).pathname };
    this.calls.push(recorded);
    await Promise.resolve(); // answer asynchronously, as the network would
    const key = `${call.method} ${recorded.path}`;
    const route =
      this.routes[key] ??
      Object.entries(this.routes).find(
        ([pattern]) => pattern.endsWith('*') && key.startsWith(pattern.slice(0, -1)),
      )?.[1];
    if (route === undefined) throw new Error(`unexpected call ${key}`);
    return typeof route === 'function' ? (route as FakeRoute)(recorded) : structuredClone(route);
  }

  /** The calls to one `METHOD /path` (or prefix ending in `*`). */
  callsTo(key: string): RecordedCall[] {
    return this.calls.filter((call) => {
      const callKey = `${call.method} ${call.path}`;
      return key.endsWith('*') ? callKey.startsWith(key.slice(0, -1)) : callKey === key;
    });
  }
}

const openDeadlines: Deadline[] = [];

/** A request context with its own deadline; call disposeTestContexts() after each test to free the timers. */
export function testContext(budgetMs = 5_000): RequestContext {
  const deadline = new Deadline(budgetMs);
  openDeadlines.push(deadline);
  return { requestId: 'test-request', connector: 'hubspot', deadline };
}

export function disposeTestContexts(): void {
  for (const deadline of openDeadlines.splice(0)) deadline.dispose();
}
