import { describe, expect, it, vi } from 'vitest';
import { DeadlineExceededError } from './errors.js';
import { Deadline } from './request-context.js';

describe('Deadline', () => {
  it('aborts its listeners once when the request is answered, with a reason that is not a timeout', () => {
    const deadline = new Deadline(10_000);
    const listener = vi.fn();
    deadline.aborts.on('abort', listener);
    expect(deadline.aborted).toBe(false);

    deadline.dispose();
    deadline.dispose();

    expect(listener).toHaveBeenCalledOnce();
    expect(deadline.aborted).toBe(true);
    expect(deadline.aborts.reason).toBeInstanceOf(DeadlineExceededError);
    expect(deadline.timedOut).toBe(false);
  });

  it('aborts when it passes, as a timeout', async () => {
    vi.useFakeTimers();
    try {
      const deadline = new Deadline(50);
      const listener = vi.fn();
      deadline.aborts.once('abort', listener);
      await vi.advanceTimersByTimeAsync(60);
      expect(listener).toHaveBeenCalledOnce();
      expect(deadline.timedOut).toBe(true);
      expect(deadline.aborts.reason?.message).toMatch(/deadline of 50 ms passed/);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a listener that throws stops neither the others, nor the signal, nor the race; its error is thrown on the next tick', async () => {
    const deadline = new Deadline(10_000);
    const signal = deadline.signal;
    const expiry = deadline.whenExpired();
    const after = vi.fn();
    const failure = new Error('listener failed');
    deadline.aborts.once('abort', () => {
      throw failure;
    });
    deadline.aborts.once('abort', after);
    const later: (() => void)[] = [];
    const nextTick = vi.spyOn(process, 'nextTick').mockImplementation(((callback: () => void) => {
      later.push(callback);
    }) as typeof process.nextTick);
    try {
      expect(() => deadline.dispose()).not.toThrow();
    } finally {
      nextTick.mockRestore();
    }
    expect(after).toHaveBeenCalledOnce();
    expect(signal.aborted).toBe(true);
    await expect(expiry).rejects.toBe(deadline.aborts.reason);
    expect(later).toHaveLength(1);
    expect(() => later[0]!()).toThrow(failure);
    expect(deadline.aborts.listenerCount('abort')).toBe(0);
  });

  it('gives an AbortSignal on request: aborted with it when asked for before, already aborted when asked for after', () => {
    const early = new Deadline(10_000);
    const signal = early.signal;
    expect(signal.aborted).toBe(false);
    early.dispose();
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(early.aborts.reason);

    const late = new Deadline(10_000);
    late.dispose();
    expect(late.signal.aborted).toBe(true);
    expect(late.signal.reason).toBe(late.aborts.reason);
  });

  it('whenExpired rejects with the abort reason, before or after the abort', async () => {
    const before = new Deadline(10_000);
    const expiry = before.whenExpired();
    before.dispose();
    await expect(expiry).rejects.toBe(before.aborts.reason);

    const after = new Deadline(10_000);
    after.dispose();
    await expect(after.whenExpired()).rejects.toBe(after.aborts.reason);
  });

  it('takes more listeners than an EventEmitter allows by default without a warning (a wide fan-out)', async () => {
    const warning = vi.fn();
    process.on('warning', warning);
    try {
      const deadline = new Deadline(10_000);
      for (let i = 0; i < 50; i++) deadline.aborts.once('abort', () => {});
      deadline.dispose();
      // Node emits the warning on a later tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', warning);
    }
    expect(warning).not.toHaveBeenCalled();
  });
});
