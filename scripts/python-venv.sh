#!/usr/bin/env bash
# Creates tests/.venv with the Python packages of tests/requirements.txt (wechatpy for interop,
# actionlint for the workflows),
# and does nothing when it is already up to date. Tests find the interpreter at tests/.venv/bin/python.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=tests/.venv
stamp=$venv/.requirements.stamp
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && cmp -s tests/requirements.txt "$stamp"; then
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r tests/requirements.txt
cp tests/requirements.txt "$stamp"
