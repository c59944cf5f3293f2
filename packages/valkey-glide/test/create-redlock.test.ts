import { InvalidArgumentError } from '@redlock/core';
import type { RedisServer } from '@redlock/test-utils';
import { useRedisServers, useTlsRedisServers } from '@redlock/test-utils/vitest';
import { GlideClient, Logger } from '@valkey/valkey-glide';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import {
  createRedlock,
  glideConfiguration,
  ValkeyGlideLockNode,
  waitUntilReady,
} from '../src/index.js';

Logger.setLoggerConfig('off');

/**
 * Connections of clients other than the one asking. GLIDE's native core drops
 * a closed client's server connection on its own schedule (about 3 s after
 * `close()` here), without an event to wait for, so tests poll for it.
 */
async function otherConnections(server: RedisServer): Promise<number> {
  const list = await server.command('CLIENT', 'LIST');
  const others = list
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.includes('cmd=client|list'));
  return others.length;
}

describe('createRedlock with GLIDE', () => {
  const { servers } = useRedisServers(3);

  it('locks on the servers of its URLs and closes every client it created', async () => {
    const redlock = createRedlock(servers.map((server) => `${server.url}/0`));
    await waitUntilReady(redlock);
    const lock = await redlock.acquire('glide:orders:42', 5000);
    // An acquire resolves once a quorum granted; the third write may still be on its way.
    for (const server of servers) {
      await expect.poll(() => server.command('GET', 'glide:orders:42')).toBe(lock.value);
    }
    await lock.release();
    expect(await servers[0]!.command('EXISTS', 'glide:orders:42')).toBe('0');
    await redlock.close();
    for (const server of servers) {
      await expect.poll(() => otherConnections(server), { timeout: 10_000 }).toBe(0);
    }
  });

  it('closes at once when closed before it ever connected', async () => {
    const redlock = createRedlock(servers.map((server) => server.url));
    await redlock.close();
    for (const server of servers) {
      await expect.poll(() => otherConnections(server), { timeout: 10_000 }).toBe(0);
    }
    // What Redlock says about it is the shared suite's subject; here: no lock, no key.
    await expect(redlock.acquire('glide:after-close', 1000, { retryCount: 0 })).rejects.toThrow();
    for (const server of servers)
      expect(await server.command('EXISTS', 'glide:after-close')).toBe('0');
  });

  it('authenticates with the credentials of the URL and never names them', async () => {
    const server = servers[0]!;
    await server.command('ACL', 'SETUSER', 'locker', 'on', '>s3cret-pw', '~*', '&*', '+@all');
    try {
      const redlock = createRedlock(`redis://locker:s3cret-pw@127.0.0.1:${server.port}/0`);
      const lock = await redlock.acquire('glide:auth', 5000);
      await lock.release();
      await redlock.close();
      expect(JSON.stringify(redlock)).not.toContain('s3cret-pw');
    } finally {
      await server.command('ACL', 'DELUSER', 'locker');
    }
  });

  it('refuses a Unix socket before creating any client', () => {
    expect(() => createRedlock(['redis+unix:///tmp/redis.sock'])).toThrow(InvalidArgumentError);
    expect(() => createRedlock(['redis+unix:///tmp/redis.sock'])).toThrow(/TCP only/);
  });
});

describe('createRedlock with GLIDE over TLS', () => {
  const tls = useTlsRedisServers(1);

  it('locks through a { host, port, tls: { ca } } connection to a real TLS server', async () => {
    const server = tls.servers[0]!;
    const { ca } = tls.certificates;
    const redlock = createRedlock([{ host: '127.0.0.1', port: server.tlsPort, tls: { ca } }]);
    const lock = await redlock.acquire('glide:tls', 5000);
    expect(await server.command('GET', 'glide:tls')).toBe(lock.value);
    await lock.release();
    await redlock.close();
    expect(redlock).toBeDefined();
  });

  it('maps rediss:// to useTLS and the CA to rootCertificates', () => {
    const spec = {
      host: 'cache.internal',
      port: 6380,
      db: 2,
      path: undefined,
      username: 'u',
      password: 'p',
      tls: { ca: 'PEM' },
      name: 'rediss://cache.internal:6380/2',
    };
    expect(glideConfiguration(spec, undefined)).toMatchObject({
      addresses: [{ host: 'cache.internal', port: 6380 }],
      databaseId: 2,
      useTLS: true,
      credentials: { username: 'u', password: 'p' },
      advancedConfiguration: { tlsAdvancedConfiguration: { rootCertificates: 'PEM' } },
    });
  });
});

describe('ValkeyGlideLockNode', () => {
  it('refuses clients of other libraries and un-awaited createClient promises', () => {
    const ioredis = new Redis({ lazyConnect: true });
    expect(() => new ValkeyGlideLockNode(ioredis as never)).toThrow(InvalidArgumentError);
    const creating = GlideClient.createClient({
      addresses: [{ host: '127.0.0.1', port: 1 }],
      lazyConnect: true,
    });
    expect(() => new ValkeyGlideLockNode(creating as never)).toThrow(/got a Promise/);
    return creating.then((client) => client.close());
  });
});
