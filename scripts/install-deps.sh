#!/usr/bin/env bash
# Installs the Debian 12 packages that building, testing and the demo need,
# and only those that are missing. Safe to run repeatedly; needs root (or
# sudo) only when something has to be installed.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config git
  libcurl4-openssl-dev libsimdjson-dev libssl-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  curl jq ca-certificates procps openssl
  nghttp2-proxy nghttp2-client wrk
  clang-14 libfuzzer-14-dev libclang-rt-14-dev
  clang-tidy-14 cppcheck
  postgresql libpq-dev util-linux
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing missing Debian packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "error: run as root or install sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"

# nghttp2-proxy is here for its nghttpx binary (the HTTP/2 tests start their
# own, on free loopback ports); its Debian package also installs a system
# service, which a test machine does not need running.
if [[ " ${missing[*]} " == *" nghttp2-proxy "* ]] && command -v systemctl >/dev/null; then
  $sudo systemctl disable --now nghttpx >/dev/null 2>&1 || true
fi

# postgresql is here for its server programs: the SQL tests start their own
# server on a free loopback port in a temporary directory
# (tests/integration/harness/postgres_server.h). The package also creates and
# starts a system cluster on port 5432, which nothing here uses.
if [[ " ${missing[*]} " == *" postgresql "* ]]; then
  if command -v systemctl >/dev/null && systemctl is-system-running >/dev/null 2>&1; then
    $sudo systemctl disable --now postgresql >/dev/null 2>&1 || true
  else
    $sudo service postgresql stop >/dev/null 2>&1 || true
  fi
fi
