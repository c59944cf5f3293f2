import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  crc16,
  keySlot,
  type RedisClusterHandle,
  RedisReplyError,
  startRedisCluster,
} from '../src/index.js';

describe('keySlot', () => {
  it('is CRC16/XMODEM modulo 16384', () => {
    expect(crc16(Buffer.from('123456789'))).toBe(0x31c3);
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('')).toBe(0);
  });

  it('hashes only a non-empty hash tag', () => {
    expect(keySlot('{user1000}.following')).toBe(keySlot('user1000'));
    expect(keySlot('foo{bar}{zap}')).toBe(keySlot('bar'));
    // An empty tag `{}` does not count: the whole key is hashed.
    expect(keySlot('foo{}{bar}')).toBe(crc16(Buffer.from('foo{}{bar}')) % 16384);
    expect(keySlot('{}')).toBe(crc16(Buffer.from('{}')) % 16384);
  });
});

describe('startRedisCluster', () => {
  let cluster: RedisClusterHandle;
  beforeAll(async () => {
    cluster = await startRedisCluster();
  }, 30_000);
  afterAll(() => cluster?.stop());

  it('forms a 3-master cluster in state ok on every node', async () => {
    expect(cluster.nodes).toHaveLength(3);
    expect(cluster.startupNodes).toEqual(
      cluster.nodes.map((node) => ({ host: '127.0.0.1', port: node.port })),
    );
    for (const node of cluster.nodes) {
      const info = await node.command('CLUSTER', 'INFO');
      expect(info).toContain('cluster_state:ok');
      expect(info).toContain('cluster_known_nodes:3');
      expect(info).toContain('cluster_slots_assigned:16384');
    }
  });

  it('computes the same slot as CLUSTER KEYSLOT', async () => {
    const keys = ['foo', 'lock:orders:42', '{orders}:42', 'a{b}c', 'x{}y', '{}', 'ключ', ''];
    for (const key of keys) {
      expect(await cluster.nodes[0]!.call('CLUSTER', 'KEYSLOT', key)).toBe(keySlot(key));
    }
  });

  it('names the node that owns a key', async () => {
    const key = 'lock:owned';
    const owner = cluster.nodeForKey(key);
    await owner.command('SET', key, 'here');
    const other = cluster.nodes.find((node) => node !== owner)!;
    await expect(other.command('GET', key)).rejects.toThrow(RedisReplyError);
    await expect(other.command('GET', key)).rejects.toThrow(
      `MOVED ${keySlot(key)} 127.0.0.1:${owner.port}`,
    );
  });

  it('a restarted node rejoins with its slots and without its data', async () => {
    const key = 'lock:restarted';
    const owner = cluster.nodeForKey(key);
    await owner.command('SET', key, 'before');
    await owner.restart();
    await cluster.waitUntilReady();
    expect(await owner.call('GET', key)).toBeNull();
    await owner.command('SET', key, 'after');
    expect(await owner.command('GET', key)).toBe('after');
  });
});
