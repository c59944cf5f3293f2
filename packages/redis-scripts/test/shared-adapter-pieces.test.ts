import { describe, expect, it } from 'vitest';
import {
  acquireScript,
  describeInvalidCloseTimeout,
  listClientsOrUrls,
  lockCommands,
  RELEASE_CHANNEL_PREFIX,
  releaseScript,
  type ScriptRunner,
} from '../src/index.js';

class BadArgument extends Error {}

describe('lockCommands', () => {
  it('rejects bad arguments with the adapter error before running any script', async () => {
    const runs: string[] = [];
    const run: ScriptRunner = async (script) => {
      runs.push(script.name);
      return [1];
    };
    const commands = lockCommands(run, (problem) => new BadArgument(problem));
    await expect(commands.acquire([], 'v', 100)).rejects.toBeInstanceOf(BadArgument);
    await expect(commands.extend(['k'], 'v', 0)).rejects.toBeInstanceOf(BadArgument);
    await expect(commands.release(['k'], '')).rejects.toBeInstanceOf(BadArgument);
    await expect(commands.inspect([])).rejects.toBeInstanceOf(BadArgument);
    expect(runs).toEqual([]);
  });

  it('lays out each script’s arguments and decodes its reply', async () => {
    const calls: [string, readonly string[], readonly string[]][] = [];
    const replies = new Map<string, unknown>([
      [acquireScript.name, [0, 1234]],
      [releaseScript.name, 2],
    ]);
    const run: ScriptRunner = async (script, keys, args) => {
      calls.push([script.name, keys, args]);
      return replies.get(script.name);
    };
    const commands = lockCommands(run, (problem) => new BadArgument(problem));
    expect(await commands.acquire(['a', 'b'], 'v', 500)).toEqual({ acquired: false, pttl: 1234 });
    expect(await commands.release(['a', 'b'], 'v')).toBe(2);
    expect(calls).toEqual([
      [acquireScript.name, ['a', 'b'], ['v', '500']],
      [releaseScript.name, ['a', 'b'], ['v', RELEASE_CHANNEL_PREFIX]],
    ]);
  });
});

describe('createRedlock arguments', () => {
  it('lists one client or URL, or several', () => {
    expect(listClientsOrUrls('redis://h:1')).toEqual({ entries: ['redis://h:1'] });
    const client = { fake: true };
    expect(listClientsOrUrls([client, 'redis://h:2'])).toEqual({
      entries: [client, 'redis://h:2'],
    });
  });

  it('names an empty list and a non-Redis URL, masking credentials', () => {
    expect(listClientsOrUrls([])).toEqual({
      problem: 'createRedlock needs at least one client or URL',
    });
    const listed = listClientsOrUrls('http://user:secret@h:1');
    expect(listed).toEqual({ problem: 'not a redis:// or rediss:// URL: "http://***@h:1"' });
  });

  it('accepts a finite closeTimeoutMs >= 0 only', () => {
    expect(describeInvalidCloseTimeout(0)).toBeUndefined();
    expect(describeInvalidCloseTimeout(1000)).toBeUndefined();
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, '10']) {
      expect(describeInvalidCloseTimeout(bad)).toMatch(/closeTimeoutMs must be a finite number/);
    }
  });
});
