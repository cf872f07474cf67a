//! The two callback exchanges, both ways: answering WeCom (URL verification, events, passive
//! replies) and acting as WeCom for the simulator (a fresh signed echostr, an encrypted event).

use crate::envelope;
use crate::error::CryptoError;
use crate::key::EncodingAesKey;
use crate::payload::PayloadCipher;
use crate::query;
use crate::random;
use crate::signature::{self, signature};
use secrecy::{ExposeSecret, SecretString};
use std::borrow::Cow;
use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// One callback configuration: Token, EncodingAESKey and receiveid (the corpid for a self-built
/// app). The AES key is expanded once here, not per message. `Debug` shows only the corpid.
#[derive(Clone)]
pub struct WeComCrypto {
    token: SecretString,
    cipher: PayloadCipher,
    receive_id: String,
}

impl fmt::Debug for WeComCrypto {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WeComCrypto")
            .field("token", &"[REDACTED]")
            .field("encoding_aes_key", &"[REDACTED]")
            .field("receive_id", &self.receive_id)
            .finish()
    }
}

/// The three query parameters that sign a callback request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// Unix seconds.
    pub timestamp: String,
    /// Random decimal.
    pub nonce: String,
    /// Signature over token, timestamp, nonce and the encrypted value.
    pub msg_signature: String,
}

impl Signed {
    /// `msg_signature=…&timestamp=…&nonce=…` and then `extra`, percent-encoded as WeCom does
    /// (`+` → `%2B`, `/` → `%2F`, `=` → `%3D`).
    fn query(&self, extra: &[(&str, &str)]) -> String {
        let mut pairs = vec![
            ("msg_signature", self.msg_signature.as_str()),
            ("timestamp", self.timestamp.as_str()),
            ("nonce", self.nonce.as_str()),
        ];
        pairs.extend_from_slice(extra);
        query::encode(&pairs)
    }
}

/// What WeCom sends when the admin presses Save: a GET with these query parameters. The server
/// must answer with exactly `echostr_plain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlVerification {
    /// The decimal number the server must return.
    pub echostr_plain: String,
    /// Its encryption (base64, not percent-encoded).
    pub echostr: String,
    /// Signed over `echostr`.
    pub signed: Signed,
}

impl UrlVerification {
    /// `msg_signature=…&timestamp=…&nonce=…&echostr=…`, percent-encoded.
    pub fn query(&self) -> String {
        self.signed.query(&[("echostr", &self.echostr)])
    }
}

/// What WeCom sends for an event: a POST with this query and XML body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDelivery {
    /// Signed over the `<Encrypt>` value.
    pub signed: Signed,
    /// `<xml><ToUserName/><Encrypt/>[<AgentID/>]</xml>`.
    pub body: String,
}

impl EventDelivery {
    /// `msg_signature=…&timestamp=…&nonce=…`, percent-encoded.
    pub fn query(&self) -> String {
        self.signed.query(&[])
    }
}

impl WeComCrypto {
    /// Checks the EncodingAESKey (−40004) and expands the AES key. The Token and receiveid are
    /// taken as given (they only have to match the console).
    pub fn new(token: &str, encoding_aes_key: &str, receive_id: &str) -> Result<Self, CryptoError> {
        let key = EncodingAesKey::parse(encoding_aes_key)?;
        Ok(Self::with_key(token, &key, receive_id))
    }

    /// Like [`WeComCrypto::new`] with an already parsed key.
    pub fn with_key(token: &str, key: &EncodingAesKey, receive_id: &str) -> Self {
        Self {
            token: SecretString::from(token),
            cipher: PayloadCipher::new(key),
            receive_id: receive_id.to_owned(),
        }
    }

    /// The receiveid (corpid) this instance checks against.
    pub fn receive_id(&self) -> &str {
        &self.receive_id
    }

    /// The `msg_signature` for this Token over `timestamp`, `nonce` and `encrypted`.
    pub fn signature(&self, timestamp: &str, nonce: &str, encrypted: &str) -> String {
        signature(self.token.expose_secret(), timestamp, nonce, encrypted)
    }

