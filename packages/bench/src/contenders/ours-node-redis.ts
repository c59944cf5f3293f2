import { Redlock } from '@redlock/core';
import { NodeRedisLockNode } from '@redlock/node-redis';
import { createClient } from 'redis';
import type { Contender } from '../contender.js';
import { instrumentNode } from '../instrumentation.js';
import { LOCK_SETTINGS } from '../settings.js';
import { OURS_SETTINGS_NOTE, oursRedlockOptions } from './ours-options.js';

/** Our Redlock over one `NodeRedisLockNode` per server (node-redis v5 clients, default options). */
export const oursNodeRedis: Contender = oursOverNodeRedis(false);

/** The same with `waitingLine: true` (issue #10): waiters queue in the nodes' lines. */
export const oursNodeRedisLine: Contender = oursOverNodeRedis(true);

function oursOverNodeRedis(waitingLine: boolean): Contender {
  return {
    id: waitingLine ? 'ours-node-redis-line' : 'ours-node-redis',
    label: waitingLine ? 'ours (@redlock/node-redis, waitingLine)' : 'ours (@redlock/node-redis)',
    kind: 'ours',
    packages: ['redis'],
    multiResource: true,
    settingsNote: waitingLine ? `${OURS_SETTINGS_NOTE}, waitingLine true` : OURS_SETTINGS_NOTE,
    async open(servers) {
      const clients = servers.map((server) => {
        const client = createClient({ url: server.url });
        // Errors surface as rejected commands; node-redis would otherwise throw them from the emitter.
        client.on('error', () => undefined);
        return client;
      });
      try {
        await Promise.all(clients.map((client) => client.connect()));
      } catch (error) {
        for (const client of clients) client.destroy();
        throw error;
      }
      const redlock = new Redlock(
        clients.map((client, index) => instrumentNode(new NodeRedisLockNode(client), index)),
        { ...oursRedlockOptions, waitingLine },
      );
      return {
        async acquire(resources) {
          const lock = await redlock.acquire(resources, LOCK_SETTINGS.ttlMs);
          return () => lock.release();
        },
        async close() {
          await redlock.close();
          for (const client of clients) client.destroy();
        },
      };
    },
  };
}
