import { Redlock } from '@redlock/core';
import { IoredisLockNode } from '@redlock/ioredis';
import type { Contender } from '../contender.js';
import { instrumentNode } from '../instrumentation.js';
import { closeIoredisClients, connectIoredisClients } from '../redis-clients.js';
import { LOCK_SETTINGS } from '../settings.js';
import { OURS_SETTINGS_NOTE, oursRedlockOptions } from './ours-options.js';

/** Our Redlock over one `IoredisLockNode` per server. */
export const oursIoredis: Contender = oursOverIoredis(false);

/** The same with `waitingLine: true` (issue #10): waiters queue in the nodes' lines. */
export const oursIoredisLine: Contender = oursOverIoredis(true);

function oursOverIoredis(waitingLine: boolean): Contender {
  return {
    id: waitingLine ? 'ours-ioredis-line' : 'ours-ioredis',
    label: waitingLine ? 'ours (@redlock/ioredis, waitingLine)' : 'ours (@redlock/ioredis)',
    kind: 'ours',
    packages: ['ioredis'],
    multiResource: true,
    settingsNote: waitingLine ? `${OURS_SETTINGS_NOTE}, waitingLine true` : OURS_SETTINGS_NOTE,
    async open(servers) {
      const clients = await connectIoredisClients(servers);
      const redlock = new Redlock(
        clients.map((client, index) => instrumentNode(new IoredisLockNode(client), index)),
        { ...oursRedlockOptions, waitingLine },
      );
      return {
        async acquire(resources) {
          const lock = await redlock.acquire(resources, LOCK_SETTINGS.ttlMs);
          return () => lock.release();
        },
        async close() {
          await redlock.close();
          closeIoredisClients(clients);
        },
      };
    },
  };
}
