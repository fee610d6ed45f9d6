#!/usr/bin/env bash
# Ingest-to-delivery benchmark of the emulator beside a bare HTTP baseline, in one run.
# Usage: bench/run_emulator_bench.sh [RATE] [SECONDS]      (defaults 5000 msg/s for 20 s)
# Environment: CONNECTIONS (client, default 256), RECIPIENT_CONNECTIONS (emulator to webhook, 32),
# TIMELINE (ms: also print the worst latency of each window of that much send time), QT_CLIENT=1
# (the generator sends and receives with the project's Qt HTTP layer instead of its epoll loop),
# SERVE_FLAGS (more options for dipwb serve, e.g. --sync-in-commit, to compare).
# Requests and webhook calls are unsigned (--signatures off --unsigned-webhooks): the plain-HTTP
# figure; bench/run_security_bench.sh measures the signed one.
# Prints the load generator's report for the bare server, then for the emulator, plus the
# emulator's peak RSS. Needs a build in build/ (scripts/build.sh).
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
rate="${1:-5000}"
seconds="${2:-20}"
# Open loop needs enough connections for the requests in flight (rate x latency); a client with
# too few measures its own queue, not the server.
connections="${CONNECTIONS:-256}"
recipient_connections="${RECIPIENT_CONNECTIONS:-32}"
work="$(mktemp -d ${BENCH_TMP:+-p "$BENCH_TMP"})"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

echo "== bare HTTP baseline (same HTTP layer, answers 202) =="
bare_port=$(free_port)
"$build/bench/dipwb-bare-server" "$bare_port" > "$work/bare.log" &
sleep 0.5
"$build/bench/dipwb-loadgen" --bare --url "http://127.0.0.1:$bare_port" --rate "$rate" --seconds "$seconds" \
  --connections "$connections" ${QT_CLIENT:+--qt-client} || true
kill %1 2>/dev/null || true
wait 2>/dev/null || true

echo
echo "== emulator: validate, durable commit, route, deliver to one webhook =="
recv_port=$(free_port)
write_market "$work/participants.yaml" "$recv_port"
emu_port=$(free_port)
/usr/bin/time -v -o "$work/emulator.time" "$build/app/dipwb" serve --workspace "$work/ws" --port "$emu_port" \
  --participants "$work/participants.yaml" --signatures off --unsigned-webhooks --recipient-connections "$recipient_connections" \
  ${SERVE_FLAGS:-} > "$work/emulator.log" 2>&1 &
emu_pid=$!
wait_listening "$work/emulator.log"
"$build/bench/dipwb-loadgen" --url "http://127.0.0.1:$emu_port" --receiver-port "$recv_port" --rate "$rate" --seconds "$seconds" \
  --connections "$connections" ${TIMELINE:+--timeline "$TIMELINE"} ${QT_CLIENT:+--qt-client} || true
# GNU time ignores SIGINT while it waits, so the signal goes to the emulator itself.
pkill -INT -P "$emu_pid" || true
wait "$emu_pid" 2>/dev/null || true
grep -A1 "stopped" "$work/emulator.log" || true
echo "emulator peak RSS: $(awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print int($2/1024) " MiB"}' "$work/emulator.time")"
echo "emulator CPU: $(awk -F: '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.1f s user, %.1f s system", u, s}' "$work/emulator.time")"
echo "database size: $(du -h "$work/ws/workbench.db" | cut -f1)"
