"""A WeCom callback receiver written with wechatpy only (http.server), for the live interop tests.

Listens on 127.0.0.1 on a port the OS picks and prints `PORT <n>` on stdout. Answers the
URL-verification GET with the decrypted echostr and event POSTs with 200 and an empty body;
anything that does not verify gets 403. Exits when stdin closes (the test that started it ended).

Configuration from the environment: WECOM_TOKEN, WECOM_AES_KEY, WECOM_CORP_ID, and WECOM_FAULT to
misbehave the way real deployments do (the ladder must name each one):

- double_url_decode: the handler unquotes the already decoded echostr again (`unquote_plus`, the
  classic mistake on top of a framework's own decoding), so `+` turns into a space;
- server_error_code: configured with a stale Token, it answers 200 with the library code of the
  failure, `ERR: -40001`, as the official PHP sample does;
- bytes_repr: answers `str()` of the plaintext's bytes, `b'…'` (Python 3);
- trailing_newline: answers the plaintext and `\n`, as WeCom's PHP sample does (accepted);
- inconsistent_backends: two instances behind a round-robin balancer, the second with a stale
  Token: every other request is refused;
- auth_required: an SSO gateway in front: 401 with WWW-Authenticate before wechatpy sees anything;
- method_not_allowed: a route registered for POST only: 405 on the GET.
"""

import itertools
import os
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from wechatpy.exceptions import InvalidSignatureException
from wechatpy.enterprise.crypto import WeChatCrypto

FAULT = os.environ.get("WECOM_FAULT", "")
CRYPTO = WeChatCrypto(os.environ["WECOM_TOKEN"], os.environ["WECOM_AES_KEY"], os.environ["WECOM_CORP_ID"])
STALE = WeChatCrypto("StaleTokenOfAnOldInstance", os.environ["WECOM_AES_KEY"], os.environ["WECOM_CORP_ID"])
# Round robin over the instances of the balancer (inconsistent_backends).
BACKENDS = itertools.cycle([CRYPTO, STALE])
BACKENDS_LOCK = threading.Lock()
# WXBizMsgCrypt's codes for wechatpy's exceptions (server_error_code).
LIBRARY_CODES = {InvalidSignatureException: -40001}


def crypto_for_request():
    if FAULT == "inconsistent_backends":
        with BACKENDS_LOCK:
            return next(BACKENDS)
    if FAULT == "server_error_code":
        return STALE
    return CRYPTO


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def params(self):
        query = urllib.parse.urlsplit(self.path).query
        return {k: v[0] for k, v in urllib.parse.parse_qs(query, keep_blank_values=True).items()}

    def answer(self, status, body=b""):
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if FAULT == "auth_required":
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Bearer realm="sso"')
            self.send_header("Content-Length", "0")
            return self.end_headers()
        if FAULT == "method_not_allowed":
            self.send_response(405)
            self.send_header("Allow", "POST")
            self.send_header("Content-Length", "0")
            return self.end_headers()
        p = self.params()
        echostr = p.get("echostr", "")
        if FAULT == "double_url_decode":
            echostr = urllib.parse.unquote_plus(echostr)
        try:
            plain = crypto_for_request().check_signature(p["msg_signature"], p["timestamp"], p["nonce"], echostr)
        except Exception as e:  # noqa: BLE001 - any failure is a refusal
            if FAULT == "server_error_code":
                return self.answer(200, ("ERR: %d" % LIBRARY_CODES.get(type(e), -40007)).encode())
            return self.answer(403, type(e).__name__.encode())
        if isinstance(plain, bytes):
            plain = plain.decode()
        if FAULT == "bytes_repr":
            return self.answer(200, str(plain.encode()).encode())
        if FAULT == "trailing_newline":
            return self.answer(200, (plain + "\n").encode())
        self.answer(200, plain.encode())

    def do_POST(self):
        p = self.params()
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            CRYPTO.decrypt_message(body, p["msg_signature"], p["timestamp"], p["nonce"])
        except Exception as e:  # noqa: BLE001
            return self.answer(403, type(e).__name__.encode())
        self.answer(200)

    def log_message(self, *args):
        pass


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("PORT %d" % server.server_address[1], flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