    /// Checks `msg_signature` (constant time): −40003 if a parameter is empty, −40001 if wrong.
    pub fn verify_signature(
        &self,
        msg_signature: &str,
        timestamp: &str,
        nonce: &str,
        encrypted: &str,
    ) -> Result<(), CryptoError> {
        signature::verify(
            self.token.expose_secret(),
            msg_signature,
            timestamp,
            nonce,
            encrypted,
        )
    }

    /// The URL-verification GET: checks the signature over `echostr` (already percent-decoded),
    /// decrypts it and returns the plaintext the server must answer with.
    pub fn verify_url(
        &self,
        msg_signature: &str,
        timestamp: &str,
        nonce: &str,
        echostr: &str,
    ) -> Result<String, CryptoError> {
        if echostr.is_empty() {
            return Err(CryptoError::MissingParameter {
                parameter: "echostr",
            });
        }
        self.verify_signature(msg_signature, timestamp, nonce, echostr)?;
        self.decrypt_text(echostr)
    }

    /// [`WeComCrypto::verify_url`] from the raw query string of the GET (percent-decoded once
    /// here). A missing parameter is −40003 naming it.
    pub fn verify_url_query(&self, raw_query: &str) -> Result<String, CryptoError> {
        let [msg_signature, timestamp, nonce, echostr] = query::fields(raw_query);
        self.verify_url(
            query::require(msg_signature.as_deref(), "msg_signature")?,
            query::require(timestamp.as_deref(), "timestamp")?,
            query::require(nonce.as_deref(), "nonce")?,
            query::require(echostr.as_deref(), "echostr")?,
        )
    }

    /// An event POST: parses the `<xml>` envelope (−40002), checks the signature over its
    /// `<Encrypt>` value, decrypts it and returns the message (usually XML).
    pub fn decrypt_event(
        &self,
        msg_signature: &str,
        timestamp: &str,
        nonce: &str,
        body: &[u8],
    ) -> Result<String, CryptoError> {
        let encrypt = envelope::encrypt_of(body)?;
        self.verify_signature(msg_signature, timestamp, nonce, &encrypt)?;
        self.decrypt_text(&encrypt)
    }

    /// [`WeComCrypto::decrypt_event`] from the raw query string of the POST.
    pub fn decrypt_event_query(&self, raw_query: &str, body: &[u8]) -> Result<String, CryptoError> {
        let [msg_signature, timestamp, nonce, _] = query::fields(raw_query);
        self.decrypt_event(
            query::require(msg_signature.as_deref(), "msg_signature")?,
            query::require(timestamp.as_deref(), "timestamp")?,
            query::require(nonce.as_deref(), "nonce")?,
            body,
        )
    }

    /// Encrypts `msg` for this receiveid with a fresh random prefix; returns base64.
    pub fn encrypt(&self, msg: &[u8]) -> Result<String, CryptoError> {
        self.encrypt_with_random(random::random16()?, msg)
    }

    /// Encrypts with the given 16-byte prefix (for known-answer tests).
    pub fn encrypt_with_random(
        &self,
        random16: [u8; 16],
        msg: &[u8],
    ) -> Result<String, CryptoError> {
        self.cipher
            .encrypt(random16, msg, self.receive_id.as_bytes())
    }

    /// Decrypts base64 ciphertext (no signature check) and checks the receiveid (−40005).
    pub fn decrypt(&self, encrypted_b64: &str) -> Result<Vec<u8>, CryptoError> {
        self.cipher
            .decrypt(encrypted_b64, self.receive_id.as_bytes())
    }

    fn decrypt_text(&self, encrypted_b64: &str) -> Result<String, CryptoError> {
        String::from_utf8(self.decrypt(encrypted_b64)?).map_err(|e| CryptoError::IllegalBuffer {
            detail: format!("the decrypted message is not UTF-8 ({e})"),
        })
    }

