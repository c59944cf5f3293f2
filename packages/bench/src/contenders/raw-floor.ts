import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { Contender } from '../contender.js';
import { closeIoredisClients, connectIoredisClients } from '../redis-clients.js';
import { LOCK_SETTINGS } from '../settings.js';

/** Compare-and-delete of every key in KEYS holding ARGV[1]. */
const RELEASE_SOURCE = `local deleted = 0
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then
    redis.call('DEL', key)
    deleted = deleted + 1
  end
end
return deleted`;

/** All-or-nothing SET of every key in KEYS (only for multi-key locks; one key uses plain SET NX PX). */
const ACQUIRE_MANY_SOURCE = `for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then return 0 end
end
for _, key in ipairs(KEYS) do
  redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
end
return 1`;

/**
 * The floor: no library, just what any Redlock must send. One key: `SET key
 * value NX PX ttl` on every node in parallel, held when a quorum said OK;
 * release: a preloaded compare-and-delete `EVALSHA` on every node in
 * parallel. A failed attempt releases and retries after [10, 20] ms. It
 * waits for every node (no per-node timeout, no drift check).
 */
export const rawFloor: Contender = {
  id: 'raw-floor',
  label: 'raw floor (ioredis SET NX + EVALSHA)',
  kind: 'floor',
  packages: ['ioredis'],
  multiResource: true,
  settingsNote:
    `quorum ${LOCK_SETTINGS.quorum}, retry after [${LOCK_SETTINGS.retryDelayMinMs}, ${LOCK_SETTINGS.retryDelayMaxMs}] ms, ` +
    'no per-node timeout, waits for every node; 10 keys use a preloaded all-or-nothing Lua SET',
  async open(servers) {
    const clients = await connectIoredisClients(servers);
    const releaseSha = await loadScript(clients, RELEASE_SOURCE);
    const acquireManySha = await loadScript(clients, ACQUIRE_MANY_SOURCE);
    const ttl = String(LOCK_SETTINGS.ttlMs);

    const setOn = (client: Redis, keys: readonly string[], value: string): Promise<boolean> =>
      keys.length === 1
        ? client.set(keys[0]!, value, 'PX', ttl, 'NX').then((reply) => reply === 'OK')
        : client
            .evalsha(acquireManySha, keys.length, ...keys, value, ttl)
            .then((reply) => reply === 1);
    const releaseAll = (keys: readonly string[], value: string): Promise<unknown> =>
      Promise.all(clients.map((client) => client.evalsha(releaseSha, keys.length, ...keys, value)));

    return {
      async acquire(resources) {
        const value = randomBytes(16).toString('hex');
        for (;;) {
          const votes = await Promise.all(
            clients.map((client) => setOn(client, resources, value).catch(() => false)),
          );
          if (votes.filter(Boolean).length >= LOCK_SETTINGS.quorum) {
            return () => releaseAll(resources, value);
          }
          await releaseAll(resources, value).catch(() => undefined);
          await sleep(
            LOCK_SETTINGS.retryDelayMinMs +
              Math.random() * (LOCK_SETTINGS.retryDelayMaxMs - LOCK_SETTINGS.retryDelayMinMs),
          );
        }
      },
      async close() {
        closeIoredisClients(clients);
      },
    };
  },
};

async function loadScript(clients: readonly Redis[], source: string): Promise<string> {
  const shas = await Promise.all(clients.map((client) => client.script('LOAD', source)));
  return shas[0] as string;
}
