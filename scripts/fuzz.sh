#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang with ASan and UBSan) in their own build directory and
# runs each for a bounded time: scripts/fuzz.sh [seconds per target, default 60] [target...].
# Exits non-zero when a target finds a crash, naming the reproducer; see docs/reliability.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=(http_request envelope); fi
build="${DIPWB_FUZZ_BUILD_DIR:-$here/build-fuzz}"

start=$(date +%s)
if [ ! -f "$build/build.ninja" ]; then
  # -O1 and line tables only: a third of the build time of -O2 -g, the same stack traces; no
  # NDEBUG, so assertions stay on while fuzzing.
  CC=clang CXX=clang++ cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
    -DDIPWB_BUILD_FUZZERS=ON -DDIPWB_BUILD_GUI=OFF -DDIPWB_BUILD_TESTS=OFF -DDIPWB_BUILD_BENCH=OFF >/dev/null
fi
cmake --build "$build" -j "$(nproc)" --target "${targets[@]/#/fuzz_}"
echo "fuzz: build took $(( $(date +%s) - start )) s"

failed=0
for t in "${targets[@]}"; do
  # The run's corpus grows in the build directory; the committed seeds stay as they are.
  corpus="$build/corpus/$t"
  artifacts="$build/artifacts/$t"
  mkdir -p "$corpus" "$artifacts"
  log="$build/fuzz_$t.log"
  echo "fuzz: $t for $seconds s"
  set +e
  "$build/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" "$here/fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  set -e
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+.*DONE" "$log" | sed "s/^/fuzz: $t: /" || true
  if [ $rc -ne 0 ]; then
    failed=1
    tail -n 60 "$log"
    for f in "$artifacts"/*; do
      [ -e "$f" ] && echo "fuzz: $t FAILED, reproducer: $f (replay: $build/fuzz/fuzz_$t $f)"
    done
    echo "fuzz: $t exited with $rc; full log: $log"
  fi
done
echo "fuzz: done in $(( $(date +%s) - start )) s"
exit $failed
