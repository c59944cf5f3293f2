import { afterEach, describe, expect, it, vi } from 'vitest';
import { CommandTimeoutError, runWithDeadline } from '../src/index.js';

/** A command that settles only when the test says so. */
function controllable<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('runWithDeadline', () => {
  it('settles with the command when nothing bounds it', async () => {
    await expect(runWithDeadline(async () => 'OK', { description: 'ping' })).resolves.toBe('OK');
  });

  it('rejects with the signal reason when the signal aborts first, and absorbs the late result', async () => {
    const command = controllable<string>();
    const controller = new AbortController();
    let deadlineSignal: AbortSignal | undefined;
    const pending = runWithDeadline(
      (signal) => {
        deadlineSignal = signal;
        return command.promise;
      },
      { signal: controller.signal, description: 'acquire' },
    );
    const reason = new Error('gave up');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(deadlineSignal?.aborted).toBe(true);
    // A late failure of the command must not surface as an unhandled rejection.
    command.reject(new Error('connection lost'));
  });

  it('rejects with a CommandTimeoutError after timeoutMs', async () => {
    vi.useFakeTimers();
    const command = controllable<string>();
    const pending = runWithDeadline(() => command.promise, {
      timeoutMs: 250,
      description: 'extend on redis://h:6379/0',
    });
    const assertion = expect(pending).rejects.toThrow(
      new CommandTimeoutError('extend on redis://h:6379/0', 250),
    );
    await vi.advanceTimersByTimeAsync(250);
    await assertion;
    command.resolve('late');
  });

  it('leaves no timer behind once the command settled', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    await runWithDeadline(async () => 'OK', {
      signal: controller.signal,
      timeoutMs: 60_000,
      description: 'release',
    });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not start the command when the signal is already aborted', async () => {
    const run = vi.fn(async () => 'OK');
    const reason = new Error('too late');
    await expect(
      runWithDeadline(run, { signal: AbortSignal.abort(reason), description: 'acquire' }),
    ).rejects.toBe(reason);
    expect(run).not.toHaveBeenCalled();
  });

  it('turns a synchronous throw of the command into a rejection', async () => {
    await expect(
      runWithDeadline(
        () => {
          throw new Error('client closed');
        },
        { timeoutMs: 1000, description: 'acquire' },
      ),
    ).rejects.toThrow('client closed');
  });
});
