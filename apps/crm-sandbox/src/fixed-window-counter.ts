/**
 * Requests counted per key in fixed windows of `windowMs` (a clock minute, a UTC day), as the vendors count their
 * budgets. A refused request is not counted. `limit` is the default; a key may be given its own (an account on
 * another plan).
 */
export class FixedWindowCounter {
  private readonly windows = new Map<string, { index: number; used: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request of `key` if its window has room; `msToReset` is the time left in that window. */
  take(key: string, limit = this.limit): { allowed: boolean; remaining: number; msToReset: number } {
    const now = this.now();
    const index = Math.floor(now / this.windowMs);
    let window = this.windows.get(key);
    if (!window || window.index !== index) {
      window = { index, used: 0 };
      this.windows.set(key, window);
    }
    const allowed = window.used < limit;
    if (allowed) window.used++;
    return { allowed, remaining: limit - window.used, msToReset: (index + 1) * this.windowMs - now };
  }

  /** What `key` has left in the current window, without counting a request. */
  remaining(key: string, limit = this.limit): number {
    const window = this.windows.get(key);
    return limit - (window?.index === Math.floor(this.now() / this.windowMs) ? window.used : 0);
  }
}
