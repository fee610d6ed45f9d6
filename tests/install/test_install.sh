#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The Debian package, end to end: build it with cpack from an already built tree, install it with
# dpkg, run the installed programs from the installed files only (a clean environment, a temporary
# HOME), take a screenshot of the first window under Xvfb, purge it and check that nothing it
# installed is left in /usr, /etc or /opt.
#   test_install.sh BUILD_DIR VERSION
# Needs root (dpkg); exits 77 (ctest: skipped) where it cannot run, saying why.
set -euo pipefail

readonly pkg=dip-workbench
readonly skip=77

gui_step() {
  # Runs inside xvfb-run: $DISPLAY is the virtual screen. Arguments: HOME, screenshot path.
  local home=$1 shot=$2 pid line
  env -i HOME="$home" PATH=/usr/bin:/bin LANG=C.UTF-8 DISPLAY="$DISPLAY" XAUTHORITY="${XAUTHORITY:-}" \
    /usr/bin/dip-workbench --port 0 >"$home/gui.log" 2>&1 &
  pid=$!
  trap 'kill "$pid" 2>/dev/null || true' EXIT
  for _ in $(seq 1 150); do
    # The main window: titled, and of WM_CLASS dip-workbench, which the menu entry's
    # StartupWMClass names (Qt's 1x1 helper windows carry the title but no class).
    line=$(xwininfo -root -tree 2>/dev/null | grep -m1 '"[^"]*DIP Workbench[^"]*": ("dip-workbench" "dip-workbench")' || true)
    if [ -n "$line" ]; then break; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "FAIL dip-workbench exited before showing a window:"; cat "$home/gui.log"; return 1
    fi
    sleep 0.2
  done
  if [ -z "$line" ]; then
    echo "FAIL no DIP Workbench window of WM_CLASS dip-workbench after 30 s:"; xwininfo -root -tree; cat "$home/gui.log"; return 1
  fi
  sleep 2 # the window maps before its first paint
  import -window root "$shot"
  echo "window: $line"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  trap - EXIT
}

if [ "${1:-}" = "--gui-step" ]; then
  shift
  gui_step "$@"
  exit
fi

build=${1:?usage: test_install.sh BUILD_DIR VERSION}
version=${2:?usage: test_install.sh BUILD_DIR VERSION}

if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP install test: it installs a Debian package and needs root (run ctest as root, e.g. in CI)"
  exit $skip
fi
for tool in dpkg dpkg-deb apt-get cpack xvfb-run xwininfo import identify; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP install test: $tool is missing (scripts/install-deps.sh installs what it needs)"
    exit $skip
  fi
done
present() {
  # Installed, half-installed or with its configuration files left: anything dpkg still knows of.
  local status
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [ -n "$status" ] && [ "$status" != "not-installed" ]
}
if present; then
  echo "SKIP install test: $pkg is already installed on this machine and the test would purge it" \
       "(remove it with: dpkg --purge $pkg)"
  exit $skip
fi
for program in "$build/app/dipwb" "$build/app/dip-workbench"; do
  if [ ! -x "$program" ]; then echo "FAIL $program is not built (build the tree before running ctest)"; exit 1; fi
done

work=$(mktemp -d /tmp/dipwb-install-test.XXXXXX)
report="$build/Testing/install"
mkdir -p "$report"
installed=0
cleanup() {
  local rc=$?
  if [ $installed -eq 1 ] && present; then
    echo "cleanup: purging $pkg after a failure"
    dpkg --purge "$pkg" >/dev/null || echo "cleanup: dpkg --purge $pkg failed; remove it by hand"
  fi
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() { echo "== $*"; }

snapshot() {
  # Python byte-code caches are written by whoever runs Python as root; the package ships none.
  find /usr /etc /opt -xdev 2>/dev/null | grep -v '/__pycache__' | LC_ALL=C sort
}

step "cpack -G DEB from $build"
timeout 300 cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/package" >"$work/cpack.log" 2>&1 \
  || { cat "$work/cpack.log"; echo "FAIL cpack could not build the package"; exit 1; }
deb=$(ls "$work"/package/"${pkg}_${version}"_*.deb)
cp "$deb" "$report/"
echo "package: $report/$(basename "$deb")"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for needed in libqt6gui6 libqt6network6 libqt6widgets6; do
  grep -q "\b$needed\b" <<<"$depends" || { echo "FAIL Depends does not name $needed"; exit 1; }
done
dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./|/|' >"$work/contents"
for f in /usr/bin/dip-workbench /usr/bin/dipwb /usr/share/applications/dip-workbench.desktop \
         /usr/share/metainfo/org.dipworkbench.DipWorkbench.metainfo.xml \
         /usr/share/icons/hicolor/scalable/apps/dip-workbench.svg \
         /usr/share/man/man1/dipwb.1.gz /usr/share/man/man1/dip-workbench.1.gz \
         /usr/share/doc/dip-workbench/copyright /usr/share/doc/dip-workbench/changelog.gz \
         /usr/share/doc/dip-workbench/README.md /usr/share/dip-workbench/testpacks/; do
  grep -qxF "$f" "$work/contents" || { echo "FAIL the package lacks $f"; exit 1; }
done
for size in 16 24 32 48 64 128 256 512; do
  f=/usr/share/icons/hicolor/${size}x${size}/apps/dip-workbench.png
  grep -qxF "$f" "$work/contents" || { echo "FAIL the package lacks $f"; exit 1; }
done

if command -v lintian >/dev/null; then
  step "lintian"
  timeout 300 lintian --fail-on error --tag-display-limit 0 "$deb" | tee "$report/lintian.txt" \
    || { echo "FAIL lintian reports errors"; exit 1; }
else
  echo "NOTE lintian is not installed: the package was not checked against Debian policy"
fi

# Dependencies come from Debian's repositories and stay installed (they are not ours), so they are
# in place before the first file list is taken.
step "dependencies"
DEBIAN_FRONTEND=noninteractive timeout 300 apt-get -o DPkg::Lock::Timeout=120 satisfy -y -qq \
  --no-install-recommends "$depends" >"$work/apt.log" 2>&1 \
  || { cat "$work/apt.log"; echo "FAIL the package's dependencies cannot be installed from the configured Debian repositories"; exit 1; }

snapshot >"$work/before"

step "dpkg -i"
installed=1
DEBIAN_FRONTEND=noninteractive dpkg -i "$deb" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; echo "FAIL dpkg -i"; exit 1; }

