import { useRedisServers } from '@redlock/test-utils/vitest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import Redlock, { type Client, ExecutionError } from '../src/index.js';
import { clientKinds, valueOn } from './clients.js';

// node-redlock's `using` expectations.
const { servers } = useRedisServers(1);

describe.each(clientKinds)('using() with a $name client', (kind) => {
  let client: Client;

  beforeAll(async () => {
    client = await kind.connect(servers[0]!);
  });
  afterEach(async () => {
    await servers[0]!.command('FLUSHALL');
  });
  afterAll(async () => {
    await kind.close(client);
  });

  it('acquires, extends past the duration, and releases', async () => {
    const redlock = new Redlock([client]);
    const value = await redlock.using(
      ['{redlock}x'],
      500,
      { automaticExtensionThreshold: 200 },
      async (signal) => {
        const held = await valueOn(servers[0]!, '{redlock}x');
        expect(typeof held).toBe('string');
        // Real time is the subject: outlive the 500 ms duration, so it must be extended.
        await new Promise((resolve) => setTimeout(resolve, 700));
        expect(signal.aborted).toBe(false);
        expect(signal.error).toBeUndefined();
        expect(await valueOn(servers[0]!, '{redlock}x')).toBe(held);
        return held;
      },
    );
    expect(typeof value).toBe('string');
    expect(await valueOn(servers[0]!, '{redlock}x')).toBeNull();
  });

  it('is exclusive: two routines on one resource never overlap', async () => {
    const redlock = new Redlock([client], { retryDelay: 20, retryJitter: 10 });
    let inside = 0;
    let overlapped = false;
    const routine = async () => {
      inside += 1;
      if (inside > 1) overlapped = true;
      const held = await valueOn(servers[0]!, '{redlock}y');
      await new Promise((resolve) => setTimeout(resolve, 100));
      inside -= 1;
      return held;
    };
    const [first, second] = await Promise.all([
      redlock.using(['{redlock}y'], 1000, routine),
      redlock.using(['{redlock}y'], 1000, routine),
    ]);
    expect(overlapped).toBe(false);
    expect(first).not.toBe(second);
    expect(await valueOn(servers[0]!, '{redlock}y')).toBeNull();
  });

  it('aborts the signal with signal.error set when the lock is lost', async () => {
    const redlock = new Redlock([client]);
    const outcome = await redlock.using(['{redlock}lost'], 1000, async (signal) => {
      // Another owner takes the resource: the next extension must fail.
      await servers[0]!.command('SET', '{redlock}lost', 'thief', 'PX', '60000');
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      return signal.error;
    });
    expect(outcome).toBeInstanceOf(ExecutionError);
    expect((outcome as ExecutionError).message).toBe(
      'The operation was unable to achieve a quorum during its retry window.',
    );
    expect((outcome as ExecutionError).cause).toBeInstanceOf(Error);
    expect(await valueOn(servers[0]!, '{redlock}lost')).toBe('thief');
  });

  it('refuses a duration within 100 ms of the extension threshold, with node-redlock’s message', async () => {
    const redlock = new Redlock([client]);
    await expect(redlock.using(['{redlock}short'], 550, async () => 'ran')).rejects.toThrow(
      'A lock `duration` must be at least 100ms greater than the `automaticExtensionThreshold` setting.',
    );
    expect(await valueOn(servers[0]!, '{redlock}short')).toBeNull();
  });

  it('passes the routine’s error through and still releases', async () => {
    const redlock = new Redlock([client]);
    await expect(
      redlock.using(['{redlock}throws'], 1000, async () => {
        throw new Error('routine failed');
      }),
    ).rejects.toThrow('routine failed');
    expect(await valueOn(servers[0]!, '{redlock}throws')).toBeNull();
  });
});
