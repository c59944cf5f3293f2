/**
 * Prefix of the pub/sub channels the release script publishes on.
 *
 * The channel of key `k` is `"redlock:released:" + k`, where `k` is the key
 * exactly as the server sees it (including any client-side key prefix).
 * Classic `PUBLISH` is broadcast to every node of a Redis Cluster (Redis 7),
 * so a subscriber connected to any one node hears releases of every slot and
 * the channel needs no hash tag.
 */
export const RELEASE_CHANNEL_PREFIX = 'redlock:released:';

/** The channel on which a release of `serverKey` is announced; the message is the released value. */
export function releaseChannel(serverKey: string): string {
  return RELEASE_CHANNEL_PREFIX + serverKey;
}
