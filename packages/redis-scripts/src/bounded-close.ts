/**
 * Closes a connection gracefully, so replies still in flight arrive, but
 * waits at most `timeoutMs` for that: a server that is frozen (`SIGSTOP`) or
 * behind a black hole never answers, and a graceful close alone would then
 * never finish. After the timeout, or when the graceful close fails, it calls
 * `force`, which must drop the connection at once.
 *
 * Resolves once closed either way and leaves no timer behind. A late
 * rejection of `graceful` (its connection was dropped by `force`) is absorbed.
 */
export async function closeWithin(
  timeoutMs: number,
  graceful: () => Promise<unknown>,
  force: () => void,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const closed = Promise.resolve()
    .then(graceful)
    .then(
      () => true as const,
      () => false as const,
    );
  try {
    if (await Promise.race([closed, timedOut])) return;
  } finally {
    clearTimeout(timer);
  }
  try {
    force();
  } catch {
    // Already closed: nothing left to drop.
  }
}
