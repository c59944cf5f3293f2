import { InvalidArgumentError } from '@redlock/core';
import {
  ioredisFamilyPort,
  isIoredisFamilyClient,
  RedisLockNode,
  type RedisLockNodeSettings,
} from '@redlock/redis-scripts';
import type { Cluster, Redis } from 'iovalkey';

/** The iovalkey clients a node can run on: a standalone (or Sentinel) `Redis`, or a `Cluster`. */
export type IovalkeyClient = Redis | Cluster;

/**
 * A `LockNode` on one Valkey or Redis deployment through an
 * [iovalkey](https://github.com/valkey-io/iovalkey) `Redis` (standalone or
 * Sentinel-managed) or `Cluster`:
 * `new Redlock(urls.map((url) => new IovalkeyLockNode(new Redis(url))))`.
 *
 * iovalkey is ioredis' fork for Valkey and keeps its client API, so this
 * node runs on the same client port as `IoredisLockNode` and behaves alike:
 * one Lua script per call, a known-down connection failing calls at once
 * with its cause, cluster slot checks, `watch` over a duplicate connection.
 * `close()` never closes the client you passed in.
 */
export class IovalkeyLockNode extends RedisLockNode {
  constructor(client: IovalkeyClient, options: RedisLockNodeSettings = {}) {
    if (!isIoredisFamilyClient(client)) {
      throw new InvalidArgumentError(
        'IovalkeyLockNode needs an iovalkey Redis or Cluster instance, e.g. new IovalkeyLockNode(new Redis(url)); for node-redis or GLIDE clients use @redlock/node-redis or @redlock/valkey-glide',
      );
    }
    super(ioredisFamilyPort(client), options);
  }
}
