import { RedlockMutex } from 'redis-semaphore';
import type { Contender } from '../contender.js';
import { closeIoredisClients, connectIoredisClients } from '../redis-clients.js';
import { FIXED_RETRY_DELAY_MS, LOCK_SETTINGS } from '../settings.js';

/** Long enough never to end a benchmark acquisition; it has no "wait forever". */
const ACQUIRE_TIMEOUT_MS = 10 * 60_000;

/** `redis-semaphore`'s `RedlockMutex`, one mutex object per acquisition as its README shows. */
export const redisSemaphore: Contender = {
  id: 'redis-semaphore',
  label: 'redis-semaphore RedlockMutex',
  kind: 'library',
  packages: ['redis-semaphore'],
  // Its multi-* classes take several permits of one key, not several keys.
  multiResource: false,
  settingsNote:
    `lockTimeout ${LOCK_SETTINGS.ttlMs} ms, retryInterval ${FIXED_RETRY_DELAY_MS} ms (no jitter), ` +
    `acquireAttemptsLimit Infinity, acquireTimeout ${ACQUIRE_TIMEOUT_MS} ms, refreshInterval 0 ` +
    "(no auto-refresh, like the others' plain acquire); majority quorum, no drift factor; " +
    'no per-node timeout and it waits for every node, so a paused node blocks it',
  async open(servers) {
    const clients = await connectIoredisClients(servers);
    return {
      async acquire(resources) {
        if (resources.length !== 1) throw new Error('RedlockMutex locks one key');
        const mutex = new RedlockMutex(clients, resources[0]!, {
          lockTimeout: LOCK_SETTINGS.ttlMs,
          acquireTimeout: ACQUIRE_TIMEOUT_MS,
          acquireAttemptsLimit: Number.POSITIVE_INFINITY,
          retryInterval: FIXED_RETRY_DELAY_MS,
          refreshInterval: 0,
        });
        await mutex.acquire();
        return () => mutex.release();
      },
      async close() {
        closeIoredisClients(clients);
      },
    };
  },
};
