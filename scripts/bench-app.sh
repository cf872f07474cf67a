#!/usr/bin/env bash
# The desktop wizard against a bare Tauri 2 hello world (benches/hello-tauri), printed as ratios:
#
#   app start: R.RRx      process start to the first painted page, median of 10   (target <= 1.2x)
#   app size: R.RRx       the release binary                                      (target <= 2x)
#   app idle RSS: R.RRx   the resident memory of all the app's processes (itself,
#                         WebKitWebProcess, WebKitNetworkProcess, …) 10 s after start,
#                         median of 10                                            (target <= 1.3x)
#
# Like with like: both are release builds from one cargo run, so they get the same Tauri, the same
# unified features and the same [profile.release] (the wizard's binary is the one `make package`
# bundles); both open a 1120x760 window on a page served from the binary; both run the same way.
#
# How "painted" is measured, the same for both: each run gets its own Xvfb (-fbdir: the screen is a
# file, read directly, no screenshot tool), fresh XDG data/cache/config folders (a first start, no
# WebKit cache, no autosave), and the clock starts just before the process is spawned. The screen
# is read every few milliseconds; the page has painted when enough sampled pixels are neither the
# empty root window nor the dominant (background) colour — text or any other content. Runs
# alternate hello world and app, and swap which goes first, so drifting load hits both alike.
# Not part of `make test`. BENCH_APP_RUNS overrides the number of runs.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v Xvfb >/dev/null || { echo "bench-app: Xvfb is missing; run it through \`make bench\`" >&2; exit 1; }

target_dir=$(realpath -m "${CARGO_TARGET_DIR:-target}")

# The wizard embeds ui/dist: build it, then both apps (and the CLI, so the feature set is exactly
# the one of scripts/package.sh and the wizard is not compiled twice).
(cd ui && npm run build >/dev/null)
cargo build --release --locked -p qa-wecom-cli -p qa-wecom-setup -p hello-tauri --bins

python3 - "$target_dir/release/hello-tauri" "$target_dir/release/qa-wecom-setup" "${BENCH_APP_RUNS:-10}" <<'PY'
import collections, os, shutil, signal, statistics, struct, subprocess, sys, tempfile, time

HELLO, APP, RUNS = sys.argv[1], sys.argv[2], int(sys.argv[3])
SCREEN = (1280, 800)
IDLE_S = 10.0          # RSS is read this long after the spawn
PAINT_TIMEOUT_S = 60.0
POLL_S = 0.004
STRIDE = 32            # sample one pixel in 32 (every row, every 32nd column)
MIN_CONTENT = 10       # sampled pixels of content needed to call the page painted
ROOT = b"\x00\x00\x00\x00"  # Xvfb -br: the bare root window


def framebuffer(path):
    """The raw pixels of the XWD file Xvfb keeps for screen 0."""
    with open(path, "rb") as f:
        head = f.read(100)
        if len(head) < 100:
            return b""
        h = struct.unpack(">25I", head)
        header_size, ncolors, height, bytes_per_line = h[0], h[19], h[5], h[12]
        f.seek(header_size + ncolors * 12)
        return f.read(bytes_per_line * height)


def painted(pixels):
    """True once something besides the root and the dominant colour covers enough samples."""
    samples = collections.Counter(pixels[i : i + 4] for i in range(0, len(pixels) - 3, 4 * STRIDE))
    samples.pop(ROOT, None)
    if not samples:
        return False
    _, background = samples.most_common(1)[0]
    return sum(samples.values()) - background >= MIN_CONTENT


def descendants(pid):
    children = collections.defaultdict(list)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
            children[ppid].append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def rss_kib(pids):
    """(sum of VmRSS, sum of Pss) over the processes, in KiB, and their names."""
    rss = pss = 0
    names = []
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as f:
                status = dict(line.split(":", 1) for line in f if ":" in line)
            rss += int(status.get("VmRSS", "0 kB").split()[0])
            names.append(status["Name"].strip())
            with open(f"/proc/{p}/smaps_rollup") as f:
                pss += sum(int(l.split()[1]) for l in f if l.startswith("Pss:"))
        except (OSError, KeyError, ValueError):
            continue
    return rss, pss, names


