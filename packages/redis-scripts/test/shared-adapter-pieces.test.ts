import { InvalidArgumentError } from '@redlock/core';
import { describe, expect, it } from 'vitest';
import {
  acquireScript,
  lockCommands,
  RELEASE_CHANNEL_PREFIX,
  releaseScript,
  type ScriptRunner,
} from '../src/index.js';

describe('lockCommands', () => {
  it('rejects bad arguments with InvalidArgumentError before running any script', async () => {
    const runs: string[] = [];
    const run: ScriptRunner = async (script) => {
      runs.push(script.name);
      return [1];
    };
    const commands = lockCommands(run);
    await expect(commands.acquire([], 'v', 100)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(commands.extend(['k'], 'v', 0)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(commands.release(['k'], '')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(commands.inspect([])).rejects.toBeInstanceOf(InvalidArgumentError);
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
    const commands = lockCommands(run);
    expect(await commands.acquire(['a', 'b'], 'v', 500)).toEqual({ acquired: false, pttl: 1234 });
    expect(await commands.release(['a', 'b'], 'v')).toBe(2);
    expect(calls).toEqual([
      [acquireScript.name, ['a', 'b'], ['v', '500']],
      [releaseScript.name, ['a', 'b'], ['v', RELEASE_CHANNEL_PREFIX]],
    ]);
  });
});
