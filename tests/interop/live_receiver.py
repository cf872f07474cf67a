"""A WeCom callback receiver written with wechatpy only (http.server), for the live interop tests.

Listens on 127.0.0.1 on a port the OS picks and prints `PORT <n>` on stdout. Answers the
URL-verification GET with the decrypted echostr and event POSTs with 200 and an empty body;
anything that does not verify gets 403. Exits when stdin closes (the test that started it ended).

Configuration from the environment: WECOM_TOKEN, WECOM_AES_KEY, WECOM_CORP_ID.
"""

import os
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from wechatpy.enterprise.crypto import WeChatCrypto

CRYPTO = WeChatCrypto(os.environ["WECOM_TOKEN"], os.environ["WECOM_AES_KEY"], os.environ["WECOM_CORP_ID"])


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
        p = self.params()
        try:
            plain = CRYPTO.check_signature(p["msg_signature"], p["timestamp"], p["nonce"], p["echostr"])
        except Exception as e:  # noqa: BLE001 - any failure is a refusal
            return self.answer(403, type(e).__name__.encode())
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
