/**
 * TLS on a real TLS redis-server (certificates made for this run): every
 * client package's createRedlock connects to a `{ host, port, tls: { ca } }`
 * entry over TLS, and a client that does not trust the CA never locks.
 */
import { useTlsRedisServers } from '@redlock/test-utils/vitest';
import { describe, expect, it } from 'vitest';
import { redisClients } from '../src/clients.js';

describe.each(redisClients)('$name over TLS', (client) => {
  const tls = useTlsRedisServers(1);

  it('locks through createRedlock on a TLS server it trusts by the given CA', async () => {
    const server = tls.servers[0]!;
    const redlock = client.createRedlock([
      { host: '127.0.0.1', port: server.tlsPort, tls: { ca: tls.certificates.ca } },
    ]);
    try {
      const lock = await redlock.acquire('tls:orders:1', 5000);
      expect(await server.command('GET', 'tls:orders:1')).toBe(lock.value);
      await lock.release();
      expect(await server.command('EXISTS', 'tls:orders:1')).toBe('0');
    } finally {
      await redlock.close();
    }
  });

  it('never locks on a TLS server whose certificate it cannot verify', async () => {
    const server = tls.servers[0]!;
    const redlock = client.createRedlock([{ host: '127.0.0.1', port: server.tlsPort, tls: true }], {
      retryCount: 1,
      retryDelay: 10,
    });
    try {
      await expect(redlock.acquire('tls:untrusted', 5000)).rejects.toThrow();
      expect(await server.command('EXISTS', 'tls:untrusted')).toBe('0');
    } finally {
      await redlock.close();
    }
  });
});
