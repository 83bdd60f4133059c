#!/usr/bin/env bash
# W2's neighbour query without the JVM (docs/performance.md, "W2's neighbour query"), each
# built ReleaseSafe from the tree's SDK, as the engine builds scripts:
#   nearby_bench.zig        the SDK's forEachNearby alone (built beside a copy of the SDK)
#   w2_update_harness.c     kiln_script_update of bench/zig/compare/cmp_w2_boids.zig
# Usage: bench/tools/query/run.sh [extra zig flags for the script, e.g. -mcpu=x86_64_v3]
set -euo pipefail
HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
ZIG="$HOME_DIR/.tools/zig-$(tr -d '[:space:]' < "$HOME_DIR/zig/ZIG_VERSION")/ziglang/zig"
HERE="$HOME_DIR/bench/tools/query"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
EXTRA=("$@")
mkdir -p "$OUT/sdk" && cp "$HOME_DIR"/zig/sdk/*.zig "$HERE/nearby_bench.zig" "$OUT/sdk/"
(cd "$OUT" && "$ZIG" build-exe -O ReleaseSafe -lc --cache-dir "$OUT/zc" --global-cache-dir "$OUT/zgc" --name nearby \
  sdk/nearby_bench.zig)
printf 'pub const name: [:0]const u8 = "cmp_w2_boids";\npub const source_hash: [:0]const u8 = "0";\npub const build_time_unix: i64 = 0;\n' \
  > "$OUT/build_info.zig"
(cd "$OUT" && "$ZIG" build-lib -dynamic -O ReleaseSafe "${EXTRA[@]}" --cache-dir "$OUT/zc" --global-cache-dir "$OUT/zgc" \
  --name w2 --dep kiln --dep script --dep build_info -Mroot="$HOME_DIR/zig/sdk/entry/entry.zig" \
  -Mkiln="$HOME_DIR/zig/sdk/kiln.zig" --dep kiln -Mscript="$HOME_DIR/bench/zig/compare/cmp_w2_boids.zig" \
  -Mbuild_info="$OUT/build_info.zig")
"$ZIG" cc -O2 -std=gnu11 -I "$HOME_DIR/abi" -o "$OUT/w2" "$HERE/w2_update_harness.c" -ldl -lm
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$OUT/nearby" | tail -2
"$OUT/w2" "$OUT/libw2.so"
"$OUT/w2" "$OUT/libw2.so"
