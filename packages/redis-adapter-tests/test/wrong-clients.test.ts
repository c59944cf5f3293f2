import { InvalidArgumentError } from '@redlock/core';
import { describe, expect, it } from 'vitest';
import { redisClients } from '../src/clients.js';

describe.each(redisClients)('wrong clients ($name)', (client) => {
  it('refuses a client of another library at construction, naming the right package', () => {
    const foreign = client.foreignClient();
    const error = (() => {
      try {
        client.createNode(foreign.client);
      } catch (caught) {
        return caught;
      }
    })();
    void foreign.close();
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(/LockNode needs/);
  });

  it.each([null, undefined, {}, 'redis://127.0.0.1:6379', 42])(
    'refuses %s as a client',
    (value) => {
      expect(() => client.createNode(value)).toThrow(InvalidArgumentError);
    },
  );

  it('refuses the clients of its own library it cannot lock on, in the node and in createRedlock', () => {
    for (const { label, client: unsupported } of client.unsupportedClients?.() ?? []) {
      expect(() => client.createNode(unsupported), label).toThrow(InvalidArgumentError);
      expect(() => client.createRedlock([unsupported]), label).toThrow(InvalidArgumentError);
    }
  });
});
