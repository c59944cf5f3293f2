import path from 'node:path';
import { createTestCertificates, type TestCertificates } from '@redlock/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractSnippetPrograms, runAgainstServers } from '../src/index.js';

const SCRATCH = path.resolve(import.meta.dirname, '../scratch/self-test');
const fence = '```';

let certificates: TestCertificates;
beforeAll(async () => {
  certificates = await createTestCertificates();
});
afterAll(() => certificates?.remove());

/** The one program of a markdown snippet made of `lines`. */
function program(lines: string[]) {
  return extractSnippetPrograms('self-test.md', [`${fence}ts run`, ...lines, fence].join('\n'))[0]!;
}

describe('runAgainstServers', () => {
  it('gives each distinct address its own real server, with the password of the URL', async () => {
    const snippet = program([
      "import { Redis } from 'ioredis';",
      "const a = new Redis('redis://10.0.0.1:6379');",
      "const b = new Redis('redis://:pa55@10.0.0.2:6379');",
      "const again = new Redis('redis://10.0.0.1:6379/0');",
      "await a.set('k', 'on-a');",
      "console.log(await b.get('k'), await again.get('k'));",
      'await Promise.all([a.quit(), b.quit(), again.quit()]);',
    ]);
    const outcome = await runAgainstServers(snippet, { scratchDir: SCRATCH, timeoutMs: 30_000 });
    expect(outcome).toMatchObject({ code: 0, timedOut: false, stdout: 'null on-a\n', stderr: '' });
  });

  it('serves rediss:// from a TLS server the program trusts through NODE_EXTRA_CA_CERTS', async () => {
    const snippet = program([
      "import { Redis } from 'ioredis';",
      "const client = new Redis('rediss://cache.example.com:6380');",
      'console.log(await client.ping());',
      'await client.quit();',
    ]);
    const outcome = await runAgainstServers(snippet, {
      scratchDir: SCRATCH,
      timeoutMs: 30_000,
      certificates,
    });
    expect(outcome).toMatchObject({ code: 0, stdout: 'PONG\n', stderr: '' });
  });

  it('reports a program that leaves a client open as timed out', async () => {
    const snippet = program([
      "import { Redis } from 'ioredis';",
      "const client = new Redis('redis://10.0.0.1:6379');",
      'await client.ping();',
    ]);
    const outcome = await runAgainstServers(snippet, { scratchDir: SCRATCH, timeoutMs: 3_000 });
    expect(outcome.timedOut).toBe(true);
  });
});
