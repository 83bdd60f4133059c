#!/usr/bin/env bash
# The SDK's neighbour query alone (nearby_bench.zig), built ReleaseSafe with the tree's SDK.
# Usage: bench/tools/query/run.sh
set -euo pipefail
HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
ZIG="$HOME_DIR/.tools/zig-$(tr -d '[:space:]' < "$HOME_DIR/zig/ZIG_VERSION")/ziglang/zig"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
# Built beside a copy of the SDK's files, so it imports snapshot.zig and abi.zig as the SDK does.
mkdir -p "$OUT/sdk" && cp "$HOME_DIR"/zig/sdk/*.zig "$HOME_DIR/bench/tools/query/nearby_bench.zig" "$OUT/sdk/"
(cd "$OUT" && "$ZIG" build-exe -O ReleaseSafe -lc --cache-dir "$OUT/zc" --global-cache-dir "$OUT/zgc" --name nearby \
  sdk/nearby_bench.zig)
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$OUT/nearby"
