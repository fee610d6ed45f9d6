#!/usr/bin/env bash
# Throughput of signed requests over HTTPS with mutual TLS against unsigned plain HTTP, in one run:
# the same emulator, load and webhook receiver, once with --signatures off on http://, once with
# --signatures require --tls --mtls and every request signed and sent with a client certificate.
# Usage: bench/run_security_bench.sh [RATE] [SECONDS]      (defaults 2000 msg/s for 15 s)
# Environment: CONNECTIONS (client, default 256). Needs a build in build/ (scripts/build.sh).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${DIPWB_BUILD_DIR:-$here/build}"
rate="${1:-2000}"
seconds="${2:-15}"
connections="${CONNECTIONS:-256}"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# run NAME SCHEME LOADGEN-EXTRA SERVE-EXTRA...: one emulator in a fresh workspace; prints the report.
run() {
  local name="$1" scheme="$2" extra="$3"; shift 3
  local ws="$work/$name" recv_port emu_port
  recv_port=$(free_port)
  emu_port=$(free_port)
  mkdir -p "$ws"
  cat > "$ws/participants.yaml" <<YAML
participants:
  - {dipId: "1100000001", role: REGS, mpid: REGA, name: Registration}
  - dipId: "1300000001"
    role: MSS
    mpid: MSSA
    name: Metering service
    webhooks: {IF-033: "http://127.0.0.1:$recv_port/hook"}
YAML
  "$build/app/dipwb" certs issue 1100000001 --workspace "$ws" > /dev/null
  "$build/app/dipwb" serve --workspace "$ws" --port "$emu_port" --participants "$ws/participants.yaml" "$@" \
    > "$ws/emulator.log" 2>&1 &
  local emu_pid=$!
  for _ in $(seq 100); do grep -q "listening on" "$ws/emulator.log" && break; sleep 0.1; done
  if ! grep -q "listening on" "$ws/emulator.log"; then
    echo "the emulator did not start:" >&2
    cat "$ws/emulator.log" >&2
    exit 1
  fi
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
