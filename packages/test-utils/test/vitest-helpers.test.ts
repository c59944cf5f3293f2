import { describe, expect, it } from 'vitest';
import { useRedisServers } from '../src/vitest.js';

describe('useRedisServers', () => {
  const { servers } = useRedisServers(2);

  it('fills the servers in beforeAll', async () => {
    expect(servers).toHaveLength(2);
    for (const server of servers) expect(await server.command('PING')).toBe('PONG');
  });
});
