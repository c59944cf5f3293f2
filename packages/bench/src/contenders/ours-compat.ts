import Redlock from '@redlock/compat';
import type { Contender } from '../contender.js';
import { closeIoredisClients, connectIoredisClients } from '../redis-clients.js';
import { FIXED_RETRY_DELAY_MS, LOCK_SETTINGS } from '../settings.js';

const JITTER_MS = (LOCK_SETTINGS.retryDelayMaxMs - LOCK_SETTINGS.retryDelayMinMs) / 2;

/**
 * `@redlock/compat`: node-redlock's API over our core, configured exactly as
 * the node-redlock row is (same settings names and values), so the two rows
 * differ only by the import.
 */
export const oursCompat: Contender = {
  id: 'ours-compat',
  label: 'ours (@redlock/compat)',
  kind: 'ours',
  packages: ['ioredis'],
  multiResource: true,
  settingsNote:
    `node-redlock's settings: retryCount -1, retryDelay ${FIXED_RETRY_DELAY_MS} ± retryJitter ${JITTER_MS} ms, ` +
    `driftFactor ${LOCK_SETTINGS.driftFactor}; plus nodeTimeoutMs ${LOCK_SETTINGS.nodeTimeoutMs} (its default); ` +
    'no pub/sub wake-ups (compat opens no connection of its own)',
  async open(servers) {
    const clients = await connectIoredisClients(servers);
    const redlock = new Redlock(clients, {
      driftFactor: LOCK_SETTINGS.driftFactor,
      retryCount: -1,
      retryDelay: FIXED_RETRY_DELAY_MS,
      retryJitter: JITTER_MS,
      nodeTimeoutMs: LOCK_SETTINGS.nodeTimeoutMs,
    });
    return {
      async acquire(resources) {
        const lock = await redlock.acquire([...resources], LOCK_SETTINGS.ttlMs);
        return () => lock.release();
      },
      async close() {
        closeIoredisClients(clients);
      },
    };
  },
};
