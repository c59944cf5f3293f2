import { describe, expect, it } from 'vitest';
import {
  DEFAULT_GRACE_MS,
  DEFAULT_TTL_MS,
  DEFAULT_URL,
  formatDuration,
  parseDuration,
  parseInvocation,
  UsageError,
} from '../src/index.js';

const parse = (argv: string[], env: Record<string, string> = {}) => parseInvocation(argv, env);

function usageMessage(argv: string[], env: Record<string, string> = {}): string {
  try {
    parse(argv, env);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
}

describe('durations', () => {
  it('reads ms, s, m and h, with decimals', () => {
    expect(parseDuration('500ms')).toEqual({ ms: 500 });
    expect(parseDuration('30s')).toEqual({ ms: 30_000 });
    expect(parseDuration('1.5s')).toEqual({ ms: 1500 });
    expect(parseDuration('2m')).toEqual({ ms: 120_000 });
    expect(parseDuration('1h')).toEqual({ ms: 3_600_000 });
  });

  it('refuses a bare number, a negative one and an unknown unit', () => {
    for (const text of ['30', '-1s', '5d', 's', '', '1e3ms']) {
      expect(parseDuration(text)).toHaveProperty('problem');
    }
  });

  it('refuses what a timer cannot wait for', () => {
    expect(parseDuration('600h')).toHaveProperty('problem');
  });

  it('formats for people', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_400)).toBe('12.4 s');
    expect(formatDuration(200_000)).toBe('3 min 20 s');
  });
});

describe('redlock run arguments', () => {
  it('splits options, resources and the command at --', () => {
    const invocation = parse(['run', '--ttl', '10s', 'job', '--', 'sh', '-c', 'echo --ttl 1s']);
    expect(invocation).toMatchObject({
      kind: 'run',
      resources: ['job'],
      command: 'sh',
      args: ['-c', 'echo --ttl 1s'],
      ttlMs: 10_000,
      waitMs: undefined,
      noWait: false,
      graceMs: DEFAULT_GRACE_MS,
      urls: [DEFAULT_URL],
    });
  });

  it('passes --key-prefix on, empty by default', () => {
    expect(parse(['inspect', '--key-prefix', 'locks:', 'job'])).toMatchObject({
      keyPrefix: 'locks:',
    });
    expect(parse(['inspect', 'job'])).toMatchObject({ keyPrefix: '' });
  });

  it('takes several resources, options anywhere before --, and the defaults', () => {
    const invocation = parse(['--quiet', 'run', 'a', 'b', '--wait=2m', '--', 'true']);
    expect(invocation).toMatchObject({
      resources: ['a', 'b'],
      waitMs: 120_000,
      ttlMs: DEFAULT_TTL_MS,
      quiet: true,
    });
  });

  it('reads --redis, else REDLOCK_URLS, as a comma-separated list', () => {
    const env = { REDLOCK_URLS: 'redis://a:1, redis://b:2' };
    expect(parse(['run', 'job', '--', 'true'], env)).toMatchObject({
      urls: ['redis://a:1', 'redis://b:2'],
    });
    expect(parse(['run', '--redis', 'redis://c:3', 'job', '--', 'true'], env)).toMatchObject({
      urls: ['redis://c:3'],
    });
    expect(parse(['run', 'job', '--', 'true'], { REDLOCK_URLS: '' })).toMatchObject({
      urls: [DEFAULT_URL],
    });
  });

  it('explains each mistake in one line', () => {
    expect(usageMessage(['run', '--frob', 'job', '--', 'true'])).toBe('unknown option --frob');
    expect(usageMessage(['run', '--ttl', '30', 'job', '--', 'true'])).toMatch(
      /^--ttl: not a duration/,
    );
    expect(usageMessage(['run', 'job'])).toMatch(/^no command given/);
    expect(usageMessage(['run', 'job', '--'])).toBe('no command given after --');
    expect(usageMessage(['run', 'job', 'echo', 'hi'])).toBe(
      'put the command after --: redlock run job -- echo hi',
    );
    expect(usageMessage(['run', '--', 'true'])).toMatch(/^no resource given/);
    expect(usageMessage(['run', '--no-wait', '--wait', '1s', 'j', '--', 'true'])).toMatch(
      /contradict/,
    );
    expect(usageMessage(['run', '--ttl', '0ms', 'j', '--', 'true'])).toMatch(
      /--ttl must be longer/,
    );
    expect(usageMessage(['run', '--redis', ' , ', 'j', '--', 'true'])).toBe('--redis lists no URL');
    expect(usageMessage(['stop', 'j'])).toMatch(/^unknown command "stop"/);
    expect(usageMessage([])).toBe('no subcommand given');
    expect(usageMessage(['run', 'j', '--ttl'])).toBe('--ttl needs a value');
    for (const message of [usageMessage(['run', '--frob', 'j', '--', 'x'])]) {
      expect(message).not.toContain('\n');
    }
  });

  it('answers --help and --version before checking the rest', () => {
    expect(parse(['run', '--help'])).toEqual({ kind: 'help', subcommand: 'run' });
    expect(parse(['--version'])).toEqual({ kind: 'version' });
  });
});

describe('redlock inspect arguments', () => {
  it('takes resources and no run options', () => {
    expect(parse(['inspect', 'a', 'b', '--json'])).toMatchObject({
      kind: 'inspect',
      resources: ['a', 'b'],
      json: true,
    });
    expect(usageMessage(['inspect', '--ttl', '1s', 'a'])).toBe('--ttl is an option of redlock run');
    expect(usageMessage(['inspect', 'a', '--', 'true'])).toBe('redlock inspect runs no command');
  });
});