    /// The encrypted passive reply `<xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>`.
    pub fn encrypt_reply(
        &self,
        msg: &str,
        timestamp: &str,
        nonce: &str,
    ) -> Result<String, CryptoError> {
        if timestamp.is_empty() {
            return Err(CryptoError::MissingParameter {
                parameter: "timestamp",
            });
        }
        if nonce.is_empty() {
            return Err(CryptoError::MissingParameter { parameter: "nonce" });
        }
        let encrypt = self.encrypt(msg.as_bytes())?;
        let msg_signature = self.signature(timestamp, nonce, &encrypt);
        Ok(envelope::reply_xml(
            &encrypt,
            &msg_signature,
            timestamp,
            nonce,
        ))
    }

    /// What WeCom sends on Save: a fresh 19-digit echostr, its encryption, the current time, a
    /// random nonce and the signature.
    pub fn simulate_url_verification(&self) -> Result<UrlVerification, CryptoError> {
        self.simulate_url_verification_where(|_| true)
    }

    /// [`WeComCrypto::simulate_url_verification`] whose base64 echostr satisfies `wanted` (e.g.
    /// "contains `+` and `/`"): the random prefix is drawn again until it does, so the echostr
    /// stays a valid WeCom ciphertext of a fresh plaintext. Gives up (−40006) after
    /// [`MAX_ECHOSTR_DRAWS`] draws; a shape that one echostr in 20 has needs about 20.
    pub fn simulate_url_verification_where(
        &self,
        wanted: impl Fn(&str) -> bool,
    ) -> Result<UrlVerification, CryptoError> {
        let echostr_plain = random::echostr_plain()?;
        let mut draws = 0;
        let echostr = loop {
            let echostr = self.encrypt(echostr_plain.as_bytes())?;
            if wanted(&echostr) {
                break echostr;
            }
            draws += 1;
            if draws == MAX_ECHOSTR_DRAWS {
                return Err(CryptoError::EncryptAes {
                    detail: format!("no echostr of the wanted shape in {draws} draws"),
                });
            }
        };
        let signed = self.sign_now(&echostr)?;
        Ok(UrlVerification {
            echostr_plain,
            echostr,
            signed,
        })
    }

    /// What WeCom POSTs for `event_xml`: the encrypted envelope (ToUserName = corpid, AgentID
    /// copied from the event when it has one), the current time, a random nonce, the signature.
    pub fn simulate_event(&self, event_xml: &str) -> Result<EventDelivery, CryptoError> {
        let encrypt = self.encrypt(event_xml.as_bytes())?;
        let agent_id = envelope::children(event_xml, ["AgentID"])
            .ok()
            .and_then(|[agent_id]| agent_id.map(Cow::into_owned));
        let body = envelope::event_xml(&self.receive_id, &encrypt, agent_id.as_deref());
        let signed = self.sign_now(&encrypt)?;
        Ok(EventDelivery { signed, body })
    }

    /// `encrypted` signed now, with a fresh nonce.
    fn sign_now(&self, encrypted: &str) -> Result<Signed, CryptoError> {
        let timestamp = now();
        let nonce = random::nonce()?;
        let msg_signature = self.signature(&timestamp, &nonce, encrypted);
        Ok(Signed {
            timestamp,
            nonce,
            msg_signature,
        })
    }
}

/// Most random prefixes [`WeComCrypto::simulate_url_verification_where`] tries.
pub const MAX_ECHOSTR_DRAWS: usize = 10_000;

