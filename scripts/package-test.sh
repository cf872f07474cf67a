#!/usr/bin/env bash
# Install test of the .deb that scripts/package.sh built: checks its metadata and declared
# dependencies, extracts it into a throwaway root, runs the installed CLI, and starts the installed
# app under its own Xvfb display until its window "QA WeCom Setup" is mapped. Prints one line per
# check and exits non-zero on the first missing piece.
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir=$(realpath -m "${CARGO_TARGET_DIR:-target}")
version=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' src-tauri/tauri.conf.json | head -1)
deb="$target_dir/release/bundle/deb/QA WeCom Setup_${version}_amd64.deb"

passed=0
pass() { echo "package-test: ok   - $*"; passed=$((passed + 1)); }
fail() { echo "package-test: FAIL - $*" >&2; echo "package-test: $passed passed, 1 failed"; exit 1; }

[ -f "$deb" ] || fail "no package at $deb (run: make package)"
pass "package $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB)"

work=$(mktemp -d)
pids=()
cleanup() {
  # The app runs in its own process group: killing the group also stops the
  # WebKit helper processes, which otherwise keep writing under $work/home
  # after the app itself has gone and make the rm below fail.
  for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do pgrep -g "$pid" >/dev/null 2>&1 || break; sleep 0.1; done
    kill -9 -- "-$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  rm -rf "$work" 2>/dev/null || { sleep 1; rm -rf "$work" 2>/dev/null; } || echo "package-test: note - could not remove $work" >&2
}
trap cleanup EXIT

# Metadata and declared dependencies.
field() { dpkg-deb -f "$deb" "$1"; }
# Tauri names the package after productName in kebab case.
[ "$(field Package)" = qa-we-com-setup ] || fail "Package is '$(field Package)', want qa-we-com-setup"
[ "$(field Version)" = "$version" ] || fail "Version is '$(field Version)', want $version"
depends=$(field Depends)
echo "package-test:        Depends: $depends"
declared() { tr ',' '\n' <<<"$depends" | sed 's/^ *//; s/[ (].*//' | sort -u; }
declared | grep -qx libwebkit2gtk-4.1-0 || fail "Depends lacks libwebkit2gtk-4.1-0"
pass "declares libwebkit2gtk-4.1-0"

# Install into a throwaway root.
root="$work/root"
dpkg-deb -x "$deb" "$root"
for f in usr/bin/qa-wecom-setup usr/bin/qa-wecom; do
  [ -x "$root/$f" ] || fail "/$f is not installed (or not executable)"
done
pass "installs /usr/bin/qa-wecom-setup and /usr/bin/qa-wecom"
desktop=$(find "$root/usr/share/applications" -name '*.desktop' 2>/dev/null | head -1)
[ -n "$desktop" ] || fail "no desktop entry under /usr/share/applications"
grep -qx 'Exec=qa-wecom-setup' "$desktop" || fail "desktop entry does not start qa-wecom-setup: $(grep ^Exec "$desktop")"
grep -qx 'Icon=qa-wecom-setup' "$desktop" || fail "desktop entry has no Icon=qa-wecom-setup"
grep -qx 'Name=QA WeCom Setup' "$desktop" || fail "desktop entry is not named QA WeCom Setup"
pass "desktop entry $(basename "$desktop")"
for size in 32x32 128x128 256x256@2; do
  icon="$root/usr/share/icons/hicolor/$size/apps/qa-wecom-setup.png"
  [ -s "$icon" ] || fail "no $size icon at ${icon#"$root"}"
done
pass "icons 32x32, 128x128, 256x256@2"

# Every shared library the binaries link to is covered by a declared dependency.
mkdir -p "$work/shlibs/debian"
printf 'Source: qa-wecom-setup\n\nPackage: qa-wecom-setup\nArchitecture: any\n' >"$work/shlibs/debian/control"
(cd "$work/shlibs" && dpkg-shlibdeps -O "$root/usr/bin/qa-wecom-setup" "$root/usr/bin/qa-wecom") \
  >"$work/shlibdeps" 2>"$work/shlibdeps.log" || fail "dpkg-shlibdeps failed: $(tail -3 "$work/shlibdeps.log")"
needed=$(sed -n 's/^shlibs:Depends=//p' "$work/shlibdeps" | tr ',' '\n' | sed 's/^ *//; s/[ (].*//' | sort -u)
[ -n "$needed" ] || fail "dpkg-shlibdeps found no libraries"
missing=$(comm -23 <(echo "$needed") <(declared))
[ -z "$missing" ] || fail "Depends lacks what dpkg-shlibdeps finds: $(echo $missing) (add them to bundle.linux.deb.depends in src-tauri/tauri.conf.json)"
pass "Depends covers dpkg-shlibdeps: $(echo $needed)"
apt-get install --simulate -qq "$deb" >"$work/apt.log" 2>&1 || fail "apt-get cannot install it here: $(tail -3 "$work/apt.log")"
pass "apt-get --simulate installs it on this machine"

# The installed CLI.
out=$("$root/usr/bin/qa-wecom" --version) || fail "qa-wecom --version exited non-zero"
[[ $out == *"$version"* ]] || fail "qa-wecom --version printed '$out', want $version"
pass "qa-wecom --version: $out"
out=$("$root/usr/bin/qa-wecom" secrets --json) || fail "qa-wecom secrets exited non-zero"
grep -Eq '"encoding_aes_key":"[A-Za-z0-9]{43}"' <<<"$out" || fail "qa-wecom secrets printed no 43-character EncodingAESKey"
grep -Eq '"token":"[A-Za-z0-9]{32}"' <<<"$out" || fail "qa-wecom secrets printed no 32-character Token"
pass "qa-wecom secrets prints a Token and an EncodingAESKey"

# The installed app opens its window under a display of its own.
Xvfb -displayfd 3 -screen 0 1280x860x24 -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
pids+=($!)
for _ in $(seq 50); do [ -s "$work/display" ] && break; sleep 0.1; done
[ -s "$work/display" ] || fail "Xvfb did not start: $(tail -3 "$work/xvfb.log")"
export DISPLAY=":$(head -1 "$work/display")"
home="$work/home"
mkdir -p "$home"
HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" XDG_CACHE_HOME="$home/.cache" \
  setsid "$root/usr/bin/qa-wecom-setup" >"$work/app.log" 2>&1 &
app=$!
pids+=("$app")
window=""
for _ in $(seq 300); do
  window=$(xwininfo -root -tree 2>/dev/null | grep -F '"QA WeCom Setup"' | head -1 || true)
  [ -n "$window" ] && break
  kill -0 "$app" 2>/dev/null || fail "the installed app exited before opening its window: $(tail -5 "$work/app.log")"
  sleep 0.1
done
[ -n "$window" ] || fail "no window titled \"QA WeCom Setup\" within 30 s: $(tail -5 "$work/app.log")"
pass "the installed app opened its window \"QA WeCom Setup\""
echo "package-test: $passed passed, 0 failed"
