const DEADLINE: unique symbol = Symbol('deadline');

/** The result of a run bounded by a deadline. */
export type BoundedOutcome<T> =
  | { readonly status: 'ok'; readonly value: T }
  | { readonly status: 'timed out' }
  | { readonly status: 'error'; readonly error: unknown };

export interface BoundedRun<T> {
  readonly outcome: BoundedOutcome<T>;
  /**
   * Settles once the run itself has stopped: at once when it finished, later
   * when it was abandoned (it sees its signal aborted at its next check, or
   * its hung call returns once the servers answer again).
   */
  readonly stopped: Promise<void>;
}

/**
 * Runs `run` but gives up waiting after `deadlineMs`, so an implementation
 * without a per-node timeout that hangs on a paused server is reported as
 * "timed out" instead of hanging the benchmark. The run's `signal` aborts at
 * the deadline; a run should check it between operations.
 */
export async function runWithDeadline<T>(
  run: (signal: AbortSignal) => Promise<T>,
  deadlineMs: number,
): Promise<BoundedRun<T>> {
  const controller = new AbortController();
  const task = run(controller.signal);
  const stopped = task.then(
    () => undefined,
    () => undefined,
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<typeof DEADLINE>((resolve) => {
    timer = setTimeout(() => resolve(DEADLINE), deadlineMs);
  });
  try {
    const first = await Promise.race([task, deadline]);
    if (first === DEADLINE) {
      controller.abort();
      return { outcome: { status: 'timed out' }, stopped };
    }
    return { outcome: { status: 'ok', value: first as T }, stopped };
  } catch (error) {
    return { outcome: { status: 'error', error }, stopped };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Waits for an abandoned run to stop, but at most `limitMs`: a call that never
 * returns must not hang the benchmark (its clients are closed next, which
 * rejects it).
 */
export async function waitForStop(run: BoundedRun<unknown>, limitMs: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    run.stopped,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, limitMs);
    }),
  ]);
  clearTimeout(timer);
}
