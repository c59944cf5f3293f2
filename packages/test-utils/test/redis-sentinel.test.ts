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
    await master.command('SET', 'replicated', 'yes');
    expect(await master.call('WAIT', 1, 5000)).toBe(1);
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
    await second!.command('SET', 'after-failover', '1');
    expect(await second!.call('WAIT', 1, 5000)).toBe(1);
    expect(await first!.command('GET', 'after-failover')).toBe('1');
  });
});
