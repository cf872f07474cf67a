#!/usr/bin/env bash
# Benchmarks of the live crate (loopback only), printed as ratios:
#   - the reference receiver's URL-verification throughput over keep-alive vs a bare hello-world
#     server of the same HTTP stack, both loaded by wrk in the same run (target >= 0.8x);
#   - `qa-wecom verify` (the whole ladder, as a process) vs curl fetching the same signed URL
#     (target <= 1.5x).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v wrk >/dev/null && command -v curl >/dev/null ||
  { echo "bench-live: wrk and curl are missing; run it through \`make bench\`" >&2; exit 1; }

target_dir=${CARGO_TARGET_DIR:-target}
cargo build --release -p qa-wecom-cli
QA_WECOM_BIN="$(realpath "$target_dir")/release/qa-wecom" cargo bench -p live --bench live_bench
