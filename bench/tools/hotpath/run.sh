#!/usr/bin/env bash
# The data plane's two halves without the JVM, at W1's 10,000 instances (docs/performance.md,
# "The fused barrier and the SDK's per-update work"): builds into a temporary directory and runs
#   apply_batch_harness.c   native/kiln_apply.c, built as the engine builds it
#   script_update_harness.c cmp_w1_move built ReleaseSafe with the tree's SDK, as the engine does
#   churn_harness.c         native/kiln_churn.c at W3's 2,000 spawns and despawns ("Native churn")
#   w3_frame_harness.c      W3's two native halves: cmp_w3_spawner's update call, then the churn pass
#   frame_harness.c         the two W1 halves alternating, as in the engine's frame (and its probes)
#   w4_frame_harness.c      W4's three native passes of a lane round: cmp_w4_signals' update call, the
#                           lane route, the handler loop
#   own_probe.c             a yardstick: W1's work with the own-transform column and no protocol
# Usage: bench/tools/hotpath/run.sh [extra zig flags for both, e.g. -mcpu=x86_64_v3 for valgrind]
set -euo pipefail
HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
ZIG="$HOME_DIR/.tools/zig-$(tr -d '[:space:]' < "$HOME_DIR/zig/ZIG_VERSION")/ziglang/zig"
HERE="$HOME_DIR/bench/tools/hotpath"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
EXTRA=("$@")
"$ZIG" cc -O2 -std=gnu11 -ffp-contract=off -mcpu=baseline -I "$HOME_DIR/abi" -I "$HOME_DIR/native" \
  -o "$OUT/apply" "$HERE/apply_batch_harness.c" "$HOME_DIR/native/kiln_apply.c" "$HOME_DIR/native/kiln_signals.c"
"$ZIG" cc -O2 -std=gnu11 -ffp-contract=off -fno-math-errno -mcpu=baseline -I "$HOME_DIR/abi" -I "$HOME_DIR/native" \
  -o "$OUT/churn" "$HERE/churn_harness.c" "$HOME_DIR/native/kiln_churn.c"
# A comparison script built as the engine builds it (ReleaseSafe, the tree's SDK): lib<name>.so in $OUT.
build_script() { # <library name> <script under bench/zig/compare, without .zig>
  printf 'pub const name: [:0]const u8 = "%s";\npub const source_hash: [:0]const u8 = "0";\npub const build_time_unix: i64 = 0;\n' \
    "$2" > "$OUT/build_info_$1.zig"
  (cd "$OUT" && "$ZIG" build-lib -dynamic -O ReleaseSafe "${EXTRA[@]}" --cache-dir "$OUT/zc" --global-cache-dir "$OUT/zgc" \
    --name "$1" --dep kiln --dep script --dep build_info -Mroot="$HOME_DIR/zig/sdk/entry/entry.zig" \
    -Mkiln="$HOME_DIR/zig/sdk/kiln.zig" --dep kiln -Mscript="$HOME_DIR/bench/zig/compare/$2.zig" \
    -Mbuild_info="$OUT/build_info_$1.zig")
}
build_script w1 cmp_w1_move
build_script w3 cmp_w3_spawner
build_script w4 cmp_w4_signals
"$ZIG" cc -O2 -std=gnu11 -ffp-contract=off -fno-math-errno -mcpu=baseline -I "$HOME_DIR/abi" -I "$HOME_DIR/native" \
  -o "$OUT/w3_frame" "$HERE/w3_frame_harness.c" "$HOME_DIR/native/kiln_churn.c" -ldl
"$ZIG" cc -O2 -std=gnu11 "${EXTRA[@]}" -I "$HOME_DIR/abi" -o "$OUT/script" "$HERE/script_update_harness.c" -ldl
"$ZIG" cc -O2 -std=gnu11 -ffp-contract=off -fno-math-errno -mcpu=baseline "${EXTRA[@]}" -I "$HOME_DIR/abi" -I "$HOME_DIR/native" -o "$OUT/frame" \
  "$HERE/frame_harness.c" "$HOME_DIR/native/kiln_apply.c" "$HOME_DIR/native/kiln_signals.c" -ldl
"$ZIG" cc -O2 -std=gnu11 -ffp-contract=off -fno-math-errno -mcpu=baseline "${EXTRA[@]}" -I "$HOME_DIR/abi" -I "$HOME_DIR/native" -o "$OUT/w4_frame" \
  "$HERE/w4_frame_harness.c" "$HOME_DIR/native/kiln_apply.c" "$HOME_DIR/native/kiln_signals.c" -ldl
"$ZIG" cc -O2 -std=gnu11 -ffp-contract=off "${EXTRA[@]}" -I "$HOME_DIR/abi" -o "$OUT/own_probe" "$HERE/own_probe.c"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$OUT/apply"
"$OUT/script" "$OUT/libw1.so"
"$OUT/churn"
"$OUT/w3_frame" "$OUT/libw3.so"
for probe in 0 1 2 3 4 5; do printf 'frame (probe %s): ' "$probe"; "$OUT/frame" "$OUT/libw1.so" "$probe"; done
"$OUT/own_probe"
"$OUT/w4_frame" "$OUT/libw4.so"
