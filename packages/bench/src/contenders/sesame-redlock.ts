import { Redlock as SesameRedlock } from '@sesamecare-oss/redlock';
import type { Contender } from '../contender.js';
import { closeIoredisClients, connectIoredisClients } from '../redis-clients.js';
import { FIXED_RETRY_DELAY_MS, LOCK_SETTINGS } from '../settings.js';

const JITTER_MS = (LOCK_SETTINGS.retryDelayMaxMs - LOCK_SETTINGS.retryDelayMinMs) / 2;

/** `@sesamecare-oss/redlock`, the maintained TypeScript fork of node-redlock. */
export const sesameRedlock: Contender = {
  id: 'sesame-redlock',
  label: '@sesamecare-oss/redlock',
  kind: 'library',
  packages: ['@sesamecare-oss/redlock'],
  multiResource: true,
  settingsNote:
    `as node-redlock: retryCount -1, retryDelay ${FIXED_RETRY_DELAY_MS} ± retryJitter ${JITTER_MS} ms, ` +
    `driftFactor ${LOCK_SETTINGS.driftFactor}; majority quorum; no per-node timeout, decides at quorum`,
  async open(servers) {
    const clients = await connectIoredisClients(servers);
    const redlock = new SesameRedlock(clients, {
      driftFactor: LOCK_SETTINGS.driftFactor,
      retryCount: -1,
      retryDelay: FIXED_RETRY_DELAY_MS,
      retryJitter: JITTER_MS,
    });
    redlock.on('error', () => undefined);
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
