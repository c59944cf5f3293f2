/**
 * Redis Cluster key slots: CRC16 (XMODEM) of the key, or of its hash tag,
 * modulo 16384 — the same rule as `CLUSTER KEYSLOT`.
 */

/** Number of hash slots in a Redis Cluster. */
export const CLUSTER_SLOT_COUNT = 16_384;

const CRC16_TABLE = (() => {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
    table[byte] = crc;
  }
  return table;
})();

/** CRC16-CCITT (XMODEM), the checksum Redis Cluster uses. */
export function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[((crc >> 8) ^ byte) & 0xff]!;
  }
  return crc;
}

/**
 * The hash slot of `key`. If the key holds `{...}` with at least one byte
 * between the first `{` and the next `}`, only that part is hashed, so
 * `{user1}.a` and `{user1}.b` share a slot.
 *
 * @example
 * keySlot('{orders}:42') === keySlot('{orders}:43'); // true
 */
export function keySlot(key: string | Uint8Array): number {
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  const open = bytes.indexOf(0x7b); // '{'
  if (open !== -1) {
    const close = bytes.indexOf(0x7d, open + 1); // '}'
    if (close > open + 1) return crc16(bytes.subarray(open + 1, close)) % CLUSTER_SLOT_COUNT;
  }
  return crc16(bytes) % CLUSTER_SLOT_COUNT;
}
