import { InvalidArgumentError } from '@redlock/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REDIS_URL, parseRedisConnection } from '../src/index.js';

// Passwords always hold a character no host, port or database can contain,
// so a message or name containing one can only have copied it from the input.
const SYMBOLS = ['!', '*', '~', '^', '$', '(', '#', '|'];
const password = fc
  .tuple(
    fc.string({ unit: fc.constantFrom(...'abcXYZ0189/:@%'.split('')), maxLength: 10 }),
    fc.constantFrom(...SYMBOLS),
    fc.string({ maxLength: 6 }),
  )
  .map(([head, symbol, tail]) => `${head}${symbol}${tail}`);
const user = fc.string({
  unit: fc.constantFrom(...'abcdefxyz019'.split('')),
  minLength: 1,
  maxLength: 8,
});
const host = fc.constantFrom('127.0.0.1', 'localhost', 'cache.internal', '[::1]', '10.0.0.3');
const port = fc.integer({ min: 1, max: 65_535 });
const db = fc.integer({ min: 0, max: 15 });

/** URLs as people write them, right and wrong, around one password. */
const urlInput = fc
  .record({ user, password, host, port, db, form: fc.integer({ min: 0, max: 9 }), cut: fc.nat() })
  .map(({ user, password, host, port, db, form, cut }) => {
    const encoded = encodeURIComponent(password);
    const forms = [
      `redis://${user}:${encoded}@${host}:${port}/${db}`,
      `redis://${user}:${password}@${host}:${port}/${db}`,
      `rediss://${user}:${password}@${host}:${port}`,
      `${user}:${password}@${host}:${port}`,
      `redis://:${password}@${host}/${db}`,
      `redis://${user}:${password}${host}:${port}`,
      `redis:/${user}:${password}@${host}`,
      `redis://${user}:${password}@${host}:${port}/${db}?db=${password}`,
      `redis://${user}:${password}@${host}:${port}#${password}`,
      `redis+unix://${user}:${password}@/run/redis.sock?db=${db}`,
    ];
    const url = forms[form]!;
    // Also every prefix-with-a-character-dropped of it: the half-typed and the mangled.
    const at = cut % (url.length + 1);
    return { password, user, text: cut % 3 === 0 ? url.slice(0, at) + url.slice(at + 1) : url };
  });

const objectInput = fc
  .record({ user, password, host, port, db, form: fc.integer({ min: 0, max: 5 }) })
  .map(({ user, password, host, port, db, form }) => {
    const bare = host.replace(/^\[(.*)\]$/, '$1');
    const forms: Record<string, unknown>[] = [
      { host: bare, port, db, username: user, password },
      { host: `${user}:${password}@${bare}`, port },
      { host: password, port },
      { host: bare, port: password },
      { host: bare, db: password },
      { host: bare, port, [password]: true },
    ];
    return { password, user, input: forms[form]! };
  });

/** What a user could read: the error message, or the node name. */
function readable(input: unknown): string {
  try {
    return parseRedisConnection(input, 'server 0').name;
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return (error as Error).message;
  }
}

describe('parseRedisConnection', () => {
  it('never repeats a password or user:password, for any URL, valid or malformed', () => {
    fc.assert(
      fc.property(urlInput, ({ password, user, text }) => {
        const shown = readable(text);
        expect(shown).not.toContain(password);
        expect(shown).not.toContain(`${user}:${password}`);
        expect(shown).not.toContain(encodeURIComponent(password));
      }),
      { numRuns: 2000, seed: 9 },
    );
  });

  it('never repeats a password, for any connection object, valid or malformed', () => {
    fc.assert(
      fc.property(objectInput, ({ password, input }) => {
        expect(readable(input)).not.toContain(password);
      }),
      { numRuns: 1000, seed: 9 },
    );
  });

  it('reads URLs and objects into the same connection', () => {
    const fromUrl = parseRedisConnection('rediss://app:p%40ss@cache.internal:6380/2', 'server 0');
    const fromObject = parseRedisConnection(
      { host: 'cache.internal', port: 6380, db: 2, username: 'app', password: 'p@ss', tls: true },
      'server 0',
    );
    expect(fromUrl).toEqual(fromObject);
    expect(fromUrl).toMatchObject({ name: 'rediss://cache.internal:6380/2', password: 'p@ss' });
    expect(parseRedisConnection(DEFAULT_REDIS_URL, 'x').name).toBe('redis://127.0.0.1:6379/0');
    expect(parseRedisConnection({}, 'x').name).toBe('redis://127.0.0.1:6379/0');
    expect(parseRedisConnection('redis://[::1]:7000', 'x').name).toBe('redis://[::1]:7000/0');
    expect(parseRedisConnection('redis+unix:///run/redis.sock?db=4', 'x')).toMatchObject({
      path: '/run/redis.sock',
      db: 4,
      name: 'redis+unix:///run/redis.sock?db=4',
    });
  });

  it.each([
    ['redis://user:hun/ter2@host:6379', 'does not parse'],
    ['user:hunter2@host:6379', 'must start with redis://'],
    ['http://user:secret@example.com', 'must start with redis://'],
    ['redis://host:6379/zero', 'database must be a whole number'],
  ])('names what is wrong with %s without showing it', (url, problem) => {
    expect(() => parseRedisConnection(url, 'server 1')).toThrow(problem);
    expect(() => parseRedisConnection(url, 'server 1')).toThrow(
      /^server 1 is not a usable Redis URL/,
    );
  });
});
