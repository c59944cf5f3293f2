/** The signal `using` passes to its routine: aborted, with `error` set, once the lock is lost. */
export type RedlockAbortSignal = AbortSignal & { error?: Error };

/**
 * node-redlock's signal over core's: `error` is set before the signal aborts,
 * so a routine that checks `signal.aborted` always finds `signal.error`.
 */
export function usingSignal(
  coreSignal: AbortSignal,
  toError: (reason: unknown) => Error,
): RedlockAbortSignal {
  const controller = new AbortController();
  const signal = controller.signal as RedlockAbortSignal;
  const abort = () => {
    signal.error = toError(coreSignal.reason);
    controller.abort(signal.error);
  };
  if (coreSignal.aborted) abort();
  else coreSignal.addEventListener('abort', abort, { once: true });
  return signal;
}
