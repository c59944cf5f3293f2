/**
 * A Redis reply did not have the shape a script returns: the wrong script
 * ran under our SHA1, a proxy mangled the reply, or a client option (type
 * mapping, key prefix) changed it. The node counts as failed; nothing is
 * assumed acquired.
 */
export class RedisReplyError extends Error {
  /** The reply as received. */
  readonly reply: unknown;

  constructor(scriptName: string, expected: string, reply: unknown) {
    super(
      `unexpected reply to the ${scriptName} script: expected ${expected}, got ${describe(reply)}`,
    );
    this.name = 'RedisReplyError';
    this.reply = reply;
  }
}

function describe(reply: unknown): string {
  if (reply === null || reply === undefined) return String(reply);
  if (typeof reply === 'bigint') return `${reply}n`;
  if (Array.isArray(reply)) return `[${reply.map(describe).join(', ')}]`;
  if (reply instanceof Uint8Array) return `<${reply.byteLength} bytes>`;
  if (typeof reply === 'object') return Object.prototype.toString.call(reply);
  return JSON.stringify(reply);
}
