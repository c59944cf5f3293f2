import { useRedisServers } from '@redlock/test-utils/vitest';
import type { Redis } from 'ioredis';
import NodeRedlock, { ExecutionError as NodeExecutionError } from 'redlock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Redlock, { ExecutionError } from '../src/index.js';
import { ioredisKind, valueOn } from './clients.js';

// A rolling migration runs node-redlock and compat side by side on the same
// servers: they must exclude each other, key for key.
const { servers } = useRedisServers(3);

describe('node-redlock and @redlock/compat on the same servers', () => {
  let clients: Redis[];

  beforeAll(async () => {
    clients = (await Promise.all(servers.map((server) => ioredisKind.connect(server)))) as Redis[];
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
  });

  it('keeps a resource held by compat from node-redlock', async () => {
    const compat = new Redlock(clients);
    const original = new NodeRedlock(clients, { retryCount: 0 });
    const lock = await compat.acquire(['mixed:a'], 10_000);
    await lock.attempts.at(-1);

    await expect(original.acquire(['mixed:a'], 10_000)).rejects.toBeInstanceOf(NodeExecutionError);

    await lock.release();
    const theirs = await original.acquire(['mixed:a'], 10_000);
    await theirs.release();
  });

  it('keeps a resource held by node-redlock from compat, and stores the same value', async () => {
    const original = new NodeRedlock(clients);
    const compat = new Redlock(clients, { retryCount: 0 });
    const theirs = await original.acquire(['mixed:b'], 10_000);
    await Promise.all(theirs.attempts);
    for (const server of servers) expect(await valueOn(server, 'mixed:b')).toBe(theirs.value);

    await expect(compat.acquire(['mixed:b'], 10_000)).rejects.toBeInstanceOf(ExecutionError);

    await theirs.release();
    const ours = await compat.acquire(['mixed:b'], 10_000);
    await ours.release();
  });
});
