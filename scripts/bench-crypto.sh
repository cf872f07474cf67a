#!/usr/bin/env bash
# Benchmarks the callback crypto against wechatpy on the same official vectors, in the same run.
#
#   ours:     criterion bench `callback` (crates/wecom-crypto/benches/callback.rs)
#   wechatpy: python timeit in tests/.venv, 7 repeats
# Both are wall-clock. Two statistics, the same for both sides: "best" (fastest criterion sample
# vs fastest timeit repeat: least disturbed by other load) and "median". On a busy machine the
# medians move with the load; the best-vs-best ratio is the stable one.
#
# Compared like with like:
#   verify_url     (signature check + decrypt of the GET echostr)
#     vs WeChatCrypto.check_signature  (wechatpy.enterprise: also checks the signature and decrypts)
#   decrypt_event  (XML envelope + signature check + decrypt of the POST body)
#     vs WeChatCrypto.decrypt_message
# plus, for reference, wechatpy's signature alone (no decrypt).
# Target: ours >= 30x wechatpy's ops/s on verify_url.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

py=$root/tests/.venv/bin/python
if [ ! -x "$py" ]; then
  scripts/python-venv.sh
fi

crit_home=$(mktemp -d)
trap 'rm -rf "$crit_home"' EXIT

echo "== criterion: cargo bench -p wecom-crypto --bench callback"
CRITERION_HOME=$crit_home cargo bench -p wecom-crypto --bench callback -- \
  '^(verify_url|decrypt_event)$' 2>&1 | grep -E '^(verify_url|decrypt_event)|time:|thrpt:' || true

for id in verify_url decrypt_event; do
  if [ ! -f "$crit_home/$id/new/estimates.json" ]; then
    echo "criterion wrote no estimates for $id (looked in $crit_home/$id/new)" >&2
    exit 1
  fi
done

echo "== wechatpy (timeit in $py)"
CRIT_HOME=$crit_home "$py" - <<'PY'
import json, os, timeit
from wechatpy.crypto import _get_signature
from wechatpy.enterprise.crypto import WeChatCrypto

token, key, corp = "QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7"
c = WeChatCrypto(token, key, corp)
get = dict(sig="5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", ts="1409659589", nonce="263014780",
           echostr="P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==")
post = dict(sig="477715d11cdb4164915debcba66cb864d751f3e6", ts="1409659813", nonce="1372623149",
            body="<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>")

def check_signature():
    return c.check_signature(get["sig"], get["ts"], get["nonce"], get["echostr"])

def signature_only():
    return _get_signature(token, get["ts"], get["nonce"], get["echostr"]) == get["sig"]

def decrypt_message():
    return c.decrypt_message(post["body"], post["sig"], post["ts"], post["nonce"])

assert check_signature() == "1616140317555161061"
assert signature_only()
assert "<Content><![CDATA[hello]]></Content>" in decrypt_message()

def ops(fn, number):
    runs = sorted(number / t for t in timeit.repeat(fn, number=number, repeat=7))
    return runs[-1], runs[len(runs) // 2]  # best, median (ops/s)

def ours(bench_id):
    base = os.path.join(os.environ["CRIT_HOME"], bench_id, "new")
    with open(os.path.join(base, "estimates.json")) as f:
        median_ns = json.load(f)["median"]["point_estimate"]
    with open(os.path.join(base, "sample.json")) as f:
        sample = json.load(f)
    best_ns = min(t / i for t, i in zip(sample["times"], sample["iters"]))
    return 1e9 / best_ns, 1e9 / median_ns

py_check = ops(check_signature, 5000)
py_sig = ops(signature_only, 20000)
py_post = ops(decrypt_message, 2000)
rs_get = ours("verify_url")
rs_post = ours("decrypt_event")

row = "{:<48} {:>14,.0f} {:>14,.0f}"
print("{:<48} {:>14} {:>14}".format("ops/s", "best", "median"))
print(row.format("wechatpy check_signature (signature + decrypt)", *py_check))
print(row.format("wechatpy signature only (no decrypt)", *py_sig))
print(row.format("wechatpy decrypt_message (POST)", *py_post))
print(row.format("ours verify_url (signature + decrypt)", *rs_get))
print(row.format("ours decrypt_event (POST)", *rs_post))
print()
ratio = "{:<48} {:>13.1f}x {:>13.1f}x{}"
print(ratio.format("verify_url    vs check_signature", rs_get[0] / py_check[0], rs_get[1] / py_check[1], "   (target >= 30x)"))
print(ratio.format("verify_url    vs signature only", rs_get[0] / py_sig[0], rs_get[1] / py_sig[1], "   (ours also decrypts)"))
print(ratio.format("decrypt_event vs decrypt_message", rs_post[0] / py_post[0], rs_post[1] / py_post[1], ""))
PY
