import NodeRedlock from 'redlock';
import type { Contender } from '../contender.js';
import { closeIoredisClients, connectIoredisClients } from '../redis-clients.js';
import { FIXED_RETRY_DELAY_MS, LOCK_SETTINGS } from '../settings.js';

const JITTER_MS = (LOCK_SETTINGS.retryDelayMaxMs - LOCK_SETTINGS.retryDelayMinMs) / 2;

/** node-redlock v5 (`redlock@5.0.0-beta.2`), the most used Node Redlock. */
export const nodeRedlock: Contender = {
  id: 'node-redlock',
  label: 'redlock@5.0.0-beta.2',
  kind: 'library',
  packages: ['redlock'],
  multiResource: true,
  settingsNote:
    `retryCount -1 (unbounded), retryDelay ${FIXED_RETRY_DELAY_MS} ± retryJitter ${JITTER_MS} ms ` +
    `(it jitters both ways), driftFactor ${LOCK_SETTINGS.driftFactor}; quorum fixed at a majority; ` +
    'no per-node timeout, but it decides at quorum, so a paused minority does not block it',
  async open(servers) {
    const clients = await connectIoredisClients(servers);
    const redlock = new NodeRedlock(clients, {
      driftFactor: LOCK_SETTINGS.driftFactor,
      retryCount: -1,
      retryDelay: FIXED_RETRY_DELAY_MS,
      retryJitter: JITTER_MS,
    });
    // It emits every refused vote as an 'error'; without a listener EventEmitter would throw.
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
