#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite (unit, end-to-end).
# The official DIP specification files are read from ../shared/reference when present.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/install-deps.sh"
"$here/scripts/build.sh"
if [ -z "${DIPWB_REFERENCE_DIR:-}" ] && [ -d "$here/../shared/reference" ]; then
  export DIPWB_REFERENCE_DIR="$(cd "$here/../shared/reference" && pwd)"
fi
export QT_QPA_PLATFORM=offscreen
cd "${DIPWB_BUILD_DIR:-$here/build}"
ctest --output-on-failure -j 2 --timeout 600 "$@"