def start_xvfb(tmp):
    fbdir = os.path.join(tmp, "fb")
    os.mkdir(fbdir)
    r, w = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(w), "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24", "-fbdir", fbdir,
         "-br", "-nolisten", "tcp"],
        pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(w)
    with os.fdopen(r) as f:
        display = f.readline().strip()
    if not display:
        raise SystemExit("bench-app: Xvfb did not start")
    fb = os.path.join(fbdir, "Xvfb_screen0")
    deadline = time.monotonic() + 10
    while not (os.path.exists(fb) and len(framebuffer(fb)) > 0):
        if time.monotonic() > deadline:
            raise SystemExit("bench-app: Xvfb wrote no framebuffer")
        time.sleep(0.01)
    return xvfb, f":{display}", fb


def stop(proc):
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=5)
            return
        except subprocess.TimeoutExpired:
            pass


def run_once(binary):
    tmp = tempfile.mkdtemp(prefix="bench-app-")
    xvfb, display, fb = start_xvfb(tmp)
    env = dict(os.environ, DISPLAY=display)
    for var in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        env[var] = os.path.join(tmp, var.lower())
    env.pop("WAYLAND_DISPLAY", None)
    log = open(os.path.join(tmp, "app.log"), "wb")
    try:
        t0 = time.monotonic()
        proc = subprocess.Popen([binary], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        while not painted(framebuffer(fb)):
            if proc.poll() is not None or time.monotonic() - t0 > PAINT_TIMEOUT_S:
                log.flush()
                with open(os.path.join(tmp, "app.log"), "rb") as f:
                    tail = f.read()[-2000:].decode(errors="replace")
                raise SystemExit(f"bench-app: {binary} painted nothing (exit {proc.poll()}):\n{tail}")
            time.sleep(POLL_S)
        start = time.monotonic() - t0
        time.sleep(max(0.0, t0 + IDLE_S - time.monotonic()))
        rss, pss, names = rss_kib(descendants(proc.pid))
        stop(proc)
        return start, rss, pss, names
    finally:
        log.close()
        xvfb.terminate()
        xvfb.wait()
        shutil.rmtree(tmp, ignore_errors=True)


results = {HELLO: [], APP: []}
for i in range(RUNS):
    order = (HELLO, APP) if i % 2 == 0 else (APP, HELLO)
    for binary in order:
        results[binary].append(run_once(binary))


def summary(binary):
    runs = results[binary]
    start = statistics.median(r[0] for r in runs)
    rss = statistics.median(r[1] for r in runs)
    pss = statistics.median(r[2] for r in runs)
    return start, os.path.getsize(binary), rss, pss, runs[-1][3], [r[0] for r in runs]


h, a = summary(HELLO), summary(APP)
for label, s in (("hello world", h), ("app", a)):
    starts = " ".join(f"{x:.2f}" for x in s[5])
    print(f"{label:<12} start {s[0]:.3f} s (runs: {starts}), binary {s[1] / 1e6:.2f} MB, "
          f"idle RSS {s[2] / 1024:.0f} MiB (PSS {s[3] / 1024:.0f} MiB) over {len(s[4])} processes: {', '.join(s[4])}")


def verdict(ratio, target):
    return f"(target <= {target}x: {'met' if ratio <= target else 'OVER'})"


start_r, size_r, rss_r = a[0] / h[0], a[1] / h[1], a[2] / h[2]
print(f"app start: {start_r:.2f}x")
print(f"app size: {size_r:.2f}x")
print(f"app idle RSS: {rss_r:.2f}x")
print(f"targets: start {verdict(start_r, 1.2)}, size {verdict(size_r, 2)}, idle RSS {verdict(rss_r, 1.3)}")
PY
