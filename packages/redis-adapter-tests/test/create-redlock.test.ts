import { InvalidArgumentError, LockAcquireError } from '@redlock/core';
import { DEFAULT_REDIS_URL } from '@redlock/redis-scripts';
import type { RedisServer } from '@redlock/test-utils';
import { useRedisServers } from '@redlock/test-utils/vitest';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectAfterClose } from '../src/after-close.js';
import { redisClients } from '../src/clients.js';

const { servers } = useRedisServers(3);
const USER = 'locker';
const PASSWORD = 'pa:ss/w@rd';

beforeAll(async () => {
  // A user with a password on every server, so credentials really have to reach them.
  for (const server of servers) {
    await server.command('ACL', 'SETUSER', USER, 'on', `>${PASSWORD}`, '~*', '&*', '+@all');
  }
});

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(servers.map((server) => server.command('FLUSHALL')));
});

afterAll(async () => {
  for (const server of servers) await server.command('ACL', 'DELUSER', USER);
});

async function clientNames(server: RedisServer): Promise<string[]> {
  const list = await server.command('CLIENT', 'LIST');
  return [...list.matchAll(/ name=(\S*)/g)].map((match) => match[1]!);
}

/**
 * `CLIENT LIST` of `server` once a line matches `pattern` (at most 10 s).
 * A lock resolves at a quorum, so the connection to a server that was not
 * needed for it may still be opening.
 */
async function clientListMatching(server: RedisServer, pattern: RegExp): Promise<string> {
  const deadline = performance.now() + 10_000;
  for (;;) {
    const list = await server.command('CLIENT', 'LIST');
    if (pattern.test(list) || performance.now() > deadline) return list;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(redisClients)('createRedlock ($name)', (client) => {
  it(`uses ${DEFAULT_REDIS_URL} when given nothing`, async () => {
    const redlock = client.createRedlock();
    expect(redlock.nodes.map((node) => node.name)).toEqual(['redis://127.0.0.1:6379/0']);
    await redlock.close();
  });

  it('creates a client per URL and closes them on close()', async () => {
    const redlock = client.createRedlock(
      servers.map((server) => server.url),
      { clientOptions: client.namedClientOptions('redlock-owned') },
    );
    const lock = await redlock.acquire('owned', 10_000);
    await lock.release();
    for (const server of servers) {
      await clientListMatching(server, / name=redlock-owned /);
      expect(await clientNames(server)).toContain('redlock-owned');
    }

    await redlock.close();

    for (const server of servers) {
      await expectAfterClose(
        client,
        () => clientNames(server),
        (names) => expect(names).not.toContain('redlock-owned'),
      );
    }
  });

  it('takes { host, port, db, username, password } objects, like RedLock connection_details', async () => {
    const redlock = client.createRedlock(
      servers.map((server) => ({
        host: server.host,
        port: server.port,
        db: 3,
        username: USER,
        password: PASSWORD,
      })),
      { clientOptions: client.namedClientOptions('redlock-object') },
    );
    try {
      expect(redlock.nodes.map((node) => node.name)).toEqual(
        servers.map((server) => `redis://127.0.0.1:${server.port}/3`),
      );
      const lock = await redlock.acquire('objects', 10_000);
      const expected = new RegExp(`name=redlock-object .*db=3 .*user=${USER}`);
      expect(await clientListMatching(servers[0]!, expected)).toMatch(expected);
      await lock.release();
    } finally {
      await redlock.close();
    }
  });

  it('takes URLs with credentials and a database, and names nodes without them', async () => {
    const secret = encodeURIComponent(PASSWORD);
    const redlock = client.createRedlock(
      servers.map((server) => `redis://${USER}:${secret}@127.0.0.1:${server.port}/2`),
    );
    try {
      for (const node of redlock.nodes) {
        expect(node.name).toMatch(/^redis:\/\/127\.0\.0\.1:\d+\/2$/);
      }
      const lock = await redlock.acquire('urls', 10_000);
      await lock.release();
    } finally {
      await redlock.close();
    }
  });

  it('never closes clients it was given', async () => {
    const handles = await Promise.all(
      servers.map((server) => client.connect({ host: server.host, port: server.port })),
    );
    try {
      const redlock = client.createRedlock(handles.map((handle) => handle.client));
      const lock = await redlock.acquire('given', 10_000);
      await lock.release();

      await redlock.close();

      const again = client.createRedlock(handles.map((handle) => handle.client));
      const relock = await again.acquire('given', 10_000);
      await relock.release();
      await again.close();
    } finally {
      await Promise.all(handles.map((handle) => handle.close()));
    }
  });

  it('passes Redlock options to Redlock and node options to every node', async () => {
    const redlock = client.createRedlock(
      servers.map((server) => server.url),
      { nodeTimeoutMs: 250, keyPrefix: 'app:' },
    );
    try {
      expect(redlock.nodeTimeoutMs).toBe(250);
      const lock = await redlock.acquire('orders:42', 10_000);
      const values = await Promise.all(
        servers.map((server) => server.command('GET', 'app:orders:42')),
      );
      expect(values.filter((value) => value === lock.value).length).toBeGreaterThanOrEqual(2);
      await lock.release();
    } finally {
      await redlock.close();
    }
  });

  it('never prints a wrong password, whatever the client makes of it', async () => {
    const consoleError = vi.spyOn(console, 'error');
    const redlock = client.createRedlock(
      [
        {
          host: servers[0]!.host,
          port: servers[0]!.port,
          username: USER,
          password: 'not-the-password-9',
        },
      ],
      { retryCount: 0, nodeTimeoutMs: 2000 },
    );
    try {
      const outcome = await redlock
        .acquire('wrong-password', 10_000)
        .catch((caught: unknown) => caught);
      // ioredis refuses (WRONGPASS); node-redis 5 and 6 carry on as the default user.
      const text =
        outcome instanceof LockAcquireError
          ? `${outcome.message} ${JSON.stringify(outcome.attempts, (_key, value) => (value instanceof Error ? value.message : value))}`
          : redlock.nodes.map((node) => node.name).join(' ');
      expect(text).toContain(`redis://127.0.0.1:${servers[0]!.port}/0`);
      expect(text).not.toContain('not-the-password-9');
      expect(consoleError).not.toHaveBeenCalled();
    } finally {
      await redlock.close();
    }
  });

  it('refuses bad entries and options before connecting, with an InvalidArgumentError', () => {
    const bad: [unknown, unknown?][] = [
      [[]],
      ['http://user:secret@example.com'],
      ['user:secret@example.com:6379'],
      [{ host: 'h', port: 'x' }],
      [{ host: 'h', prot: 1 }],
      [42],
      [null],
      [servers[0]!.url, null],
      [servers[0]!.url, { commandTimeoutMs: -1 }],
    ];
    for (const [servers_, options] of bad) {
      expect(() => client.createRedlock(servers_, options as never)).toThrow(InvalidArgumentError);
    }
  });

  it('refuses a client of another library at once', () => {
    const foreign = client.foreignClient();
    expect(() => client.createRedlock([foreign.client])).toThrow(InvalidArgumentError);
    expect(() => client.createNode(foreign.client)).toThrow(InvalidArgumentError);
    void foreign.close();
  });
});
