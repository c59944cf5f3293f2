import type { Contender } from '../contender.js';
import { nodeRedlock } from './node-redlock.js';
import { oursCompat } from './ours-compat.js';
import { oursIoredis, oursIoredisLine } from './ours-ioredis.js';
import { oursNodeRedis, oursNodeRedisLine } from './ours-node-redis.js';
import { rawFloor } from './raw-floor.js';
import { redisSemaphore } from './redis-semaphore.js';
import { redlockUniversal } from './redlock-universal.js';
import { sesameRedlock } from './sesame-redlock.js';

/** Every implementation, in table order: ours first, the floor last. */
export const contenders: readonly Contender[] = [
  oursIoredis,
  oursNodeRedis,
  oursIoredisLine,
  oursNodeRedisLine,
  oursCompat,
  nodeRedlock,
  sesameRedlock,
  redlockUniversal,
  redisSemaphore,
  rawFloor,
];
