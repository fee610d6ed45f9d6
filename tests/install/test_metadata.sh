#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The desktop integration files and manual pages of the installer, as the tools that read them see
# them: the .desktop entry (desktop-file-validate), the AppStream metainfo (appstreamcli, offline),
# its newest release against the project's version, and the manual pages (man, with warnings).
# Every command of `dipwb --help` must be in the dipwb manual page.
#   test_metadata.sh INSTALLER_DIR DIPWB VERSION
# Exits 77 (ctest: skipped) when a checking tool is missing, naming it.
set -euo pipefail

installer=${1:?usage: test_metadata.sh INSTALLER_DIR DIPWB VERSION}
dipwb=${2:?usage}
version=${3:?usage}

for tool in desktop-file-validate appstreamcli man; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP installer metadata: $tool is missing (scripts/install-deps.sh installs it)"
    exit 77
  fi
done
failed=0
fail() { echo "FAIL $*"; failed=1; }

desktop-file-validate "$installer/dip-workbench.desktop" || fail "desktop-file-validate rejects dip-workbench.desktop"

metainfo=$(ls "$installer"/*.metainfo.xml)
appstreamcli validate --no-net "$metainfo" || fail "appstreamcli rejects $(basename "$metainfo")"
newest=$(grep -o '<release version="[^"]*"' "$metainfo" | head -n1 | sed 's/.*version="//; s/"$//')
[ "$newest" = "$version" ] || fail "the newest release in $(basename "$metainfo") is '$newest', the project's version is '$version'"

for page in "$installer"/man/*.1; do
  warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=w -E UTF-8 -l "$page" 2>&1 >/dev/null)
  [ -z "$warnings" ] || fail "$(basename "$page") has formatting warnings: $warnings"
done

page="$installer/man/dipwb.1"
commands=$("$dipwb" --help | awk '/^Commands:/ {on=1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on=0}')
[ -n "$commands" ] || fail "dipwb --help lists no commands"
for c in $commands; do
  grep -qE "^\.(B|BI|BR|TP) +\"?$c\b" "$page" || fail "the dipwb manual page does not describe '$c' (dipwb --help lists it)"
done

[ $failed -eq 0 ] && echo "PASS"
exit $failed
