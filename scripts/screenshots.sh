#!/usr/bin/env bash
# Renders the main views of the desktop workbench, with real traffic through an in-process local
# DIP, into docs/screenshots/*.png under a virtual X server (Xvfb).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${DIPWB_BUILD_DIR:-$here/build}"
out="${1:-$here/docs/screenshots}"
"$here/scripts/build.sh" >/dev/null
mkdir -p "$out"
xvfb-run -a -s "-screen 0 1920x1200x24" "$build/tests/ui/dipwb_screenshot_tour" "$out"
# Widgets need few colours: 8-bit palettes keep the pictures a quarter of the size.
for f in "$out"/*.png; do convert "$f" -strip "PNG8:$f"; done
ls -l "$out"/*.png
