#!/usr/bin/env bash
# Installs what `make run` / `make test` / `make bench` / `make package` need on a fresh Debian 12
# machine, and nothing when it is already there. Usage: scripts/setup.sh [run|test|bench|package].
# Needs root or sudo for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-test}
case $mode in run|test|bench|package) ;; *) echo "usage: $0 [run|test|bench|package]" >&2; exit 2 ;; esac

# System packages: Tauri 2's Linux prerequisites, plus what the tests drive for real.
apt_run=(libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev pkg-config)
apt_test=(xvfb xauth webkit2gtk-driver fonts-wqy-microhei nginx postgresql openssl python3-venv
  x11-utils dpkg-dev python3-xlib)

apt_bench=(wrk curl)

want=("${apt_run[@]}")
[ "$mode" = test ] || [ "$mode" = bench ] && want+=("${apt_test[@]}")
[ "$mode" = bench ] && want+=("${apt_bench[@]}")

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  echo "setup: installing ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # policy-rc.d stops the nginx/postgresql packages from starting system services we do not use.
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# cargo-nextest (the test runner) and tauri-driver 2.x (the WebDriver bridge for e2e tests).
if [ "$mode" = test ] || [ "$mode" = bench ]; then
  command -v cargo-nextest >/dev/null || cargo install cargo-nextest --locked
  if ! command -v tauri-driver >/dev/null || ! cargo install --list | grep -q '^tauri-driver v2\.'; then
    cargo install tauri-driver --locked --version '^2'
  fi
fi

# npm packages of the UI and of the e2e harness, only when the lock file changed.
install_npm() {
  local dir=$1
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
[ -f ui/package.json ] && install_npm ui
[ "$mode" = test ] || [ "$mode" = bench ] && install_npm tests/e2e
# The Tauri CLI (its npm package ships the prebuilt binary) bundles the .deb: `make package`.
[ "$mode" = test ] || [ "$mode" = package ] && install_npm packaging
exit 0
