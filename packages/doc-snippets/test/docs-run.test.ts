/**
 * Every code block of README.md and docs/ marked ```ts run (or run=NAME)
 * runs against real redis-servers and exits by itself, printing nothing on
 * stderr: what a user who copies it gets.
 */
import path from 'node:path';
import { createTestCertificates, type TestCertificates } from '@redlock/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultAddressCall,
  findDocPrograms,
  needsTls,
  runAgainstServers,
  type SnippetProgram,
} from '../src/index.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const SCRATCH = path.resolve(import.meta.dirname, '../scratch/run');
/** Generous: a program that does not exit by itself hangs forever, a slow one does not. */
const EXIT_TIMEOUT_MS = 30_000;

const programs = findDocPrograms(ROOT);

let certificates: TestCertificates | undefined;
beforeAll(async () => {
  if (needsTls(programs)) certificates = await createTestCertificates();
});
afterAll(() => certificates?.remove());

function title(program: SnippetProgram): string {
  const blocks = program.blockLines.length > 1 ? ` (${program.blockLines.length} blocks)` : '';
  return `${program.file}:${program.line}${program.group ? ` run=${program.group}` : ''}${blocks}`;
}

describe('runnable doc snippets', () => {
  it('are searched for in README.md and docs/', () => {
    // The extraction itself is tested in extract-snippets.test.ts; here the
    // list of programs is whatever the docs mark today.
    expect(programs.every((p) => p.file === 'README.md' || p.file.startsWith('docs'))).toBe(true);
  });

  for (const program of programs) {
    it(`${title(program)} runs against real servers and exits by itself`, async () => {
      expect(
        defaultAddressCall(program.source),
        'connects to the default address, which no test server has: name the addresses',
      ).toBeUndefined();
      const outcome = await runAgainstServers(program, {
        scratchDir: SCRATCH,
        timeoutMs: EXIT_TIMEOUT_MS,
        ...(certificates ? { certificates } : {}),
      });
      const report = `stdout:\n${outcome.stdout}\nstderr:\n${outcome.stderr}`;
      expect(
        outcome.timedOut,
        `did not exit within ${EXIT_TIMEOUT_MS} ms (a client left open?)\n${report}`,
      ).toBe(false);
      expect(outcome.code, `exited with ${outcome.code}\n${report}`).toBe(0);
      expect(outcome.stderr, 'printed on stderr').toBe('');
    });
  }
});
