import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The suite must catch real bugs. test/broken/*.suite.ts apply it to the
 * deliberately broken nodes of broken-nodes.ts; this file runs them in a
 * child vitest (their own config, outside this project's include) and checks
 * that exactly the tests that cover each bug failed, and that a healthy
 * node run the same way passes.
 */
const expectedFailures: Record<string, string[]> = {
  healthy: [],
  'release ignores the value': [
    'release > leaves keys held by another value',
    'release > refuses a value that differs only by case',
    'release > refuses a value that differs only by a trailing space',
    'release > refuses a value that differs only by a leading space',
    'release > refuses a value that differs only by a missing last character',
    'release > refuses a value that differs only by an extra last character',
    'watch (optional) > does not call onRelease when a release is refused for a wrong value',
    'Redlock > a Redlock of 3 nodes > locks only when a quorum of nodes is free, for every pattern of taken nodes',
    'Redlock > a Redlock of 5 nodes > locks only when a quorum of nodes is free, for every pattern of taken nodes',
  ],
  'non-atomic acquire': [
    'acquire > sets nothing when one key is held by another value (held key in the middle)',
    'acquire > sets nothing when one key is held by another value (held key last)',
    'acquire > reports the longest remaining TTL among the keys held by others',
  ],
  'extend creates keys': [
    'extend > changes nothing unless every key holds the value',
    'extend > never creates a key that does not exist',
    'extend > does not revive a released key',
    'TTL expiry > does not revive an expired key on extend',
  ],
  'claims held when down': [
    'a node whose backend is down > rejects acquire rather than claiming the lock',
    'a node whose backend is down > rejects extend rather than claiming the extension',
    'a node whose backend is down > rejects release rather than reporting a count',
    'a node whose backend is down > gives up promptly when the signal aborts while it waits for the backend',
  ],
  // The release of a lock reaches a straggler after its acquire only on an in-order node.
  'applies out of order': [
    'successive calls of one caller > are applied in the order they were sent: acquire, then release at once',
    'Redlock > a Redlock of 3 nodes > locks only when a quorum of nodes is free, for every pattern of taken nodes',
    'Redlock > a Redlock of 5 nodes > locks only when a quorum of nodes is free, for every pattern of taken nodes',
  ],
  'keeps abort listeners': [
    'successive calls of one caller > let go of their signal once settled (Redlock reuses a round signal)',
  ],
  'fence not persisted with the lock': [
    'fencing counters (optional) > are kept with the lock: another client of the same store reads them',
  ],
  // Reading a counter is a write-back of 0, which this node turns into a reset.
  'write-back lowers the fence': [
    'fencing counters (optional) > are never lowered by a write-back',
    'fencing counters (optional) > change no counter when the acquire is refused',
    'fencing counters (optional) > raise the counter on every grant, to at least the server clock in µs',
  ],
  'misses restarts': [
    'restart detection (optional) > reports a new run, just started, after the server restarted',
  ],
  'ignores aborted signals': [
    'an already-aborted signal > makes acquire reject without taking the key',
    'an already-aborted signal > makes extend reject without extending the key',
    'an already-aborted signal > makes release reject without deleting the key',
    'an already-aborted signal > accepts the reason of AbortSignal.abort() without one given',
  ],
};

interface JsonReport {
  testResults: {
    name: string;
    message?: string;
    assertionResults: { ancestorTitles: string[]; title: string; status: string }[];
  }[];
}

interface SuiteOutcome {
  passed: number;
  failed: string[];
}

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const SUITE_TITLE = /^LockNode conformance: (.*)$/;

/** Runs test/broken/ in a child vitest and groups test outcomes by suite name. */
async function runBrokenSuites(): Promise<Map<string, SuiteOutcome>> {
  const vitestCli = join(
    dirname(createRequire(import.meta.url).resolve('vitest/package.json')),
    'vitest.mjs',
  );
  const outputDir = await mkdtemp(join(tmpdir(), 'redlock-conformance-'));
  const outputFile = join(outputDir, 'report.json');
  // The child must not think it is a worker of this run.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'TEST'),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(
        process.execPath,
        [
          vitestCli,
          'run',
          '--config',
          'test/broken/vitest.config.ts',
          '--reporter=json',
          `--outputFile=${outputFile}`,
        ],
        { cwd: packageRoot, env, maxBuffer: 64 * 1024 * 1024 },
        // Failing tests make vitest exit 1: expected. Judge by the report.
        (error, _stdout, stderr) =>
          readFile(outputFile).then(
            () => resolve(),
            () =>
              reject(new Error(`the child vitest wrote no report (${error?.message})\n${stderr}`)),
          ),
      );
    });
    const report = JSON.parse(await readFile(outputFile, 'utf8')) as JsonReport;
    const outcomes = new Map<string, SuiteOutcome>();
    for (const file of report.testResults) {
      if (file.assertionResults.length === 0) {
        throw new Error(`${file.name} ran no tests: ${file.message ?? ''}`);
      }
      for (const test of file.assertionResults) {
        const [suiteTitle = '', ...groups] = test.ancestorTitles;
        const suite = SUITE_TITLE.exec(suiteTitle)?.[1] ?? suiteTitle;
        const outcome = outcomes.get(suite) ?? { passed: 0, failed: [] };
        outcomes.set(suite, outcome);
        if (test.status === 'passed') outcome.passed += 1;
        // A test of a capability the node lacks, or of an option the suite lacks, is skipped.
        else if (test.status === 'skipped' || test.status === 'pending') continue;
        else outcome.failed.push([...groups, test.title].join(' > '));
      }
    }
    return outcomes;
  } finally {
    await rm(outputDir, { recursive: true, force: true });
  }
}

describe('the conformance suite against broken nodes', () => {
  let outcomes: Map<string, SuiteOutcome>;
  beforeAll(async () => {
    outcomes = await runBrokenSuites();
  }, 120_000);

  it('ran a suite for every broken node and the healthy control', () => {
    expect([...outcomes.keys()].sort()).toEqual(Object.keys(expectedFailures).sort());
  });

  it.each(Object.entries(expectedFailures))(
    'fails "%s" on exactly the tests that cover its bug',
    (name, expected) => {
      const outcome = outcomes.get(name);
      expect(outcome, `no results for "${name}"`).toBeDefined();
      expect(outcome?.failed.sort()).toEqual([...expected].sort());
      expect(outcome?.passed, 'the rest of the suite still ran and passed').toBeGreaterThan(50);
    },
  );
});
