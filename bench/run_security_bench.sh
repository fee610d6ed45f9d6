#!/usr/bin/env bash
# Throughput of signed requests over HTTPS with mutual TLS against unsigned plain HTTP, in one run:
# the same emulator, load and webhook receiver, once with --signatures off on http://, once with
# --signatures require --tls --mtls and every request signed and sent with a client certificate.
# Usage: bench/run_security_bench.sh [RATE] [SECONDS]      (defaults 2000 msg/s for 15 s)
# Environment: CONNECTIONS (client, default 256). Needs a build in build/ (scripts/build.sh).
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
rate="${1:-2000}"
seconds="${2:-15}"
connections="${CONNECTIONS:-256}"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

# run NAME SCHEME LOADGEN-EXTRA SERVE-EXTRA...: one emulator in a fresh workspace; prints the report.
run() {
  local name="$1" scheme="$2" extra="$3"; shift 3
  local ws="$work/$name" recv_port emu_port
  recv_port=$(free_port)
  emu_port=$(free_port)
  mkdir -p "$ws"
  write_market "$ws/participants.yaml" "$recv_port"
  "$build/app/dipwb" certs issue 1100000001 --workspace "$ws" > /dev/null
  "$build/app/dipwb" serve --workspace "$ws" --port "$emu_port" --participants "$ws/participants.yaml" "$@" \
    > "$ws/emulator.log" 2>&1 &
  local emu_pid=$!
  wait_listening "$ws/emulator.log"
  # shellcheck disable=SC2086
  "$build/bench/dipwb-loadgen" --url "$scheme://127.0.0.1:$emu_port" --receiver-port "$recv_port" --rate "$rate" \
    --seconds "$seconds" --connections "$connections" $extra | tee "$work/$name.report" || true
  kill -INT "$emu_pid" 2>/dev/null || true
  wait "$emu_pid" 2>/dev/null || true
}

echo "== unsigned, plain HTTP (--signatures off) =="
run plain http "" --signatures off
echo
echo "== signed, HTTPS with mutual TLS (--signatures require --tls --mtls) =="
run secure https "--sign-workspace $work/secure" --signatures require --tls --mtls

rate_of() { sed -n 's/^achieved \([0-9]*\) msg\/s acknowledged.*/\1/p' "$1"; }
plain=$(rate_of "$work/plain.report")
secure=$(rate_of "$work/secure.report")
echo
if [ -n "$plain" ] && [ -n "$secure" ] && [ "$plain" -gt 0 ]; then
  echo "signed HTTPS+mTLS / unsigned HTTP acknowledged throughput: $secure / $plain = $(python3 -c "print(f'{$secure/$plain:.2f}')")"
fi
