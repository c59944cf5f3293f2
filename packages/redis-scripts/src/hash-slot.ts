/** Number of hash slots in a Redis Cluster. */
export const CLUSTER_SLOT_COUNT = 16384;

// CRC16/XMODEM (polynomial 0x1021, initial value 0), as specified by the
// Redis Cluster specification for key hashing.
const crc16Table = (() => {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
    }
    table[byte] = crc & 0xffff;
  }
  return table;
})();

const textEncoder = new TextEncoder();
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc = ((crc << 8) ^ crc16Table[((crc >> 8) ^ byte) & 0xff]!) & 0xffff;
  }
  return crc;
}

/**
 * The part of `key` Redis Cluster hashes: the text between the first `{` and
 * the next `}` when that text is non-empty (a "hash tag"), otherwise the
 * whole key. Works on UTF-8 bytes, as the server does.
 */
function hashedPart(bytes: Uint8Array): Uint8Array {
  const open = bytes.indexOf(OPEN_BRACE);
  if (open === -1) return bytes;
  const close = bytes.indexOf(CLOSE_BRACE, open + 1);
  if (close === -1 || close === open + 1) return bytes;
  return bytes.subarray(open + 1, close);
}

/** The Redis Cluster hash slot (0-16383) of `key`, as `CLUSTER KEYSLOT` computes it. */
export function keyHashSlot(key: string): number {
  return crc16(hashedPart(textEncoder.encode(key))) % CLUSTER_SLOT_COUNT;
}

/**
 * Explains why `keys` cannot be locked by one script on a Redis Cluster, or
 * returns `undefined` when they all hash to the same slot.
 *
 * A Lua script runs on one node and may only touch keys of one slot, so a
 * multi-key lock needs keys that share a hash tag.
 */
export function describeCrossSlotKeys(keys: readonly string[]): string | undefined {
  const [first, ...rest] = keys;
  if (first === undefined) return undefined;
  const firstSlot = keyHashSlot(first);
  const other = rest.find((key) => keyHashSlot(key) !== firstSlot);
  if (other === undefined) return undefined;
  return (
    `keys ${JSON.stringify(first)} (slot ${firstSlot}) and ${JSON.stringify(other)} ` +
    `(slot ${keyHashSlot(other)}) hash to different Redis Cluster slots, and one lock must ` +
    'live on one node to be atomic. Give the keys of one lock a common hash tag: only the ' +
    'part in braces is hashed, so "{orders}:1" and "{orders}:2" share a slot.'
  );
}
