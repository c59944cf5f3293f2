/**
 * Real `redis-server` processes for tests: each on its own free loopback
 * port and temp dir, without persistence, as a child of the test process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RedisServerMissingError, RedisServerStartError } from './errors.js';
import { findExecutable } from './find-executable.js';
import { getFreePort } from './free-port.js';
import { forgetTempDir, trackChild, trackTempDir } from './process-reaper.js';
import { type RespCommandOptions, RespConnection, sendCommand } from './resp-connection.js';
import { type RespArgument, type RespReply, replyToText } from './resp-protocol.js';

/** Options of {@link startRedisServers}. */
export interface RedisServerOptions {
  /** Extra `redis-server` arguments, e.g. `['--maxmemory', '10mb']`. Relative paths resolve in the server's temp dir. */
  args?: readonly string[];
  /** How long a start (or restart) may take until the server answers PING. Default 10 000 ms. */
  startTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL. Default 5 000 ms. */
  stopTimeoutMs?: number;
  /** The binary to run. Default `$REDIS_SERVER_PATH` or `redis-server` on PATH. */
  redisServerPath?: string;
  /**
   * The port to try first instead of a free one, e.g. to reproduce a clash
   * with a server already there. If it is taken, a free port is used, as
   * when another process takes the chosen port first.
   */
  preferredPort?: number;
  /**
   * Also listen for TLS on a second free port ({@link RedisServer.tlsPort},
   * {@link RedisServer.tlsUrl}) with these files, e.g. from
   * `createTestCertificates()`. The plain port stays open for the harness
   * (`command()`, `send()`), so tests can inspect the server either way.
   */
  tls?: TlsServerFiles;
  /** With `tls`: whether clients must present a certificate (`--tls-auth-clients`). Default `'no'`. */
  tlsAuthClients?: 'yes' | 'no' | 'optional';
  /**
   * The text of a config file, written to `redis.conf` in the server's temp
   * dir and passed as the first argument (before the command-line options).
   * Sentinel needs one: it rewrites its config file with what it learns.
   * Kept across `restart()`.
   */
  config?: string;
}

/** The PEM files a TLS server needs (a `TestCertificates` has them). */
export interface TlsServerFiles {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

const HOST = '127.0.0.1';
const PORT_ATTEMPTS = 5;
const POLL_INTERVAL_MS = 20;
const POLL_TIMEOUT_MS = 500;
const LOG_TAIL_BYTES = 2_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One `redis-server` child process. Create with {@link startRedisServers}. */
export class RedisServer {
  readonly host = HOST;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private stderrTail = '';
  private paused = false;
  private stopping: Promise<void> | undefined;
  private removed = false;

  private constructor(
    private currentPort: number,
    private readonly currentTlsPort: number | undefined,
    /** The server's temp dir (its `--dir`); removed by `stop()`. */
    readonly dir: string,
    private readonly binary: string,
    private readonly options: RedisServerOptions,
  ) {}

