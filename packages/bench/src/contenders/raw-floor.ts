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
 * The floor: no library, just what any Redlock must send and wait for. One
 * key: `SET key value NX PX ttl` on every node in parallel, held as soon as
 * a quorum said OK; release: a preloaded compare-and-delete `EVALSHA` on
 * every node in parallel, done as soon as a quorum answered (the rest stay
 * in flight; a later command on the same connection runs after them). A
 * failed attempt releases and retries after [10, 20] ms. No per-node
 * timeout, no drift check, no error reporting: a lower bound, not a lock.
 */
export const rawFloor: Contender = {
  id: 'raw-floor',
  label: 'raw floor (ioredis SET NX + EVALSHA)',
  kind: 'floor',
  packages: ['ioredis'],
  multiResource: true,
  settingsNote:
    `quorum ${LOCK_SETTINGS.quorum}, decides acquire and release as soon as a quorum answered, retry after ` +
    `[${LOCK_SETTINGS.retryDelayMinMs}, ${LOCK_SETTINGS.retryDelayMaxMs}] ms, no per-node timeout; ` +
    '10 keys use a preloaded all-or-nothing Lua SET',
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
    const releaseAll = (keys: readonly string[], value: string): Promise<number> =>
      quorumOf(
        clients.map((client) =>
          client.evalsha(releaseSha, keys.length, ...keys, value).then(
            () => true,
            () => false,
          ),
        ),
        (answered) => answered,
      );

    return {
      async acquire(resources) {
        const value = randomBytes(16).toString('hex');
        for (;;) {
          const votesFor = await quorumOf(
            clients.map((client) => setOn(client, resources, value).catch(() => false)),
            (acquired) => acquired,
          );
          if (votesFor >= LOCK_SETTINGS.quorum) return () => releaseAll(resources, value);
          await releaseAll(resources, value);
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

/**
 * Resolves with the number of replies that `counts` as soon as that number
 * reaches the quorum, or as soon as the quorum is out of reach.
 */
function quorumOf<T>(
  replies: readonly Promise<T>[],
  counts: (reply: T) => boolean,
): Promise<number> {
  return new Promise((resolve) => {
    let yes = 0;
    let no = 0;
    for (const reply of replies) {
      reply.then((value) => {
        if (counts(value)) yes++;
        else no++;
        if (yes === LOCK_SETTINGS.quorum || no === replies.length - LOCK_SETTINGS.quorum + 1) {
          resolve(yes);
        }
      });
    }
  });
}

async function loadScript(clients: readonly Redis[], source: string): Promise<string> {
  const shas = await Promise.all(clients.map((client) => client.script('LOAD', source)));
  return shas[0] as string;
}
