import { createRedlock, IoredisAdapter, type Lock as UniversalLock } from 'redlock-universal';
import type { Contender } from '../contender.js';
import { closeIoredisClients, connectIoredisClients } from '../redis-clients.js';
import { FIXED_RETRY_DELAY_MS, LOCK_SETTINGS } from '../settings.js';

/** Effectively unbounded: it has no "retry forever" setting. */
const RETRY_ATTEMPTS = 1_000_000;

/** `redlock-universal`'s distributed `RedLock` (one instance per key, as its API has it). */
export const redlockUniversal: Contender = {
  id: 'redlock-universal',
  label: 'redlock-universal',
  kind: 'library',
  packages: ['redlock-universal'],
  // Its batch (multi-key) acquisition works on one node only, not across Redlock nodes.
  multiResource: false,
  settingsNote:
    `quorum ${LOCK_SETTINGS.quorum}, clockDriftFactor ${LOCK_SETTINGS.driftFactor}, retryAttempts ${RETRY_ATTEMPTS}, ` +
    `retryDelay ${FIXED_RETRY_DELAY_MS} ms (no jitter); per-node timeout: the adapter's \`timeout\` ` +
    `= ${LOCK_SETTINGS.nodeTimeoutMs} ms (it waits for every node up to that bound)`,
  async open(servers) {
    const clients = await connectIoredisClients(servers);
    const adapters = clients.map(
      (client) => new IoredisAdapter(client, { timeout: LOCK_SETTINGS.nodeTimeoutMs }),
    );
    const locks = new Map<string, UniversalLock>();
    const lockFor = (resource: string): UniversalLock => {
      let lock = locks.get(resource);
      if (lock === undefined) {
        lock = createRedlock({
          adapters,
          key: resource,
          ttl: LOCK_SETTINGS.ttlMs,
          quorum: LOCK_SETTINGS.quorum,
          retryAttempts: RETRY_ATTEMPTS,
          retryDelay: FIXED_RETRY_DELAY_MS,
          clockDriftFactor: LOCK_SETTINGS.driftFactor,
        });
        locks.set(resource, lock);
      }
      return lock;
    };
    return {
      async acquire(resources) {
        if (resources.length !== 1) throw new Error('redlock-universal locks one key per RedLock');
        const lock = lockFor(resources[0]!);
        const handle = await lock.acquire();
        return () => lock.release(handle);
      },
      async close() {
        closeIoredisClients(clients);
      },
    };
  },
};
