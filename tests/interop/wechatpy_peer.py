"""wechatpy as an independent WeCom callback peer for the Rust interop tests.

Reads JSON requests, one per line, on stdin and writes one JSON answer per line on stdout, in
order, so one process serves a whole batch. Every request names the configuration (token,
aes_key, corp_id) and an op:

  sign            {timestamp, nonce, encrypted}               -> {ok, msg_signature}
  check_signature {msg_signature, timestamp, nonce, echostr}  -> {ok, plain}   (GET: verify + decrypt)
  decrypt_message {msg_signature, timestamp, nonce, xml}      -> {ok, plain}   (POST envelope)
  encrypt_message {msg, timestamp, nonce}                     -> {ok, xml, encrypt, msg_signature}

Failures answer {ok: false, error: <exception class>, detail: <text>}.
"""

import json
import sys

import xmltodict
from wechatpy.crypto import _get_signature
from wechatpy.enterprise.crypto import WeChatCrypto


_last = {}


def crypto_for(req):
    """The WeChatCrypto for this request's configuration (consecutive requests share one)."""
    config = (req["token"], req["aes_key"], req["corp_id"])
    if _last.get("config") != config:
        _last["config"] = config
        _last["crypto"] = WeChatCrypto(*config)
    return _last["crypto"]


def handle(req):
    crypto = crypto_for(req)
    op = req["op"]
    if op == "sign":
        return {"msg_signature": _get_signature(req["token"], req["timestamp"], req["nonce"], req["encrypted"])}
    if op == "check_signature":
        plain = crypto.check_signature(req["msg_signature"], req["timestamp"], req["nonce"], req["echostr"])
        return {"plain": plain}
    if op == "decrypt_message":
        plain = crypto.decrypt_message(req["xml"], req["msg_signature"], req["timestamp"], req["nonce"])
        return {"plain": plain}
    if op == "encrypt_message":
        xml = crypto.encrypt_message(req["msg"], req["nonce"], req["timestamp"])
        fields = xmltodict.parse(xml)["xml"]
        return {"xml": xml, "encrypt": fields["Encrypt"], "msg_signature": fields["MsgSignature"]}
    raise ValueError("unknown op %r" % op)


def main():
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            answer = handle(json.loads(line))
            answer["ok"] = True
        except Exception as e:  # report every failure to the Rust side, which asserts on it
            answer = {"ok": False, "error": type(e).__name__, "detail": str(e)}
        out.write(json.dumps(answer, ensure_ascii=False) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
