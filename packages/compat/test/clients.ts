import type { RedisServer } from '@redlock/test-utils';
import { Cluster, Redis } from 'ioredis';
import { createClient, createCluster } from 'redis';
import { expect } from 'vitest';
import type { Client } from '../src/index.js';

/** One way of connecting to Redis; every behavioural test runs once per kind. */
export interface ClientKind {
  readonly name: string;
  connect(server: RedisServer): Promise<Client>;
  connectCluster(startupNodes: readonly { host: string; port: number }[]): Promise<Client>;
  close(client: Client): Promise<void>;
}

export const ioredisKind: ClientKind = {
  name: 'ioredis',
  async connect(server) {
    const client = new Redis(server.url, { maxRetriesPerRequest: 0 });
    // Paused and stopped servers are part of the tests; failures show in the votes.
    client.on('error', () => undefined);
    await new Promise<void>((resolve) => client.once('ready', () => resolve()));
    return client;
  },
  async connectCluster(startupNodes) {
    const client = new Cluster([...startupNodes]);
    client.on('error', () => undefined);
    await new Promise<void>((resolve) => client.once('ready', () => resolve()));
    return client;
  },
  async close(client) {
    (client as Redis | Cluster).disconnect();
  },
};

export const nodeRedisKind: ClientKind = {
  name: 'node-redis',
  async connect(server) {
    const client = createClient({ url: server.url });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  },
  async connectCluster(startupNodes) {
    const client = createCluster({
      rootNodes: startupNodes.map(({ host, port }) => ({ url: `redis://${host}:${port}` })),
    });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  },
  async close(client) {
    (client as unknown as { destroy(): void }).destroy();
  },
};

export const clientKinds = [ioredisKind, nodeRedisKind] as const;

/** Raw reads through the test harness, independent of the client under test. */
export async function valueOn(server: RedisServer, key: string): Promise<string | null> {
  const reply = await server.call('GET', key);
  return reply === null ? null : String(reply);
}

export async function pttlOn(server: RedisServer, key: string): Promise<number> {
  return Number(await server.call('PTTL', key));
}

/** node-redlock's check: the key's TTL is the requested one, give or take 200 ms. */
export async function expectTtlNear(
  server: RedisServer,
  key: string,
  ttlMs: number,
): Promise<void> {
  const pttl = await pttlOn(server, key);
  expect(pttl).toBeGreaterThan(ttlMs - 200);
  expect(pttl).toBeLessThanOrEqual(ttlMs);
}

/** A PING through `client` itself: it returns after every command sent before it on that connection. */
export async function ping(client: Client): Promise<void> {
  await (client as unknown as { ping(): Promise<unknown> }).ping();
}
