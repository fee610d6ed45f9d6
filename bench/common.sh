# Shared by the bench scripts (sourced, not run): the build folder, ports, the two-party market
# the load generator talks to, and waiting for an emulator to listen.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${DIPWB_BUILD_DIR:-$here/build}"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# write_market FILE RECEIVER_PORT: a registration service that sends, and a metering service whose
# IF-033 webhook is the load generator's receiver.
write_market() {
  cat > "$1" <<YAML
participants:
  - {dipId: "1100000001", role: REGS, mpid: REGA, name: Registration}
  - dipId: "1300000001"
    role: MSS
    mpid: MSSA
    name: Metering service
    webhooks: {IF-033: "http://127.0.0.1:$2/hook"}
YAML
}

# wait_listening LOG: until the emulator logging to LOG listens; exits with its log if it never does.
wait_listening() {
  for _ in $(seq 100); do grep -q "listening on" "$1" && return 0; sleep 0.1; done
  echo "the emulator did not start:" >&2
  cat "$1" >&2
  exit 1
}
