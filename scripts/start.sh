#!/usr/bin/env bash
# Installs what is missing, builds DIP Workbench and opens the desktop workbench on its embedded
# defaults (a SQLite workspace in the user's data folder, the built-in catalogue, the bundled
# participants); the local DIP starts inside it. Extra arguments go to the program, e.g.
# scripts/start.sh --port 7071 --workspace /tmp/ws
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/install-deps.sh"
"$here/scripts/build.sh"
exec "$here/build/app/dip-workbench" "$@"