step "dipwb --version"
home="$work/home"
mkdir -p "$home"
run_clean() { (cd "$work" && env -i HOME="$home" PATH=/usr/bin:/bin LANG=C.UTF-8 "$@"); }
got=$(run_clean /usr/bin/dipwb --version)
[ "$got" = "dipwb $version" ] || { echo "FAIL dipwb --version printed '$got', expected 'dipwb $version'"; exit 1; }
echo "$got"

step "bundled packs"
if ! run_clean /usr/bin/dipwb --help | grep -qE '^[[:space:]]+run[[:space:]]'; then
  echo "SKIP pack step: dipwb has no run command yet"
else
  workspace_option=()
  if run_clean /usr/bin/dipwb run --help 2>&1 | grep -q -- '--workspace'; then workspace_option=(--workspace); fi
  packs=0
  for dir in /usr/share/dip-workbench/testpacks/*/; do
    [ -d "$dir" ] || continue
    packs=$((packs + 1))
    id=$(basename "$dir")
    args=(/usr/bin/dipwb run "${dir%/}" --self-test)
    if [ ${#workspace_option[@]} -gt 0 ]; then args+=(--workspace "$work/ws-$id"); fi
    echo "-- ${args[*]}"
    if ! (cd "$work" && timeout 120 env -i HOME="$home" PATH=/usr/bin:/bin LANG=C.UTF-8 "${args[@]}"); then
      echo "FAIL the bundled pack $id does not pass its self-test from the installed files"; exit 1
    fi
  done
  echo "$packs bundled pack(s) passed"
  [ $packs -gt 0 ] || echo "NOTE testpacks/ held no pack folder when the package was made"
fi

step "dip-workbench under Xvfb"
shot="$report/first-window.png"
rm -f "$shot"
timeout 90 xvfb-run -a -s "-screen 0 1920x1080x24" bash "$0" --gui-step "$home" "$shot" \
  || { echo "FAIL the installed dip-workbench did not show its window"; exit 1; }
colours=$(identify -format '%k' "$shot")
[ "$colours" -gt 16 ] || { echo "FAIL the screenshot $shot is blank ($colours colours)"; exit 1; }
echo "screenshot: $shot ($colours colours)"
# The first launch without --workspace creates the default workspace, ~/.local/share/dip-workbench.
[ -f "$home/.local/share/dip-workbench/workbench.db" ] \
  || { echo "FAIL the first launch did not create $home/.local/share/dip-workbench/workbench.db"; ls -R "$home"; exit 1; }

step "dpkg --purge"
DEBIAN_FRONTEND=noninteractive dpkg --purge "$pkg" >"$work/purge.log" 2>&1 || { cat "$work/purge.log"; echo "FAIL dpkg --purge"; exit 1; }
installed=0
snapshot >"$work/after"
left=()
while IFS= read -r path; do
  # Another package's file (something installed meanwhile) is not ours; dpkg forgets ours on purge.
  if dpkg -S "$path" >/dev/null 2>&1; then continue; fi
  left+=("$path")
done < <(LC_ALL=C comm -13 "$work/before" "$work/after")
if [ ${#left[@]} -gt 0 ]; then
  echo "FAIL left behind after the purge:"; printf '  %s\n' "${left[@]}"; exit 1
fi
echo "nothing left behind in /usr, /etc, /opt"
echo "PASS"
