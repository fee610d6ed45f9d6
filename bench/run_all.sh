#!/usr/bin/env bash
# Every benchmark in one go, ending with one table. Usage: bench/run_all.sh [--quick]
#   1. a throughput ramp of the emulator (bench/run_emulator_bench.sh at rising fixed rates, each
#      beside the bare HTTP baseline in the same run); the highest rate sustained (98 % of it
#      acknowledged) with p99 ingest-to-delivery under 100 ms is the result;
#   2. payload validation (dipwb-schema-bench);
#   3. the CPU of each stage of an accepted send (dipwb-send-bench);
#   4. the tracker over a large database (dipwb-tracker-bench), when the GUI was built.
# --quick: shorter steps (5 s) and 200,000 tracker messages instead of 1,000,000.
# Environment: RATES (default "1000 2000 3000 4000 5000 6000"), SECONDS_PER_RATE (default 10),
# BENCH_TMP (where the emulator's workspace goes, e.g. /dev/shm), DIPWB_REFERENCE_DIR (the official
# specification files for the schema bench; default ../shared/reference). Needs a build in build/.
set -euo pipefail
bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/common.sh
source "$bench_dir/common.sh"
quick=0
[[ "${1:-}" == "--quick" ]] && quick=1
rates="${RATES:-1000 2000 3000 4000 5000 6000}"
seconds="${SECONDS_PER_RATE:-$([[ $quick == 1 ]] && echo 5 || echo 10)}"
tracker_messages=$([[ $quick == 1 ]] && echo 200000 || echo 1000000)
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# field LINE_PREFIX NAME FILE: the number after NAME on the first line starting with LINE_PREFIX.
field() { { grep -m1 "^$1" "$3" || true; } | sed -n "s/.*$2 \([0-9.]*\).*/\1/p"; }
# nth_field NTH LINE_PREFIX NAME FILE: the same on the NTH such line (1: bare, 2: emulator).
nth_field() { { grep "^$2" "$4" || true; } | sed -n "${1}p" | sed -n "s/.*$3 \([0-9.]*\).*/\1/p"; }

echo "== 1. throughput ramp (${seconds} s per rate) =="
best=0
rows=()
for rate in $rates; do
  log="$out/ramp-$rate.log"
  "$bench_dir/run_emulator_bench.sh" "$rate" "$seconds" > "$log" 2>&1 || true
  bare_ack=$(nth_field 1 "achieved" "achieved" "$log")
  bare_p99=$(nth_field 1 "ack latency" "p99" "$log")
  emu_ack=$(nth_field 2 "achieved" "achieved" "$log")
  emu_p50=$(field "ingest-to-delivery" "p50" "$log")
  emu_p90=$(field "ingest-to-delivery" "p90" "$log")
  emu_p99=$(field "ingest-to-delivery" "p99" "$log")
  emu_p999=$(field "ingest-to-delivery" "p99.9" "$log")
  emu_max=$(field "ingest-to-delivery" "max" "$log")
  # The disk's part: how long the log's syncs took (on the sync thread, or inside each commit).
  sync_p99=$(field "  log " "p99" "$log")
  sync_max=$(field "  log " "max" "$log")
  rss=$(sed -n 's/^emulator peak RSS: \([0-9]*\) MiB/\1/p' "$log")
  cpu=$(awk '/^emulator CPU:/ { printf "%.1f", $3 + $6 }' "$log")
  # The load generator shares the cores: its CPU while the clock ran against the emulator.
  gen_cpu=$(nth_field 2 "load generator" "CPU" "$log")
  ratio=$(awk -v e="${emu_ack:-0}" -v b="${bare_ack:-0}" 'BEGIN { if (b > 0) printf "%.2f", e / b; else print "-" }')
  held=$(awk -v a="${emu_ack:-0}" -v r="$rate" -v p="${emu_p99:-1e9}" 'BEGIN { print (a >= 0.98 * r && p < 100) ? "yes" : "no" }')
  rows+=("$(printf '| %5s | %6s | %7s | %6s | %6s | %6s | %7s | %7s | %4s | %9s | %5s | %9s | %s |' \
    "$rate" "${bare_ack:--}" "${emu_ack:--}" "$ratio" "${emu_p50:--}" "${emu_p90:--}" "${emu_p99:--}" "${emu_p999:--}/${emu_max:--}" \
    "${bare_p99:--}" "${sync_p99:--}/${sync_max:--}" "${rss:--}" "${cpu:--}/${gen_cpu:--}" "$held")")
  echo "${rows[-1]}"
  [[ $held == yes ]] && best=$rate
done

echo
echo "== 2. payload validation =="
DIPWB_REFERENCE_DIR="${DIPWB_REFERENCE_DIR:-$here/../shared/reference}" "$build/bench/dipwb-schema-bench" > "$out/schema.log" 2>&1 || true
cat "$out/schema.log"

echo
echo "== 3. the CPU of one send, stage by stage =="
"$build/bench/dipwb-send-bench" $([[ $quick == 1 ]] && echo 5000 || echo 20000) > "$out/send.log" 2>&1 || true
cat "$out/send.log"

echo
echo "== 4. tracker with $tracker_messages messages =="
if [[ -x "$build/bench/dipwb-tracker-bench" ]]; then
  QT_QPA_PLATFORM=offscreen "$build/bench/dipwb-tracker-bench" --db "$out/tracker.db" --messages "$tracker_messages" \
    > "$out/tracker.log" 2>&1 || true
  cat "$out/tracker.log"
else
  echo "not built (the GUI is off)" | tee "$out/tracker.log"
fi

echo
echo "== summary =="
echo "| rate | bare ack/s | emulator ack/s | ratio | p50 ms | p90 ms | p99 ms | p99.9/max ms | bare p99 ms | commit sync p99/max ms | RSS MiB | CPU s emulator/generator | held |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
# Where the workspace was matters as much as the CPU: a shared disk's syncs set the tail.
where="$(df -P "${BENCH_TMP:-${TMPDIR:-/tmp}}" | awk 'NR==2 {print $1}')"
echo "highest rate held with p99 ingest-to-delivery under 100 ms: ${best} msg/s (1.5 KB IF-033, commit synced to disk before each 201, one delivery each; workspace on ${where})"
