import { formatClusterName, formatRedisName } from '@redlock/redis-scripts';
import type {
  GlideClientConfiguration,
  GlideClusterClientConfiguration,
} from '@valkey/valkey-glide';

/**
 * The credential-free name of a GLIDE client from its configuration:
 * `redis://host:port/db` (`rediss://` with `useTLS`) for a `GlideClient`,
 * named after its first address, or `redis-cluster://seed1,seed2` for a
 * `GlideClusterClient`.
 */
export function glideNodeName(
  configuration: GlideClientConfiguration | GlideClusterClientConfiguration,
  isCluster: boolean,
): string {
  const addresses = Array.isArray(configuration.addresses) ? configuration.addresses : [];
  const tls = configuration.useTLS === true;
  if (isCluster) return formatClusterName(addresses, tls);
  const [first] = addresses;
  return formatRedisName({
    tls,
    host: first?.host,
    port: first?.port,
    db: configuration.databaseId,
  });
}