  /** @internal Starts a server on a free port, retrying when the port was taken meanwhile. */
  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const requested = options.redisServerPath ?? process.env.REDIS_SERVER_PATH ?? 'redis-server';
    const binary = findExecutable(requested);
    if (!binary) throw new RedisServerMissingError();
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'redlock-redis-'));
    trackTempDir(dir);
    for (let attempt = 1; ; attempt++) {
      const port =
        attempt === 1 && options.preferredPort !== undefined
          ? options.preferredPort
          : await getFreePort(HOST);
      // A fresh TLS port per attempt too: either port may be the one taken meanwhile.
      const tlsPort = options.tls ? await getFreePort(HOST) : undefined;
      const server = new RedisServer(port, tlsPort, dir, binary, options);
      try {
        await server.launch();
        return server;
      } catch (error) {
        if (!(error instanceof PortInUseError) || attempt >= PORT_ATTEMPTS) {
          await server.stop();
          throw error;
        }
      }
    }
  }

  /** The port the server listens on; kept across `restart()`. */
  get port(): number {
    return this.currentPort;
  }

  /** `redis://127.0.0.1:PORT`, for clients. */
  get url(): string {
    return `redis://${HOST}:${this.currentPort}`;
  }

  /** The TLS port, when started with `tls`; kept across `restart()`. */
  get tlsPort(): number {
    if (this.currentTlsPort === undefined) throw new Error(`${this.url} was started without tls`);
    return this.currentTlsPort;
  }

  /** `rediss://127.0.0.1:TLS_PORT`, when started with `tls`. */
  get tlsUrl(): string {
    return `rediss://${HOST}:${this.tlsPort}`;
  }

  /** The process id, while a process exists. */
  get pid(): number | undefined {
    return this.isRunning ? this.child?.pid : undefined;
  }

  /** Whether the process exists (also while paused). */
  get isRunning(): boolean {
    return (
      this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
    );
  }

  /** Whether the process is stopped with SIGSTOP. */
  get isPaused(): boolean {
    return this.isRunning && this.paused;
  }

  /**
   * Runs a command and resolves with its reply as text (integers in decimal,
   * nil as '', array items one per line); an error reply rejects.
   *
   * @example
   * expect(await server.command('DBSIZE')).toBe('0');
   */
  async command(...args: RespArgument[]): Promise<string> {
    return replyToText(await this.send(args));
  }

  /** Runs a command and resolves with the decoded reply (`string | number | null | array`). */
  call(...args: RespArgument[]): Promise<RespReply> {
    return this.send(args);
  }

  /** Runs a command with options, e.g. a short deadline: `send(['PING'], { timeoutMs: 200 })`. */
  send(args: readonly RespArgument[], options?: RespCommandOptions): Promise<RespReply> {
    return sendCommand({ host: HOST, port: this.currentPort }, args, options);
  }

  /** Opens a persistent connection (close it yourself). */
  connect(options?: RespCommandOptions): Promise<RespConnection> {
    return RespConnection.connect({ host: HOST, port: this.currentPort }, options);
  }

  /** Freezes the process with SIGSTOP: connections stay open, nothing is answered. */
  pause(): void {
    if (!this.isRunning) throw new Error(`cannot pause ${this.url}: not running`);
    this.child!.kill('SIGSTOP');
    this.paused = true;
  }

  /** Continues a paused process with SIGCONT. */
  resume(): void {
    if (!this.isRunning) throw new Error(`cannot resume ${this.url}: not running`);
    this.child!.kill('SIGCONT');
    this.paused = false;
  }

  /** Kills the process with SIGKILL, like a crash; resolves once it exited. Data is lost. */
  async kill(): Promise<void> {
    if (this.isRunning) this.child!.kill('SIGKILL');
    await this.exited;
  }

  /**
   * Stops the process (SIGTERM, then SIGKILL after `stopTimeoutMs`) and
   * removes its temp dir; resolves once it exited. Safe to call twice.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.stopProcess();
      await fs.promises.rm(this.dir, { recursive: true, force: true });
      forgetTempDir(this.dir);
      this.removed = true;
    })().finally(() => {
      this.stopping = undefined;
    });
    return this.stopping;
  }

  /**
   * Stops the process and starts a new one on the same port; resolves when it
   * answers. Without persistence all data is gone. Works after `kill()` and
   * `stop()` too. Fails with a start error if another server holds the port
   * for the whole start timeout.
   */
  async restart(): Promise<void> {
    await this.stopProcess();
    if (this.removed) {
      await fs.promises.mkdir(this.dir, { recursive: true });
      trackTempDir(this.dir);
      this.removed = false;
    }
    // The same port may be briefly taken by someone else; keep trying for the start deadline.
    const deadline = performance.now() + (this.options.startTimeoutMs ?? 10_000);
    for (;;) {
      try {
        return await this.launch();
      } catch (error) {
        if (!(error instanceof PortInUseError) || performance.now() > deadline) throw error;
        await sleep(100);
      }
    }
  }

  private async stopProcess(): Promise<void> {
    const child = this.child;
    if (!this.isRunning || !child) return this.exited;
    child.kill('SIGTERM');
    // A paused process only handles SIGTERM once continued.
    if (this.paused) child.kill('SIGCONT');
    this.paused = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), this.options.stopTimeoutMs ?? 5_000);
    await this.exited;
    clearTimeout(timer);
  }

  /**
   * Spawns the process and waits until it answers on its port, checking that
   * the answer comes from this very process: another test process may have
   * picked the same free port and started its server there first, and a PONG
   * from that one would make two tests share a server without noticing.
   */
  private async launch(): Promise<void> {
    const configFile = path.join(this.dir, 'redis.conf');
    if (this.options.config !== undefined && !fs.existsSync(configFile)) {
      fs.writeFileSync(configFile, this.options.config);
    }
    // biome-ignore format: one option and its value per line
    const args = [
      ...(this.options.config !== undefined ? [configFile] : []),
      '--port', String(this.currentPort),
      '--bind', HOST,
      '--dir', this.dir,
      '--logfile', path.join(this.dir, 'redis.log'),
      '--save', '',
      '--appendonly', 'no',
      '--daemonize', 'no',
      '--enable-debug-command', 'local',
      ...this.tlsArgs(),
      ...(this.options.args ?? []),
    ];
    fs.rmSync(path.join(this.dir, 'redis.log'), { force: true });
    this.stderrTail = '';
    this.paused = false;
    const child = spawn(this.binary, args, {
      cwd: this.dir,
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: false,
    });
    this.child = child;
    let spawnError: Error | undefined;
    this.exited = new Promise((resolve) => {
      child.once('error', (error) => {
        spawnError = error;
        resolve();
      });
      child.once('exit', () => resolve());
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-LOG_TAIL_BYTES);
    });
    child.stderr?.on('error', () => {});
    trackChild(child);

    const startTimeoutMs = this.options.startTimeoutMs ?? 10_000;
    const deadline = performance.now() + startTimeoutMs;
    while (performance.now() < deadline) {
      if (spawnError) {
        if ((spawnError as NodeJS.ErrnoException).code === 'ENOENT') {
          throw new RedisServerMissingError();
        }
        throw new RedisServerStartError(
          `could not spawn ${this.binary}: ${spawnError.message}`,
          '',
        );
      }
      if (!this.isRunning) {
        const logTail = this.logTail();
        if (/Address already in use/i.test(logTail)) throw new PortInUseError(this.currentPort);
        throw new RedisServerStartError(
          `redis-server on port ${this.currentPort} exited during startup (code ${child.exitCode}, signal ${child.signalCode})`,
          logTail,
        );
      }
      const answeringPid = await this.answeringProcessId();
      if (answeringPid === child.pid) return;
      if (answeringPid !== undefined) {
        // Another redis-server holds the port; ours cannot bind it and would
        // only exit with "Address already in use" (or never answer).
        child.kill('SIGKILL');
        await this.exited;
        throw new PortInUseError(this.currentPort);
      }
      await sleep(POLL_INTERVAL_MS);
    }
    const logTail = this.logTail();
    child.kill('SIGKILL');
    await this.exited;
    throw new RedisServerStartError(
      `redis-server on port ${this.currentPort} did not answer within ${startTimeoutMs} ms`,
      logTail,
    );
  }

  private tlsArgs(): string[] {
    const files = this.options.tls;
    if (!files || this.currentTlsPort === undefined) return [];
    // biome-ignore format: one option and its value per line
    return [
      '--tls-port', String(this.currentTlsPort),
      '--tls-cert-file', files.certFile,
      '--tls-key-file', files.keyFile,
      '--tls-ca-cert-file', files.caFile,
      '--tls-auth-clients', this.options.tlsAuthClients ?? 'no',
    ];
  }

  /** The `process_id` of the redis-server answering on the port, if one does. */
  private async answeringProcessId(): Promise<number | undefined> {
    try {
      const info = await this.send(['INFO', 'server'], { timeoutMs: POLL_TIMEOUT_MS });
      const match = typeof info === 'string' ? /^process_id:(\d+)\r?$/m.exec(info) : null;
      return match ? Number(match[1]) : undefined;
    } catch {
      // Not listening yet, or not a Redis server: poll again.
      return undefined;
    }
  }

  /** The end of the server's log file and stderr. */
  private logTail(): string {
    let log = '';
    try {
      log = fs.readFileSync(path.join(this.dir, 'redis.log'), 'utf8').slice(-LOG_TAIL_BYTES);
    } catch {
      // No log written (yet).
    }
    return [log.trimEnd(), this.stderrTail.trimEnd()].filter(Boolean).join('\n');
  }
}

/** The chosen port was taken between picking it and binding it. */
class PortInUseError extends Error {
  constructor(port: number) {
    super(`port ${port} is already in use`);
  }
}

/**
 * Starts `count` independent `redis-server` processes on free loopback ports
 * and resolves once every one answers PING. If one fails, the others are
 * stopped and the error (e.g. {@link RedisServerMissingError}) is thrown.
 *
 * @example
 * const servers = await startRedisServers(3);
 * try { ... } finally { await stopRedisServers(servers); }
 */
export async function startRedisServers(
  count: number,
  options: RedisServerOptions = {},
): Promise<RedisServer[]> {
  const results = await Promise.allSettled(
    Array.from({ length: count }, () => RedisServer.start(options)),
  );
  const servers = results.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) {
    await stopRedisServers(servers);
    throw failure.reason;
  }
  return servers;
}

/** Starts one server; see {@link startRedisServers}. */
export function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  return RedisServer.start(options);
}

/** Stops every server (ignores ones already stopped); safe in `afterAll` after a failed start. */
export async function stopRedisServers(
  servers: readonly (RedisServer | undefined)[] | undefined,
): Promise<void> {
  await Promise.all((servers ?? []).map((server) => server?.stop()));
}
