#!/usr/bin/env bash
# Builds the installable Linux package: the release app bundled by the Tauri CLI as a .deb under
# <target>/release/bundle/deb/, with the `qa-wecom` CLI inside as a bundled external binary
# (installed as /usr/bin/qa-wecom). Needs ui/dist (`make ui`) and the Tauri CLI of packaging/
# (`scripts/setup.sh package`). Prints where the .deb is, its size and how long the build took.
set -euo pipefail
cd "$(dirname "$0")/.."

tauri=packaging/node_modules/.bin/tauri
[ -x "$tauri" ] || { echo "package: no Tauri CLI at $tauri; run: bash scripts/setup.sh package" >&2; exit 1; }
[ -f ui/dist/index.html ] || { echo "package: ui/dist is missing; run: make ui" >&2; exit 1; }

target_dir=$(realpath -m "${CARGO_TARGET_DIR:-target}")
triple=$(rustc -vV | sed -n 's/^host: //p')
start=$(date +%s)

# Both binaries in one cargo run, so the crates they share are compiled once with one feature set;
# `tauri bundle` then packages them without building again.
cargo build --release --locked -p qa-wecom-cli -p qa-wecom-setup --bins

# The sidecar: Tauri takes it from beside the config as binaries/<name>-<target triple>. It is
# named in a config of its own, merged only here, so a plain `cargo build` never needs the copy.
mkdir -p src-tauri/binaries
cp "$target_dir/release/qa-wecom" "src-tauri/binaries/qa-wecom-$triple"
rm -rf "$target_dir/release/bundle/deb"
CARGO_TARGET_DIR="$target_dir" "$tauri" bundle --ci --bundles deb --config packaging/tauri.sidecar.conf.json

debs=("$target_dir"/release/bundle/deb/*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || { echo "package: expected one .deb, found: ${debs[*]}" >&2; exit 1; }
echo "package: ${debs[0]} ($(du -k "${debs[0]}" | cut -f1) KiB, built in $(($(date +%s) - start)) s)"
