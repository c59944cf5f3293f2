import { describe, expect, it } from 'vitest';
import { useRedisSentinel } from '../src/vitest.js';

describe('startRedisSentinel', () => {
  const sentinel = useRedisSentinel({ replicas: 1, sentinels: 3 });

  it('starts a master, a replica and three sentinels that name the master', async () => {
    const { group } = sentinel;
    expect(group.servers).toHaveLength(2);
    expect(group.sentinels).toHaveLength(3);
    expect(group.sentinelAddresses).toEqual(
      group.sentinels.map((s) => ({ host: '127.0.0.1', port: s.port })),
    );
    for (const s of group.sentinels) {
      expect(await s.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'mymaster')).toEqual([
        '127.0.0.1',
        String(group.servers[0]!.port),
      ]);
    }
    expect(await group.master()).toBe(group.servers[0]);
  });

  it('replicates writes on the master to the replica', async () => {
    const { group } = sentinel;
    const master = await group.master();
    // WAIT counts acknowledgements of this connection's writes: one connection for both.
    const connection = await master.connect();
    await connection.call(['SET', 'replicated', 'yes']);
    expect(await connection.call(['WAIT', 1, 5000])).toBe(1);
    await connection.close();
    expect(await group.servers[1]!.command('GET', 'replicated')).toBe('yes');
  });

  it('fails over to the replica, and the old master follows the new one', async () => {
    const { group } = sentinel;
    const [first, second] = group.servers;
    const promoted = await group.failover();
    expect(promoted).toBe(second);
    expect(await group.master()).toBe(second);
    expect(((await second!.call('ROLE')) as string[])[0]).toBe('master');
    expect(((await first!.call('ROLE')) as string[])[0]).toBe('slave');
    const connection = await second!.connect();
    await connection.call(['SET', 'after-failover', '1']);
    expect(await connection.call(['WAIT', 1, 5000])).toBe(1);
    await connection.close();
    expect(await first!.command('GET', 'after-failover')).toBe('1');
  });
});

describe('startRedisSentinel with replicateThroughProxy', () => {
  const sentinel = useRedisSentinel({ replicas: 1, sentinels: 1, replicateThroughProxy: true });

  it('holds writes back from the replica while its proxy is black-holed', async () => {
    const { group } = sentinel;
    const [master, replica] = group.servers;
    const [proxy] = group.replicationProxies;
    const connection = await master!.connect();
    try {
      await connection.call(['SET', 'through-proxy', 'before']);
      expect(await connection.call(['WAIT', 1, 5000])).toBe(1);
      expect(await replica!.command('GET', 'through-proxy')).toBe('before');

      proxy!.blackhole(true);
      await connection.call(['SET', 'held-back', 'yes']);
      expect(await connection.call(['WAIT', 1, 300])).toBe(0);
      expect(await replica!.command('EXISTS', 'held-back')).toBe('0');
      expect(proxy!.droppedByteCount).toBeGreaterThan(0);
    } finally {
      proxy!.blackhole(false, { reset: true });
      await connection.close();
    }
  });
});
