#!/usr/bin/env bash
# Installs the Debian packages DIP Workbench needs to build, test and run.
# Only packages that are missing are installed; nothing is fetched from anywhere but apt.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite libgl-dev
  libqcustomplot-dev
  nlohmann-json3-dev
  libsqlite3-dev
  libhttp-parser-dev
  libvalijson-dev
  json-schema-test-suite
  libyaml-cpp-dev
  libssl-dev openssl
  libquazip1-qt6-dev
  poppler-utils libxml2-utils chromium
  curl time
  clang libclang-rt-dev
  xvfb xauth imagemagick x11-utils
  librsvg2-bin desktop-file-utils appstream lintian
  fonts-dejavu-core
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${#missing[@]} missing package(s): ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
