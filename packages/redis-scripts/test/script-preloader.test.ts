import { describe, expect, it } from 'vitest';
import { evalScript, type ScriptEvaluator, ScriptPreloader } from '../src/index.js';
import { acquireScript } from '../src/lock-scripts.js';

/** A load that settles only when the test says so, counting how often it was started. */
function controllableLoad() {
  const loads: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const load = () =>
    new Promise<void>((resolve, reject) => {
      loads.push({ resolve, reject });
    });
  return { load, loads };
}

describe('ScriptPreloader', () => {
  it('loads once per connection and hands every caller that same load', async () => {
    const { load, loads } = controllableLoad();
    const preloader = new ScriptPreloader(load);

    const first = preloader.connectionReady();
    const second = preloader.connectionReady();
    await Promise.resolve();

    expect(second).toBe(first);
    expect(loads).toHaveLength(1);
    expect(preloader.scriptsCached).toBe(false);
    loads[0]!.resolve();
    await first;
    expect(preloader.scriptsCached).toBe(true);
  });

  it('loads again on the next connection after one was lost', async () => {
    const { load, loads } = controllableLoad();
    const preloader = new ScriptPreloader(load);
    const first = preloader.connectionReady();
    await Promise.resolve();
    loads[0]!.resolve();
    await first;

    preloader.connectionLost();

    expect(preloader.scriptsCached).toBe(false);
    const second = preloader.connectionReady();
    expect(second).not.toBe(first);
    await Promise.resolve();
    expect(loads).toHaveLength(2);
  });

  it('does not count a load that finished after its connection was lost', async () => {
    const { load, loads } = controllableLoad();
    const preloader = new ScriptPreloader(load);
    const stale = preloader.connectionReady();
    await Promise.resolve();

    preloader.connectionLost();
    loads[0]!.resolve();
    await stale;

    expect(preloader.scriptsCached).toBe(false);
  });

  it('never rejects, and falls back to EVALSHA with NOSCRIPT handling after a failed load', async () => {
    const { load, loads } = controllableLoad();
    const preloader = new ScriptPreloader(load);
    const loading = preloader.connectionReady();
    await Promise.resolve();

    loads[0]!.reject(new Error("NOPERM this user has no permissions to run the 'script' command"));

    await expect(loading).resolves.toBeUndefined();
    expect(preloader.scriptsCached).toBe(true);
  });

  it('absorbs a load that throws synchronously', async () => {
    const preloader = new ScriptPreloader(() => {
      throw new Error('client is closed');
    });
    await expect(preloader.connectionReady()).resolves.toBeUndefined();
  });
});

describe('evalScript with scriptCached: false', () => {
  it('sends EVAL at once instead of EVALSHA', async () => {
    const sent: string[] = [];
    const evaluator: ScriptEvaluator = {
      evalSha: async () => {
        sent.push('EVALSHA');
        throw new Error('NOSCRIPT No matching script');
      },
      eval: async (source) => {
        sent.push(source === acquireScript.source ? 'EVAL acquire' : 'EVAL ?');
        return [1];
      },
    };

    expect(
      await evalScript(evaluator, acquireScript, ['k'], ['v', '10'], undefined, false),
    ).toEqual([1]);
    expect(sent).toEqual(['EVAL acquire']);

    sent.length = 0;
    await evalScript(evaluator, acquireScript, ['k'], ['v', '10']);
    expect(sent).toEqual(['EVALSHA', 'EVAL acquire']);
  });
});
