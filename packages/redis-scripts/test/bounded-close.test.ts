import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeWithin } from '../src/index.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('closeWithin', () => {
  it('closes gracefully when that finishes in time, without forcing or leaving a timer', async () => {
    vi.useFakeTimers();
    const force = vi.fn();

    await closeWithin(1000, async () => 'OK', force);

    expect(force).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('forces the close once the timeout passes, and absorbs the late failure of the graceful one', async () => {
    vi.useFakeTimers();
    let failGraceful!: (error: Error) => void;
    const graceful = new Promise((_resolve, reject) => {
      failGraceful = reject;
    });
    const force = vi.fn(() => failGraceful(new Error('Connection is closed.')));

    const closing = closeWithin(1000, () => graceful, force);
    await vi.advanceTimersByTimeAsync(999);
    expect(force).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);

    await closing;
    expect(force).toHaveBeenCalledOnce();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('forces the close at once when the graceful one fails', async () => {
    vi.useFakeTimers();
    const force = vi.fn();

    await closeWithin(
      1000,
      () => {
        throw new Error('connection broke while quitting');
      },
      force,
    );

    expect(force).toHaveBeenCalledOnce();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('resolves even when forcing throws (already closed)', async () => {
    await expect(
      closeWithin(
        0,
        () => new Promise(() => undefined),
        () => {
          throw new Error('The client is closed');
        },
      ),
    ).resolves.toBeUndefined();
  });
});
