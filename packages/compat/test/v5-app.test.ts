import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { useRedisServers } from '@redlock/test-utils/vitest';
import type { Redis } from 'ioredis';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ioredisKind } from './clients.js';

// "An app written against node-redlock v5 runs unchanged after replacing
// `from "redlock"` with `from "@redlock/compat"`."
const { servers } = useRedisServers(3);
const appPath = fileURLToPath(new URL('./fixtures/v5-app.ts', import.meta.url));
const configPath = fileURLToPath(new URL('../tsconfig.json', import.meta.url));

let previous: ts.Program | undefined;

/** Type errors of the app with `source` as its text (the second program reuses the first's files). */
function typeErrors(source: string): string[] {
  const { config } = ts.readConfigFile(configPath, ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(
    config,
    ts.sys,
    fileURLToPath(new URL('..', import.meta.url)),
  );
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => (file === appPath ? source : readFile(file));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, ...rest) =>
    file === appPath
      ? ts.createSourceFile(file, source, language)
      : getSourceFile(file, language, ...rest);
  const program = ts.createProgram([appPath], { ...options, noEmit: true }, host, previous);
  previous = program;
  return ts
    .getPreEmitDiagnostics(program)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

const original = readFileSync(appPath, 'utf8');
const migrated = original.replace("from 'redlock'", "from '@redlock/compat'");

describe('a node-redlock v5 app, migrated by changing one import', () => {
  let clients: Redis[];

  beforeAll(async () => {
    clients = (await Promise.all(servers.map((server) => ioredisKind.connect(server)))) as Redis[];
  });
  afterAll(() => {
    for (const client of clients) client.disconnect();
  });

  it('changes exactly one line', () => {
    const changed = original.split('\n').filter((line, i) => line !== migrated.split('\n')[i]);
    expect(changed).toHaveLength(1);
  });

  it('type-checks against node-redlock and against @redlock/compat', () => {
    expect(typeErrors(original)).toEqual([]);
    expect(typeErrors(migrated)).toEqual([]);
  }, 60_000);

  it('logs the same on @redlock/compat as on node-redlock', async () => {
    const onNodeRedlock = await (await import('./fixtures/v5-app.js')).runApp(clients);
    vi.resetModules();
    vi.doMock('redlock', () => import('../src/index.js'));
    const compat = await import('../src/index.js');
    expect((await import('redlock')).default).toBe(compat.default);
    const onCompat = await (await import('./fixtures/v5-app.js')).runApp(clients);
    vi.doUnmock('redlock');

    expect(onNodeRedlock).toEqual([
      'using ran',
      'extended, valid: true',
      'The operation was unable to achieve a quorum during its retry window.',
      'attempts 2, membership 3, quorum 2',
      'votes for 0',
      'The operation was applied to: 0 of the 1 requested resources.',
      'Duration must be an integer value in milliseconds.',
    ]);
    expect(onCompat).toEqual(onNodeRedlock);
  });
});
