/**
 * Errors thrown by the test utilities. Each says in one line what went wrong
 * and how to fix it, because they surface in test output of other packages.
 */

/** `redis-server` (or `redis-cli`) is not installed; the message names the package to install. */
export class RedisServerMissingError extends Error {
  override readonly name = 'RedisServerMissingError';
  constructor(binary = 'redis-server') {
    super(
      `${binary} not found on PATH: install it with "apt-get install -y redis-server redis-tools" (Debian/Ubuntu) or "brew install redis" (macOS)`,
    );
  }
}

/** A `redis-server` did not come up (exited early or never answered PING); carries its log tail. */
export class RedisServerStartError extends Error {
  override readonly name = 'RedisServerStartError';
  constructor(
    message: string,
    /** Last lines of the server's log and stderr, for diagnosis. */
    readonly logTail: string,
  ) {
    super(logTail ? `${message}\n--- redis-server log tail ---\n${logTail}` : message);
  }
}

/** Redis answered a command with an error reply (`-ERR ...`). */
export class RedisReplyError extends Error {
  override readonly name = 'RedisReplyError';
}

/** No reply within the command's deadline (e.g. the server is paused or black-holed). */
export class RedisCommandTimeoutError extends Error {
  override readonly name = 'RedisCommandTimeoutError';
}

/** `openssl` is not installed, so no test certificates can be made; the message names the package. */
export class OpensslMissingError extends Error {
  override readonly name = 'OpensslMissingError';
  constructor() {
    super(
      'openssl not found on PATH: install it with "apt-get install -y openssl" (Debian/Ubuntu) or "brew install openssl" (macOS)',
    );
  }
}
