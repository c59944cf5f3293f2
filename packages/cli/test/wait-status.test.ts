import { MemoryLockNode } from '@redlock/memory';
import { describe, expect, it } from 'vitest';
import { Reporter } from '../src/reporter.js';
import { showWaitStatus } from '../src/wait-status.js';

function terminal(isTTY: boolean) {
  const written: string[] = [];
  const stderr = { isTTY, columns: 120, write: (text: string) => written.push(text) };
  const output = () => written.join('');
  return { streams: { stdout: { write: () => true }, stderr }, output, written };
}

/** Resolves once `check` holds, polling the fake terminal the status line is drawn on. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('the status line while waiting', () => {
  it('says where the lock is held and when it expires, on a TTY', async () => {
    const nodes = Array.from(
      { length: 5 },
      (_, index) => new MemoryLockNode({ name: `n${index}` }),
    );
    for (const node of nodes.slice(0, 3)) await node.acquire(['nightly-report'], 'other', 12_450);
    const { streams, output } = terminal(true);
    const reporter = new Reporter(streams, { quiet: false, json: false });
    const stop = showWaitStatus(nodes, ['nightly-report'], reporter);
    await until(() => output().includes('expires'));
    stop();
    const clearLine = '\r\x1b[2K';
    expect(output().startsWith(`${clearLine}waiting for "nightly-report": `)).toBe(true);
    expect(output()).toMatch(
      /waiting for "nightly-report": held on 3\/5 nodes, expires in 12\.\d s/,
    );
    expect(output().endsWith(clearLine)).toBe(true);
  });

  it('counts nodes that do not answer', async () => {
    const nodes = [new MemoryLockNode(), new MemoryLockNode(), new MemoryLockNode()];
    await nodes[0]!.acquire(['job'], 'other', 5000);
    nodes[2]!.setAvailable(false);
    const { streams, output } = terminal(true);
    const stop = showWaitStatus(
      nodes,
      ['job'],
      new Reporter(streams, { quiet: false, json: false }),
    );
    await until(() => output().includes('answering'));
    stop();
    expect(output()).toMatch(
      /waiting for "job": held on 1\/3 nodes, expires in [1-5]\.\d s, 1 not answering/,
    );
  });

  it('draws nothing off a TTY, with --quiet or with --json', () => {
    for (const [isTTY, quiet, json] of [
      [false, false, false],
      [true, true, false],
      [true, false, true],
    ] as const) {
      const { streams, written } = terminal(isTTY);
      const reporter = new Reporter(streams, { quiet, json });
      expect(reporter.canShowStatus).toBe(false);
      reporter.status('waiting');
      expect(written).toEqual([]);
    }
  });
});
