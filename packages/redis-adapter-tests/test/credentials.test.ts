import { InvalidArgumentError } from '@redlock/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redisClients } from '../src/clients.js';

// Passwords always hold a character no host, port or database can contain,
// so a name or message containing one can only have copied it from the input.
const password = fc
  .tuple(
    fc.string({ maxLength: 8 }),
    fc.constantFrom('!', '*', '~', '^', '$', '#'),
    fc.string({ maxLength: 8 }),
  )
  .map(([head, symbol, tail]) => `${head}${symbol}${tail}`);
const user = fc.string({
  unit: fc.constantFrom(...'abcxyz019'.split('')),
  minLength: 1,
  maxLength: 8,
});
// Only this machine, on a port nothing listens on: valid inputs connect and fail at once.
const target = fc.record({
  host: fc.constant('127.0.0.1'),
  port: fc.constant(1),
  db: fc.integer({ min: 0, max: 15 }),
  username: user,
  password,
});

describe.each(redisClients)('credentials ($name)', (client) => {
  it('never shows a password in the name of a node over a client that has one', () => {
    fc.assert(
      fc.property(target, (connection) => {
        const handle = client.unconnected(connection);
        const node = client.createNode(handle.client);
        void handle.close();
        expect(node.name).toBe(`redis://127.0.0.1:1/${connection.db}`);
        expect(node.name).not.toContain(connection.password);
      }),
      { numRuns: 100, seed: 9 },
    );
  });

  it('never shows a password in what createRedlock makes of a URL or object, valid or malformed', async () => {
    await fc.assert(
      fc.asyncProperty(
        target,
        fc.integer({ min: 0, max: 5 }),
        async ({ username, password: secret, db }, form) => {
          const inputs: unknown[] = [
            `redis://${username}:${encodeURIComponent(secret)}@127.0.0.1:1/${db}`,
            `redis://${username}:${secret}@127.0.0.1:1/${db}`,
            `${username}:${secret}@127.0.0.1:1`,
            `redis://${username}:${secret}127.0.0.1:1`,
            { host: '127.0.0.1', port: 1, db, username, password: secret },
            { host: `${username}:${secret}@127.0.0.1`, port: 1 },
          ];
          let shown: string;
          try {
            const redlock = client.createRedlock([inputs[form]], { closeTimeoutMs: 0 });
            shown = redlock.nodes.map((node) => node.name).join(' ');
            await redlock.close();
          } catch (error) {
            expect(error).toBeInstanceOf(InvalidArgumentError);
            shown = (error as Error).message;
          }
          expect(shown).not.toContain(secret);
          expect(shown).not.toContain(`${username}:`);
        },
      ),
      { numRuns: 60, seed: 9 },
    );
  });
});
