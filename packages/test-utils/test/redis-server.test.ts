import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RedisCommandTimeoutError,
  RedisReplyError,
  type RedisServer,
  RedisServerMissingError,
  RedisServerStartError,
  startRedisServer,
  startRedisServers,
  stopRedisServers,
} from '../src/index.js';

describe('startRedisServers', () => {
  let servers: RedisServer[] = [];
  beforeAll(async () => {
    servers = await startRedisServers(2);
  });
  afterAll(() => stopRedisServers(servers));

  it('starts independent servers on distinct loopback ports', async () => {
    const [first, second] = servers;
    expect(first!.port).not.toBe(second!.port);
    expect(first!.url).toBe(`redis://127.0.0.1:${first!.port}`);
    await first!.command('SET', 'shared-key', 'on-first');
    expect(await first!.command('GET', 'shared-key')).toBe('on-first');
    expect(await second!.command('EXISTS', 'shared-key')).toBe('0');
  });

  it('starts without persistence', async () => {
    expect(await servers[0]!.call('CONFIG', 'GET', 'save')).toEqual(['save', '']);
    expect(await servers[0]!.call('CONFIG', 'GET', 'appendonly')).toEqual(['appendonly', 'no']);
  });

  it('decodes integer, bulk, nil, array and error replies', async () => {
    const server = servers[1]!;
    await server.command('FLUSHALL');
    expect(await server.call('RPUSH', 'list', 'a', 'b')).toBe(2);
    expect(await server.call('LRANGE', 'list', 0, -1)).toEqual(['a', 'b']);
    expect(await server.command('LRANGE', 'list', 0, -1)).toBe('a\nb');
    expect(await server.call('GET', 'missing')).toBeNull();
    expect(await server.command('DBSIZE')).toBe('1');
    await expect(server.command('INCR', 'list')).rejects.toThrow(RedisReplyError);
    await expect(server.command('NO-SUCH-COMMAND')).rejects.toThrow(/unknown command/);
  });

  it('serves SCAN and EVAL replies as nested arrays', async () => {
    const server = servers[1]!;
    await server.command('SET', 'scanned', '1');
    const [cursor, keys] = (await server.call('SCAN', 0, 'MATCH', 'scanned')) as [string, string[]];
    expect(typeof cursor).toBe('string');
    expect(keys).toEqual(['scanned']);
    expect(await server.call('EVAL', 'return {1, "two", {3}}', 0)).toEqual([1, 'two', [3]]);
  });
});

describe('RedisServer faults', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(() => server?.stop());

  it('pause makes PING time out and resume answers it again', async () => {
    server.pause();
    expect(server.isPaused).toBe(true);
    await expect(server.send(['PING'], { timeoutMs: 200 })).rejects.toThrow(
      RedisCommandTimeoutError,
    );
    server.resume();
    expect(server.isPaused).toBe(false);
    expect(await server.command('PING')).toBe('PONG');
  });

  it('answers a request sent while paused once resumed', async () => {
    const connection = await server.connect();
    server.pause();
    const reply = connection.call(['PING'], { timeoutMs: 10_000 });
    server.resume();
    expect(await reply).toBe('PONG');
    await connection.close();
  });

  it('restart loses the data and keeps the port', async () => {
    const port = server.port;
    await server.command('SET', 'before-restart', '1');
    await server.restart();
    expect(server.port).toBe(port);
    expect(server.isRunning).toBe(true);
    expect(await server.command('EXISTS', 'before-restart')).toBe('0');
  });

  it('kill crashes the process; restart brings it back on the same port', async () => {
    const port = server.port;
    await server.kill();
    expect(server.isRunning).toBe(false);
    await expect(server.command('PING')).rejects.toThrow(/ECONNREFUSED/);
    await server.restart();
    expect(server.port).toBe(port);
    expect(await server.command('PING')).toBe('PONG');
  });

  it('stops a paused server', async () => {
    const paused = await startRedisServer();
    paused.pause();
    await paused.stop();
    expect(paused.isRunning).toBe(false);
  });
});

describe('RedisServer.stop', () => {
  it('is idempotent and removes the temp dir', async () => {
    const server = await startRedisServer();
    expect(fs.existsSync(server.dir)).toBe(true);
    await Promise.all([server.stop(), server.stop()]);
    await server.stop();
    expect(server.isRunning).toBe(false);
    expect(fs.existsSync(server.dir)).toBe(false);
    await expect(server.command('PING')).rejects.toThrow(/ECONNREFUSED/);
  });
});

/** The `process_id` the server answering on `server`'s port reports. */
async function answeringPid(server: RedisServer): Promise<number> {
  const info = await server.command('INFO', 'server');
  return Number(/^process_id:(\d+)/m.exec(info)?.[1]);
}

describe('a port taken by another server', () => {
  it('is never shared: the new server moves to a free port and answers from its own process', async () => {
    const first = await startRedisServer();
    try {
      // As if another test process had raced us for the same free port and won.
      const second = await startRedisServer({ preferredPort: first.port });
      try {
        expect(second.port).not.toBe(first.port);
        expect(await answeringPid(second)).toBe(second.pid);
        expect(await answeringPid(first)).toBe(first.pid);
        await first.command('SET', 'owner', 'first');
        expect(await second.command('EXISTS', 'owner')).toBe('0');
      } finally {
        await second.stop();
      }
    } finally {
      await first.stop();
    }
  });

  it('makes restart() fail rather than share the port with the server now holding it', async () => {
    const server = await startRedisServer({ startTimeoutMs: 1000 });
    const port = server.port;
    await server.stop();
    const squatter = await startRedisServer({ preferredPort: port });
    try {
      expect(squatter.port).toBe(port);

      await expect(server.restart()).rejects.toThrow(`port ${port} is already in use`);

      expect(server.isRunning).toBe(false);
      expect(await answeringPid(squatter)).toBe(squatter.pid);
    } finally {
      await Promise.all([squatter.stop(), server.stop()]);
    }
  });
});

describe('start failures', () => {
  it('names the package to install when redis-server is missing, in one line', async () => {
    const start = startRedisServers(1, { redisServerPath: '/nonexistent/redis-server' });
    await expect(start).rejects.toThrow(RedisServerMissingError);
    await expect(start).rejects.toThrow(
      'redis-server not found on PATH: install it with "apt-get install -y redis-server redis-tools" (Debian/Ubuntu) or "brew install redis" (macOS)',
    );
    await expect(start).rejects.not.toThrow(/\n/);
  });

  it("reports the server's log when it exits during startup", async () => {
    const start = startRedisServer({ args: ['--no-such-directive', 'yes'] });
    await expect(start).rejects.toThrow(RedisServerStartError);
    await expect(start).rejects.toThrow(/no-such-directive/);
  });
});
