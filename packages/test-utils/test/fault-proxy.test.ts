import { once } from 'node:events';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type FaultProxy,
  getFreePort,
  RedisCommandTimeoutError,
  type RedisServer,
  RespConnection,
  sendCommand,
  startFaultProxy,
  startRedisServer,
} from '../src/index.js';

describe('startFaultProxy', () => {
  let server: RedisServer;
  let proxy: FaultProxy;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(() => server?.stop());
  beforeEach(async () => {
    proxy = await startFaultProxy(server);
  });
  afterEach(() => proxy.close());

  it('forwards commands to the target on its own loopback port', async () => {
    expect(proxy.port).not.toBe(server.port);
    expect(proxy.url).toBe(`redis://127.0.0.1:${proxy.port}`);
    await sendCommand(proxy, ['SET', 'through-proxy', 'yes']);
    expect(await server.command('GET', 'through-proxy')).toBe('yes');
  });

  it('delivers delayed bytes in order, also when the latency is lowered mid-stream', async () => {
    const connection = await RespConnection.connect(proxy);
    await connection.call(['DEL', 'counter']);
    proxy.setLatency(50);
    const first = connection.call(['INCR', 'counter']);
    proxy.setLatency(0);
    const second = connection.call(['INCR', 'counter']);
    proxy.setLatency(20);
    const replies = await Promise.all([first, second, connection.call(['GET', 'counter'])]);
    expect(replies).toEqual([1, 2, '2']);
    await connection.close();
  });

  it('blackhole drops requests until turned off', async () => {
    const connection = await RespConnection.connect(proxy);
    proxy.blackhole(true);
    await expect(connection.call(['PING'], { timeoutMs: 200 })).rejects.toThrow(
      RedisCommandTimeoutError,
    );
    // New connections are accepted but hang as well.
    await expect(sendCommand(proxy, ['PING'], { timeoutMs: 200 })).rejects.toThrow(
      RedisCommandTimeoutError,
    );
    expect(proxy.droppedByteCount).toBeGreaterThan(0);
    proxy.blackhole(false);
    expect(await sendCommand(proxy, ['PING'])).toBe('PONG');
  });

  it('blackhole(false, { reset: true }) resets the connections that lost bytes, and only those', async () => {
    const idle = await RespConnection.connect(proxy);
    expect(await idle.call(['PING'])).toBe('PONG');
    const damaged = net.connect(proxy.port, proxy.host);
    damaged.on('error', () => {});
    await once(damaged, 'connect');
    const damagedError = once(damaged, 'error');
    proxy.blackhole(true);
    damaged.write('*1\r\n$4\r\nPING\r\n');
    // No event tells when the proxy has read (and dropped) the request.
    await vi.waitFor(() => expect(proxy.droppedByteCount).toBe(14));

    proxy.blackhole(false, { reset: true });

    const [error] = (await damagedError) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNRESET');
    expect(await idle.call(['PING'])).toBe('PONG');
    expect(proxy.connectionCount).toBe(1);
    await idle.close();
  });

  it('resetConnections resets every open client connection', async () => {
    const connection = await RespConnection.connect(proxy);
    expect(await connection.call(['PING'])).toBe('PONG');
    expect(proxy.connectionCount).toBe(1);
    proxy.resetConnections();
    const reason = (await connection.closed) as NodeJS.ErrnoException;
    expect(reason.code).toBe('ECONNRESET');
    expect(connection.isOpen).toBe(false);
    expect(proxy.connectionCount).toBe(0);
    // The proxy keeps accepting new connections.
    expect(await sendCommand(proxy, ['PING'])).toBe('PONG');
  });

  it('resets the client when the target refuses the connection', async () => {
    const deadProxy = await startFaultProxy({ host: '127.0.0.1', port: await getFreePort() });
    const client = net.connect(deadProxy.port, '127.0.0.1');
    const closedWithError = await new Promise<boolean>((resolve) => {
      client.on('error', () => {});
      client.on('close', (hadError) => resolve(hadError));
    });
    expect(closedWithError).toBe(true);
    await deadProxy.close();
  });

  it('close stops listening and drops open connections', async () => {
    const connection = await RespConnection.connect(proxy);
    await proxy.close();
    await connection.closed;
    expect(connection.isOpen).toBe(false);
    await expect(sendCommand(proxy, ['PING'])).rejects.toThrow(/ECONNREFUSED/);
    proxy = await startFaultProxy(server); // for afterEach
  });
});
