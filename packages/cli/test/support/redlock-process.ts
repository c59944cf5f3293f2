import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const binSource = path.join(packageDir, 'src/bin.ts');
// tsx runs the bin from source; the @redlock/source condition resolves our
// packages to their source too, so no build is needed before the tests.
const tsxLoader = createRequire(import.meta.url).resolve('tsx');

/** A `redlock` process started by a test, with its output collected. */
export interface RedlockProcess {
  readonly child: ChildProcess;
  /** Everything written to stdout so far (the command's output passes through). */
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout contains `text`; rejects if the process ends first. */
  waitForOutput(text: string): Promise<void>;
  /** Resolves when stderr contains `text` (e.g. a `--json` event); rejects if the process ends first. */
  waitForError(text: string): Promise<void>;
  /** Resolves once the process has exited. */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `redlock <args>` as a real process; `env` is added to the test's environment. */
export function startRedlock(
  args: readonly string[],
  env: Record<string, string> = {},
): RedlockProcess {
  const inherited: NodeJS.ProcessEnv = { ...process.env };
  delete inherited.REDLOCK_URLS;
  const child = spawn(
    process.execPath,
    ['--conditions=@redlock/source', '--import', tsxLoader, binSource, ...args],
    { cwd: packageDir, env: { ...inherited, ...env }, stdio: 'pipe' },
  );
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const waitFor = async (
    stream: NodeJS.ReadableStream,
    collected: () => string,
    text: string,
  ): Promise<void> => {
    while (!collected().includes(text)) {
      const ended = await Promise.race([
        once(stream, 'data').then(() => false),
        exit.then(() => true),
      ]);
      if (ended && !collected().includes(text)) {
        throw new Error(`redlock exited before writing ${JSON.stringify(text)}; stderr: ${err}`);
      }
    }
  };
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitForOutput: (text) => waitFor(child.stdout, () => out, text),
    waitForError: (text) => waitFor(child.stderr, () => err, text),
    async exited() {
      const result = await exit;
      // Let the last chunks of output arrive.
      if (child.stdout.readable) await once(child.stdout, 'close');
      return result;
    },
  };
}

/** Runs `redlock <args>` to completion. */
export async function runRedlock(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const process = startRedlock(args, env);
  const result = await process.exited();
  return { ...result, stdout: process.stdout(), stderr: process.stderr() };
}
