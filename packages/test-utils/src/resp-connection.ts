/**
 * A tiny Redis client over one TCP connection: pipelined commands, replies
 * matched in order. Enough to inspect and poke real servers from tests, with
 * a per-command deadline so a paused or black-holed server fails fast.
 */
import net from 'node:net';
import { RedisCommandTimeoutError, RedisReplyError } from './errors.js';
import { decodeReply, encodeCommand, type RespArgument, type RespReply } from './resp-protocol.js';

/** Where a Redis server listens. */
export interface RedisAddress {
  host: string;
  port: number;
}

/** Options of {@link RespConnection.connect} and {@link sendCommand}. */
export interface RespCommandOptions {
  /** Reject with {@link RedisCommandTimeoutError} when no reply came in time. Default 5000 ms. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5_000;

interface PendingCommand {
  description: string;
  resolve(reply: RespReply): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** One connection to a Redis server; replies resolve in the order commands were sent. */
export class RespConnection {
  private readonly pending: PendingCommand[] = [];
  private received: Buffer = Buffer.alloc(0);
  private closedError: Error | undefined;
  /** Resolves (never rejects) with the reason once the connection is closed, e.g. ECONNRESET. */
  readonly closed: Promise<Error>;

  private constructor(
    private readonly socket: net.Socket,
    private readonly address: RedisAddress,
  ) {
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', (error) => this.failAll(error));
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.failAll(new Error(`connection to ${address.host}:${address.port} closed`));
        resolve(this.closedError!);
      });
    });
  }

  /** Opens a connection; rejects on connect failure or when `timeoutMs` passes first. */
  static connect(address: RedisAddress, options: RespCommandOptions = {}): Promise<RespConnection> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: address.host, port: address.port });
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          new RedisCommandTimeoutError(
            `connecting to ${address.host}:${address.port} timed out after ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      const onError = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        resolve(new RespConnection(socket, address));
      });
    });
  }

  /** Whether the connection can still send commands. */
  get isOpen(): boolean {
    return this.closedError === undefined && !this.socket.destroyed;
  }

  /**
   * Sends one command and resolves with its decoded reply. An error reply
   * rejects with {@link RedisReplyError}; a missed deadline rejects with
   * {@link RedisCommandTimeoutError} and closes the connection (later replies
   * could no longer be matched to their commands).
   */
  call(args: readonly RespArgument[], options: RespCommandOptions = {}): Promise<RespReply> {
    const description = `${String(args[0] ?? '')} to ${this.address.host}:${this.address.port}`;
    if (!this.isOpen) {
      return Promise.reject(
        this.closedError ?? new Error(`connection for ${description} is closed`),
      );
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.failAll(
          new RedisCommandTimeoutError(`${description} timed out after ${timeoutMs} ms`),
        );
        this.socket.destroy();
      }, timeoutMs);
      this.pending.push({ description, resolve, reject, timer });
      this.socket.write(encodeCommand(args));
    });
  }

  /** Closes the connection; commands still waiting reject. */
  close(): Promise<void> {
    if (this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end();
      // A paused server never acknowledges the FIN; don't wait for it.
      setTimeout(() => this.socket.destroy(), 100).unref();
    });
  }

  /** Closes the connection at once, without waiting for the server. */
  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.received = this.received.length ? Buffer.concat([this.received, chunk]) : chunk;
    let offset = 0;
    while (this.pending.length > 0) {
      let decoded: ReturnType<typeof decodeReply>;
      try {
        decoded = decodeReply(this.received, offset);
      } catch (error) {
        this.failAll(error as Error);
        this.socket.destroy();
        return;
      }
      if (!decoded) break;
      offset = decoded.nextOffset;
      const command = this.pending.shift()!;
      clearTimeout(command.timer);
      if (decoded.reply instanceof RedisReplyError) {
        command.reject(new RedisReplyError(`${decoded.reply.message} (${command.description})`));
      } else {
        command.resolve(decoded.reply);
      }
    }
    this.received = this.received.subarray(offset);
  }

  private failAll(error: Error): void {
    this.closedError ??= error;
    for (const command of this.pending.splice(0)) {
      clearTimeout(command.timer);
      command.reject(error);
    }
  }
}

/**
 * Sends one command on a fresh connection and closes it. The deadline covers
 * connecting and the reply together.
 *
 * @example
 * const keys = await sendCommand({ host: '127.0.0.1', port }, ['KEYS', '*']);
 */
export async function sendCommand(
  address: RedisAddress,
  args: readonly RespArgument[],
  options: RespCommandOptions = {},
): Promise<RespReply> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const startedAt = performance.now();
  const connection = await RespConnection.connect(address, { timeoutMs });
  try {
    const remainingMs = Math.max(1, timeoutMs - (performance.now() - startedAt));
    return await connection.call(args, { timeoutMs: remainingMs });
  } finally {
    connection.destroy();
  }
}
