// The example in the doc comment of describeLockNode (what an editor shows
// on hover), run as written but for the server addresses, which are the
// ones the harness started: it must pass, close what it opens, and print
// no unhandled errors (issue #9).
import { describeLockNode } from '@redlock/conformance';
import { createRedlock } from '@redlock/ioredis';
import { useRedisServers } from '@redlock/test-utils/vitest';

const { servers } = useRedisServers(3);
const urls = [0, 1, 2].map((index) => ({
  toString: () => servers[index]!.url,
}));

describeLockNode({
  name: 'ioredis (the describeLockNode doc comment example)',
  // A node from createRedlock owns its client: the suite closes every node, and so the client.
  createNode: (store) => createRedlock(String(urls[store])).nodes[0]!,
  stores: urls.length,
  // Nothing listens on port 1: the node fails at once with ECONNREFUSED.
  createUnreachableNode: () => createRedlock('redis://127.0.0.1:1').nodes[0]!,
});