/// Current unix seconds (0 if the clock is before 1970).
fn now() -> String {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::parse_envelope;

    use crate::sample::{CORP_ID as CORP, ENCODING_AES_KEY as KEY, TOKEN};

    fn crypto() -> WeComCrypto {
        WeComCrypto::new(TOKEN, KEY, CORP).unwrap()
    }

    #[test]
    fn an_echostr_of_a_wanted_shape_is_still_a_valid_verification() {
        let c = crypto();
        let both = |e: &str| e.contains('+') && e.contains('/');
        let neither = |e: &str| !e.contains('+') && !e.contains('/');
        for wanted in [&both as &dyn Fn(&str) -> bool, &neither] {
            let v = c.simulate_url_verification_where(wanted).unwrap();
            assert!(wanted(&v.echostr), "{}", v.echostr);
            assert_eq!(c.verify_url_query(&v.query()).unwrap(), v.echostr_plain);
        }
        let never = c.simulate_url_verification_where(|_| false).unwrap_err();
        assert_eq!(never.code(), -40006);
    }

    #[test]
    fn debug_shows_the_corpid_but_neither_token_nor_key() {
        let shown = format!("{:?}", crypto());
        assert!(shown.contains(CORP), "{shown}");
        assert!(!shown.contains(TOKEN), "{shown}");
        assert!(!shown.contains(&KEY[..8]), "{shown}");
        assert!(!shown.to_lowercase().contains("8d69989b"), "{shown}");
        assert!(shown.contains("[REDACTED]"), "{shown}");
    }

    #[test]
    fn new_rejects_a_bad_key_with_40004() {
        assert_eq!(
            WeComCrypto::new(TOKEN, "short", CORP).unwrap_err().code(),
            -40004
        );
    }

    #[test]
    fn simulated_url_verification_looks_like_wecom_and_verifies() {
        let c = crypto();
        let v = c.simulate_url_verification().unwrap();
        assert_eq!(v.echostr_plain.len(), 19);
        assert!(v.echostr_plain.bytes().all(|b| b.is_ascii_digit()));
        assert!(!v.echostr_plain.starts_with('0'));
        assert!(v.signed.nonce.bytes().all(|b| b.is_ascii_digit()) && v.signed.nonce.len() == 10);
        let now: u64 = now().parse().unwrap();
        let ts: u64 = v.signed.timestamp.parse().unwrap();
        assert!(now.abs_diff(ts) <= 5);
        assert_eq!(
            v.signed.msg_signature,
            signature(TOKEN, &v.signed.timestamp, &v.signed.nonce, &v.echostr)
        );
        assert_eq!(c.verify_url_query(&v.query()).unwrap(), v.echostr_plain);
        assert_eq!(
            c.verify_url(
                &v.signed.msg_signature,
                &v.signed.timestamp,
                &v.signed.nonce,
                &v.echostr
            )
            .unwrap(),
            v.echostr_plain
        );
    }

    #[test]
    fn simulated_query_percent_encodes_base64() {
        let v = UrlVerification {
            echostr_plain: "1".into(),
            echostr: "a+b/c==".into(),
            signed: Signed {
                timestamp: "1".into(),
                nonce: "2".into(),
                msg_signature: "s".into(),
            },
        };
        assert_eq!(
            v.query(),
            "msg_signature=s&timestamp=1&nonce=2&echostr=a%2Bb%2Fc%3D%3D"
        );
    }

    #[test]
    fn two_simulations_differ() {
        let c = crypto();
        let (a, b) = (
            c.simulate_url_verification().unwrap(),
            c.simulate_url_verification().unwrap(),
        );
        assert_ne!(a.echostr_plain, b.echostr_plain);
        assert_ne!(a.echostr, b.echostr);
    }

    #[test]
    fn simulated_event_decrypts_and_carries_corpid_and_agentid() {
        let c = crypto();
        let event = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><MsgType><![CDATA[event]]></MsgType>\
                     <Event><![CDATA[change_external_contact]]></Event><AgentID>1000002</AgentID></xml>";
        let d = c.simulate_event(event).unwrap();
        let envelope = parse_envelope(d.body.as_bytes()).unwrap();
        assert_eq!(envelope.to_user_name.as_deref(), Some(CORP));
        assert_eq!(envelope.agent_id.as_deref(), Some("1000002"));
        assert_eq!(
            c.decrypt_event(
                &d.signed.msg_signature,
                &d.signed.timestamp,
                &d.signed.nonce,
                d.body.as_bytes()
            )
            .unwrap(),
            event
        );
        assert_eq!(
            c.decrypt_event_query(&d.query(), d.body.as_bytes())
                .unwrap(),
            event
        );
        assert!(!d.query().contains("echostr"));
    }

    #[test]
    fn simulated_event_without_agentid_omits_it() {
        let d = crypto().simulate_event("not xml at all").unwrap();
        assert_eq!(parse_envelope(d.body.as_bytes()).unwrap().agent_id, None);
    }

    #[test]
    fn passive_reply_round_trips_and_is_signed() {
        let c = crypto();
        let reply = c
            .encrypt_reply("<xml><Content>你好</Content></xml>", "1409659813", "abc]]>")
            .unwrap();
        let [sig, ts, nonce] =
            envelope::children(&reply, ["MsgSignature", "TimeStamp", "Nonce"]).unwrap();
        let (sig, ts, nonce) = (sig.unwrap(), ts.unwrap(), nonce.unwrap());
        assert_eq!((&*ts, &*nonce), ("1409659813", "abc]]>"));
        assert_eq!(
            c.decrypt_event(&sig, &ts, &nonce, reply.as_bytes())
                .unwrap(),
            "<xml><Content>你好</Content></xml>"
        );
    }

    #[test]
    fn passive_reply_needs_timestamp_and_nonce() {
        assert_eq!(
            crypto().encrypt_reply("m", "", "n").unwrap_err().code(),
            -40003
        );
        assert_eq!(
            crypto().encrypt_reply("m", "1", "").unwrap_err().code(),
            -40003
        );
    }

    #[test]
    fn missing_query_parameters_are_40003_naming_them() {
        let c = crypto();
        for (query, name) in [
            ("timestamp=1&nonce=2&echostr=abc", "msg_signature"),
            ("msg_signature=s&nonce=2&echostr=abc", "timestamp"),
            ("msg_signature=s&timestamp=1&echostr=abc", "nonce"),
            ("msg_signature=s&timestamp=1&nonce=2", "echostr"),
            ("msg_signature=s&timestamp=1&nonce=2&echostr=", "echostr"),
        ] {
            let err = c.verify_url_query(query).unwrap_err();
            assert_eq!(
                err,
                CryptoError::MissingParameter { parameter: name },
                "{query}"
            );
        }
        let err = c
            .decrypt_event_query("timestamp=1&nonce=2", b"<xml/>")
            .unwrap_err();
        assert_eq!(
            err,
            CryptoError::MissingParameter {
                parameter: "msg_signature"
            }
        );
    }

    #[test]
    fn url_verification_with_an_echoed_but_undecoded_echostr_fails_the_signature() {
        // A server that forgets to percent-decode signs over `%2B` instead of `+`.
        let c = crypto();
        let v = c.simulate_url_verification().unwrap();
        let encoded = v.query();
        let raw = encoded.rsplit_once("echostr=").map(|(_, e)| e).unwrap();
        // 64 ciphertext bytes always end in `==`, so the encoded form always differs.
        assert_ne!(raw, v.echostr);
        assert_eq!(
            c.verify_url(
                &v.signed.msg_signature,
                &v.signed.timestamp,
                &v.signed.nonce,
                raw
            )
            .unwrap_err()
            .code(),
            -40001
        );
    }

    #[test]
    fn non_utf8_message_is_40008_on_the_text_paths() {
        let c = crypto();
        let echostr = c.encrypt(&[0xff, 0xfe, 0x00]).unwrap();
        assert_eq!(c.decrypt(&echostr).unwrap(), [0xff, 0xfe, 0x00]);
        let sig = c.signature("1", "2", &echostr);
        assert_eq!(
            c.verify_url(&sig, "1", "2", &echostr).unwrap_err().code(),
            -40008
        );
    }

    #[test]
    fn signature_is_checked_before_decrypting() {
        // Garbage ciphertext with a wrong signature reports the signature, not the garbage.
        let err = crypto()
            .verify_url("0000000000000000000000000000000000000000", "1", "2", "!!")
            .unwrap_err();
        assert_eq!(err.code(), -40001);
    }
}
