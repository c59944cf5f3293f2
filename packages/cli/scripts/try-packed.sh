#!/bin/sh
# Installs @redlock/cli from packed tarballs into a fresh npm project and runs
# `npx redlock run` there, as a user would after `npm install @redlock/cli`.
#
#   packages/cli/scripts/try-packed.sh redis://127.0.0.1:7001,redis://127.0.0.1:7002,...
#
# Needs the packages built (pnpm build) and the registry for ioredis.
set -eu
urls=${1:?usage: try-packed.sh URL,URL,...}
root=$(cd "$(dirname "$0")/../../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for package in core redis-scripts ioredis cli; do
  (cd "$root/packages/$package" && pnpm pack --pack-destination "$work/tarballs" >/dev/null)
done
mkdir "$work/project"
cd "$work/project"
npm init -y >/dev/null
npm install --no-audit --no-fund "$work"/tarballs/*.tgz >/dev/null
npx redlock --version
npx redlock run --redis "$urls" --ttl 10s job -- sh -c 'echo "ran under the lock"; exit 3' && status=0 || status=$?
if [ "$status" -ne 3 ]; then
  echo "expected the command's exit code 3, got $status" >&2
  exit 1
fi
npx redlock inspect --redis "$urls" job
echo "ok: redlock from the packed tarball"
