"""WeCom's side of the callback, written with wechatpy only, for the live interop tests.

Acts as WeCom does against a callback URL: the URL-verification GET (a fresh 19-digit echostr,
encrypted and signed by wechatpy, percent-encoded, User-Agent Mozilla/4.0) judged byte for byte,
then an encrypted change_external_contact event POSTed and expected to get HTTP 200.

Configuration comes from the environment (WECOM_URL, WECOM_TOKEN, WECOM_AES_KEY, WECOM_CORP_ID),
never from argv. Prints one JSON object (no secrets) and exits 0 only when both exchanges pass.
"""

import json
import os
import random
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import xmltodict
from wechatpy.enterprise.crypto import WeChatCrypto

TIMEOUT_S = 5


def call(method, url, body=None):
    request = urllib.request.Request(url, data=body, method=method)
    request.add_header("User-Agent", "Mozilla/4.0")
    if body is not None:
        request.add_header("Content-Type", "text/xml")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as reply:
            return reply.status, reply.read(64 * 1024 + 1)
    except urllib.error.HTTPError as e:
        return e.code, e.read(64 * 1024 + 1)


def signed(crypto, msg):
    nonce = str(random.randint(10**9, 10**10 - 1))
    timestamp = str(int(time.time()))
    fields = xmltodict.parse(crypto.encrypt_message(msg, nonce, timestamp))["xml"]
    return fields["Encrypt"], {"msg_signature": fields["MsgSignature"], "timestamp": timestamp, "nonce": nonce}


def with_query(url, params):
    query = urllib.parse.urlencode(params, quote_via=urllib.parse.quote, safe="")
    return url + ("&" if "?" in url else "?") + query


def main():
    url, corp_id = os.environ["WECOM_URL"], os.environ["WECOM_CORP_ID"]
    crypto = WeChatCrypto(os.environ["WECOM_TOKEN"], os.environ["WECOM_AES_KEY"], corp_id)
    result = {}

    echostr_plain = str(random.randint(10**18, 10**19 - 1))
    echostr, params = signed(crypto, echostr_plain)
    params["echostr"] = echostr
    status, body = call("GET", with_query(url, params))
    result["verify_status"] = status
    result["verify_ok"] = status == 200 and body == echostr_plain.encode()
    result["verify_body_len"] = len(body)

    event = (
        "<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>"
        "<CreateTime>%d</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        "<Event><![CDATA[change_external_contact]]></Event>"
        "<ChangeType><![CDATA[add_external_contact]]></ChangeType>"
        "<UserID><![CDATA[wechatpy-user]]></UserID><ExternalUserID><![CDATA[wmwechatpy]]></ExternalUserID></xml>"
    ) % (corp_id, int(time.time()))
    encrypt, params = signed(crypto, event)
    envelope = (
        "<xml><ToUserName><![CDATA[%s]]></ToUserName><AgentID><![CDATA[]]></AgentID>"
        "<Encrypt><![CDATA[%s]]></Encrypt></xml>"
    ) % (corp_id, encrypt)
    status, body = call("POST", with_query(url, params), envelope.encode())
    result["event_status"] = status
    result["event_ok"] = status == 200

    print(json.dumps(result))
    return 0 if result["verify_ok"] and result["event_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
