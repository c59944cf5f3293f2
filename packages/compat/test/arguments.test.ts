import { InvalidArgumentError } from '@redlock/core';
import { useRedisServers } from '@redlock/test-utils/vitest';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Redlock, { type Client } from '../src/index.js';
import { ioredisKind, valueOn } from './clients.js';

const { servers } = useRedisServers(1);

describe('bad arguments, refused before any server is touched', () => {
  let client: Redis;
  let twin: Redis;

  beforeAll(async () => {
    client = (await ioredisKind.connect(servers[0]!)) as Redis;
    twin = (await ioredisKind.connect(servers[0]!)) as Redis;
  });
  afterAll(() => {
    client.disconnect();
    twin.disconnect();
  });

  it('refuses no clients with node-redlock’s message', () => {
    expect(() => new Redlock([])).toThrow(
      new InvalidArgumentError('Redlock must be instantiated with at least one redis client.'),
    );
  });

  it('refuses something that is not a Redis client', () => {
    expect(() => new Redlock([{} as Client])).toThrow(InvalidArgumentError);
  });

  it('refuses custom scripts', () => {
    expect(() => new Redlock([client], {}, { acquireScript: (script) => script })).toThrow(
      'custom scripts',
    );
  });

  it('refuses an out-of-range setting on the first call', async () => {
    const redlock = new Redlock([client], { driftFactor: 2 });
    await expect(redlock.acquire(['args:drift'], 1000)).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    expect(await valueOn(servers[0]!, 'args:drift')).toBeNull();
  });

  it('refuses two clients of one server: a majority of one server counted twice is none', async () => {
    const redlock = new Redlock([client, twin]);
    await expect(redlock.acquire(['args:twice'], 1000)).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    expect(await valueOn(servers[0]!, 'args:twice')).toBeNull();
  });

  it('counts the same client object once, as node-redlock does', async () => {
    const redlock = new Redlock([client, client]);
    expect(redlock.clients.size).toBe(1);
    const lock = await redlock.acquire(['args:same'], 1000);
    expect((await lock.attempts.at(-1)!).membershipSize).toBe(1);
    await lock.release();
  });

  it('keeps node-redlock’s settings names and defaults', () => {
    expect(new Redlock([client]).settings).toEqual({
      driftFactor: 0.01,
      retryCount: 10,
      retryDelay: 200,
      retryJitter: 100,
      automaticExtensionThreshold: 500,
    });
  });
});
