import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProgram } from '../src/index.js';

const SCRATCH = path.resolve(import.meta.dirname, '../scratch/self-test');

describe('runProgram', () => {
  it('runs TypeScript with workspace packages from source and reports its output', async () => {
    // test-utils is ours and resolves to src/index.ts only through the @redlock/source condition.
    const source = [
      "import { keySlot } from '@redlock/test-utils';",
      "const slot: number = keySlot('foo');",
      'await new Promise((resolve) => setTimeout(resolve, 10));',
      'console.log(slot);',
    ].join('\n');
    const outcome = await runProgram(path.join(SCRATCH, 'ok.ts'), source, { timeoutMs: 30_000 });
    expect(outcome).toEqual({ code: 0, timedOut: false, stdout: '12182\n', stderr: '' });
  });

  it('reports a program that does not exit by itself', async () => {
    const outcome = await runProgram(
      path.join(SCRATCH, 'hangs.ts'),
      'setInterval(() => {}, 1000);',
      {
        timeoutMs: 2_000,
      },
    );
    expect(outcome.timedOut).toBe(true);
    expect(outcome.code).toBeNull();
  });

  it('reports a failing program with its error', async () => {
    const outcome = await runProgram(
      path.join(SCRATCH, 'fails.ts'),
      "throw new Error('broken snippet');",
      {
        timeoutMs: 30_000,
      },
    );
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('broken snippet');
  });
});
