import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClientUnderTest } from './clients.js';

const POLL_EVERY_MS = 50;

/**
 * Checks what the server shows once a client was closed (`CLIENT LIST`,
 * `PUBSUB NUMSUB`). For a client whose closed connections leave at once
 * (every client but GLIDE), `check` must pass on the first read, right after
 * `close()` resolved. For a client with `closedConnectionLingersMs` the
 * server is read again every 50 ms until `check` passes, and the last
 * failure is thrown once that bound has passed: the connection must still
 * go away by itself, within a known time.
 */
export async function expectAfterClose<T>(
  client: RedisClientUnderTest,
  read: () => Promise<T>,
  check: (value: T) => void,
): Promise<void> {
  const lingersMs = client.closedConnectionLingersMs ?? 0;
  const deadline = performance.now() + lingersMs;
  for (;;) {
    const value = await read();
    try {
      check(value);
      return;
    } catch (failure) {
      if (performance.now() >= deadline) throw failure;
    }
    await sleep(POLL_EVERY_MS);
  }
}
