/**
 * Runs one program against fresh real servers: one `redis-server` per
 * distinct address the program names (a TLS one for `rediss://`, with the
 * credential of the URL), the addresses rewritten to point at them, and the
 * test CA trusted through `NODE_EXTRA_CA_CERTS`. The servers are stopped
 * afterwards, whatever happened.
 */
import path from 'node:path';
import {
  type RedisServer,
  startRedisServer,
  stopRedisServers,
  type TestCertificates,
} from '@redlock/test-utils';
import type { SnippetProgram } from './extract-snippets.js';
import { programFileName } from './find-doc-programs.js';
import { rewriteAddresses, type SnippetAddress, snippetAddresses } from './rewrite-addresses.js';
import { type ProgramOutcome, runProgram } from './run-program.js';

/** Options of {@link runAgainstServers}. */
export interface RunAgainstServersOptions {
  /** Where the rewritten program is written. */
  scratchDir: string;
  timeoutMs: number;
  /** Needed when the program names a `rediss://` address. */
  certificates?: TestCertificates;
  nodePath?: string;
}

/** Whether any program names a `rediss://` address (then certificates are needed). */
export function needsTls(programs: readonly SnippetProgram[]): boolean {
  return programs.some((program) => snippetAddresses(program.source).some((a) => a.tls));
}

/** Runs `program` against fresh servers; resolves with how it ended. */
export async function runAgainstServers(
  program: SnippetProgram,
  options: RunAgainstServersOptions,
): Promise<ProgramOutcome> {
  const addresses = snippetAddresses(program.source);
  const servers: RedisServer[] = [];
  try {
    for (const address of addresses) servers.push(await serverFor(address, options.certificates));
    const source = rewriteAddresses(program.source, (address) => {
      const index = addresses.findIndex(
        (a) => a.authority === address.authority && a.tls === address.tls,
      );
      const server = servers[index]!;
      return { host: server.host, port: address.tls ? server.tlsPort : server.port };
    });
    return await runProgram(path.join(options.scratchDir, programFileName(program)), source, {
      timeoutMs: options.timeoutMs,
      env: options.certificates ? { NODE_EXTRA_CA_CERTS: options.certificates.caFile } : {},
      ...(options.nodePath ? { nodePath: options.nodePath } : {}),
    });
  } finally {
    await stopRedisServers(servers);
  }
}

async function serverFor(
  address: SnippetAddress,
  certificates: TestCertificates | undefined,
): Promise<RedisServer> {
  if (address.tls && !certificates) {
    throw new Error(`${address.authority} is a rediss:// address: pass certificates`);
  }
  const server = await startRedisServer(address.tls ? { tls: certificates! } : {});
  if (address.username && address.password !== undefined) {
    // biome-ignore format: one ACL rule per argument
    await server.command('ACL', 'SETUSER', address.username, 'on', `>${address.password}`, '~*', '&*', '+@all');
  } else if (address.password !== undefined) {
    await server.command('CONFIG', 'SET', 'requirepass', address.password);
  }
  return server;
}
