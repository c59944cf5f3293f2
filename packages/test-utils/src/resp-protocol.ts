/**
 * The few parts of RESP2 the harness needs: encode a command, and decode
 * replies incrementally from a byte stream (simple, error, integer, bulk, array).
 */
import { RedisReplyError } from './errors.js';

/** A decoded reply. Bulk and simple strings are UTF-8 strings, nil is `null`. */
export type RespReply = string | number | null | RedisReplyError | RespReply[];

/** What a command argument may be; numbers are sent as their decimal text. */
export type RespArgument = string | number | Buffer;

const CRLF = '\r\n';

/** Encodes a command as a RESP array of bulk strings. */
export function encodeCommand(args: readonly RespArgument[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}${CRLF}`)];
  for (const arg of args) {
    const bytes = Buffer.isBuffer(arg) ? arg : Buffer.from(String(arg));
    parts.push(Buffer.from(`$${bytes.length}${CRLF}`), bytes, Buffer.from(CRLF));
  }
  return Buffer.concat(parts);
}

/** A decoded reply and the offset just past it. */
interface Decoded {
  reply: RespReply;
  nextOffset: number;
}

/**
 * Decodes one reply starting at `offset`, or returns `undefined` when the
 * buffer does not hold a complete reply yet (wait for more bytes).
 */
export function decodeReply(buffer: Buffer, offset = 0): Decoded | undefined {
  const lineEnd = buffer.indexOf(CRLF, offset);
  if (lineEnd === -1) return undefined;
  const type = String.fromCharCode(buffer[offset] ?? 0);
  const line = buffer.toString('utf8', offset + 1, lineEnd);
  const afterLine = lineEnd + 2;
  switch (type) {
    case '+':
      return { reply: line, nextOffset: afterLine };
    case '-':
      return { reply: new RedisReplyError(line), nextOffset: afterLine };
    case ':':
      return { reply: Number(line), nextOffset: afterLine };
    case '$': {
      const length = Number(line);
      if (length < 0) return { reply: null, nextOffset: afterLine };
      if (buffer.length < afterLine + length + 2) return undefined;
      const reply = buffer.toString('utf8', afterLine, afterLine + length);
      return { reply, nextOffset: afterLine + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { reply: null, nextOffset: afterLine };
      const items: RespReply[] = [];
      let next = afterLine;
      for (let i = 0; i < count; i++) {
        const item = decodeReply(buffer, next);
        if (!item) return undefined;
        items.push(item.reply);
        next = item.nextOffset;
      }
      return { reply: items, nextOffset: next };
    }
    default:
      throw new Error(`RESP protocol error: unexpected reply type ${JSON.stringify(type)}`);
  }
}

/**
 * Renders a reply as text the way `redis-cli --raw` would: integers as
 * decimal, nil as '', array items one per line, nested errors as their message.
 */
export function replyToText(reply: RespReply): string {
  if (reply === null) return '';
  if (Array.isArray(reply)) return reply.map(replyToText).join('\n');
  if (reply instanceof RedisReplyError) return reply.message;
  return String(reply);
}
