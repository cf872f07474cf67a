//! Known-answer tests: every vector of `tests/data/wecom-callback.json` (the public official-sample
//! and synthetic vectors, vendored into the crate), in both directions where the vector carries the
//! random prefix.

use serde::Deserialize;
use wecom_crypto::{CryptoError, WeComCrypto, signature};

const VECTORS: &str = include_str!("data/wecom-callback.json");

#[derive(Deserialize)]
struct Vectors {
    decrypt_vectors: Vec<DecryptVector>,
    encrypt_vectors: Vec<EncryptVector>,
    synthetic_vectors: Vec<SyntheticVector>,
}

#[derive(Deserialize)]
struct DecryptVector {
    name: String,
    kind: String,
    token: String,
    encoding_aes_key: String,
    receiveid: String,
    timestamp: String,
    nonce: String,
    encrypted: String,
    msg_signature: String,
    expected_plaintext: String,
    decrypted_receiveid: String,
    random16_hex: String,
    pkcs7_pad: usize,
    ciphertext_len: usize,
    raw_query: Option<String>,
    post_body: Option<String>,
}

#[derive(Deserialize)]
struct EncryptVector {
    name: String,
    encoding_aes_key: String,
    receiveid: String,
    random16: String,
    plaintext: String,
    expected_encrypt: String,
    /// A vector without a signature was made with no particular token.
    #[serde(default = "any_token")]
    token: String,
    timestamp: Option<String>,
    nonce: Option<String>,
    expected_msg_signature: Option<String>,
}

fn any_token() -> String {
    "token".to_owned()
}

#[derive(Deserialize)]
struct SyntheticVector {
    name: String,
    token: String,
    encoding_aes_key: String,
    receiveid: String,
    random16: String,
    plaintext: String,
    encrypted: String,
    timestamp: String,
    nonce: String,
    msg_signature: String,
    pkcs7_pad: usize,
}

fn load() -> Vectors {
    serde_json::from_str(VECTORS)
        .unwrap_or_else(|e| panic!("cannot parse tests/data/wecom-callback.json: {e}"))
}

/// The crypto for `token`, `encoding_aes_key` and `receiveid`; `name` says which vector it is
/// for if they are refused.
#[track_caller]
fn crypto(token: &str, encoding_aes_key: &str, receiveid: &str, name: &str) -> WeComCrypto {
    WeComCrypto::new(token, encoding_aes_key, receiveid)
        .unwrap_or_else(|e| panic!("{name}: cannot build the crypto: {e}"))
}

/// A vector that carries the keys it was made with.
trait Keyed {
    /// The crypto of the vector's token, EncodingAESKey and receiveid.
    fn crypto(&self) -> WeComCrypto;
}

macro_rules! keyed {
    ($($vector:ident),*) => {$(
        impl Keyed for $vector {
            fn crypto(&self) -> WeComCrypto {
                crypto(&self.token, &self.encoding_aes_key, &self.receiveid, &self.name)
            }
        }
    )*};
}

keyed!(DecryptVector, EncryptVector, SyntheticVector);

/// Each of `vectors`, which must be `count` long (so that a loop over them is never empty), with
/// its crypto.
fn with_crypto<V: Keyed>(vectors: &[V], count: usize) -> impl Iterator<Item = (&V, WeComCrypto)> {
    assert_eq!(vectors.len(), count, "vectors of this kind in the file");
    vectors.iter().map(|v| (v, v.crypto()))
}

fn random16(bytes: &[u8]) -> [u8; 16] {
    bytes.try_into().expect("random16 is 16 bytes")
}

fn b64_len(encrypted: &str) -> usize {
    let padding = encrypted.bytes().rev().take_while(|&b| b == b'=').count();
    encrypted.len() / 4 * 3 - padding
}

#[test]
fn every_decrypt_vector_verifies_and_decrypts_and_re_encrypts_to_the_same_bytes() {
    let vectors = load();
    for (v, crypto) in with_crypto(&vectors.decrypt_vectors, 7) {
        assert_eq!(v.decrypted_receiveid, v.receiveid, "{}", v.name);
        assert_eq!(b64_len(&v.encrypted), v.ciphertext_len, "{}", v.name);

        // Signature agrees.
        assert_eq!(
            signature(&v.token, &v.timestamp, &v.nonce, &v.encrypted),
            v.msg_signature,
            "{}",
            v.name
        );

        // Decrypt direction, through the exchange the vector belongs to.
        let plain = if v.kind.starts_with("GET") {
            crypto
                .verify_url(&v.msg_signature, &v.timestamp, &v.nonce, &v.encrypted)
                .unwrap_or_else(|e| panic!("{}: {e}", v.name))
        } else if let Some(body) = &v.post_body {
            crypto
                .decrypt_event(&v.msg_signature, &v.timestamp, &v.nonce, body.as_bytes())
                .unwrap_or_else(|e| panic!("{}: {e}", v.name))
        } else {
            crypto
                .verify_signature(&v.msg_signature, &v.timestamp, &v.nonce, &v.encrypted)
                .unwrap();
            String::from_utf8(crypto.decrypt(&v.encrypted).unwrap()).unwrap()
        };
        assert_eq!(plain, v.expected_plaintext, "{}", v.name);

        if let Some(query) = &v.raw_query {
            let plain = if v.kind.starts_with("GET") {
                crypto.verify_url_query(query).unwrap()
            } else {
                let body = v
                    .post_body
                    .as_deref()
                    .expect("POST vectors with a query have a body");
                crypto.decrypt_event_query(query, body.as_bytes()).unwrap()
            };
            assert_eq!(plain, v.expected_plaintext, "{} via raw query", v.name);
        }

        // Encrypt direction: with the same random prefix we produce the same ciphertext.
        let prefix = hex::decode(&v.random16_hex).unwrap();
        let name = format!("{} re-encrypted", v.name);
        assert_encrypts_to(&crypto, &prefix, &v.expected_plaintext, &v.encrypted, &name);

        // The pad the vector documents is what 32-byte PKCS#7 gives for this plaintext.
        let pad = pkcs7_pad(&v.expected_plaintext, &v.receiveid);
        assert_eq!(pad, v.pkcs7_pad, "{} pad", v.name);
    }
}

#[test]
fn every_encrypt_vector_matches_byte_for_byte_and_decrypts_back() {
    let vectors = load();
    for (v, crypto) in with_crypto(&vectors.encrypt_vectors, 4) {
        let token = &v.token;
        let random = v.random16.as_bytes();
        let encrypted =
            assert_encrypts_to(&crypto, random, &v.plaintext, &v.expected_encrypt, &v.name);
        assert_eq!(
            crypto.decrypt(&encrypted).unwrap(),
            v.plaintext.as_bytes(),
            "{}",
            v.name
        );
        if let (Some(ts), Some(nonce), Some(sig)) =
            (&v.timestamp, &v.nonce, &v.expected_msg_signature)
        {
            assert_eq!(signature(token, ts, nonce, &encrypted), *sig, "{}", v.name);
            // And the passive-reply path signs what it encrypts.
            let reply = crypto.encrypt_reply(&v.plaintext, ts, nonce).unwrap();
            let envelope = wecom_crypto::parse_envelope(reply.as_bytes()).unwrap();
            crypto
                .verify_signature(
                    &extract(&reply, "MsgSignature"),
                    ts,
                    nonce,
                    &envelope.encrypt,
                )
                .unwrap();
            assert_eq!(
                crypto.decrypt(&envelope.encrypt).unwrap(),
                v.plaintext.as_bytes()
            );
        }
    }
}

/// With `random` as the 16-byte random prefix, `plaintext` encrypts to `expected` byte for byte;
/// returns the ciphertext. `name` says which vector failed.
#[track_caller]
fn assert_encrypts_to(
    crypto: &WeComCrypto,
    random: &[u8],
    plaintext: &str,
    expected: &str,
    name: &str,
) -> String {
    let encrypted = crypto
        .encrypt_with_random(random16(random), plaintext.as_bytes())
        .unwrap();
    assert_eq!(encrypted, expected, "{name}");
    encrypted
}

/// The pad 32-byte PKCS#7 adds to the 16-byte random prefix, the 4-byte length, `plaintext` and
/// `receiveid`.
fn pkcs7_pad(plaintext: &str, receiveid: &str) -> usize {
    let unpadded = 20 + plaintext.len() + receiveid.len();
    32 - unpadded % 32
}

fn extract(xml: &str, name: &str) -> String {
    let open = format!("<{name}><![CDATA[");
    let start = xml.find(&open).unwrap() + open.len();
    let end = start + xml[start..].find("]]>").unwrap();
    xml[start..end].to_owned()
}

#[test]
fn every_synthetic_vector_round_trips_including_pad_32_and_empty_receiveid() {
    let vectors = load();
    for (v, crypto) in with_crypto(&vectors.synthetic_vectors, 2) {
        assert_eq!(
            signature(&v.token, &v.timestamp, &v.nonce, &v.encrypted),
            v.msg_signature
        );
        let plain = crypto
            .verify_url(&v.msg_signature, &v.timestamp, &v.nonce, &v.encrypted)
            .unwrap_or_else(|e| panic!("{}: {e}", v.name));
        assert_eq!(plain, v.plaintext, "{}", v.name);
        let random = v.random16.as_bytes();
        assert_encrypts_to(&crypto, random, &v.plaintext, &v.encrypted, &v.name);
        let pad = pkcs7_pad(&v.plaintext, &v.receiveid);
        assert_eq!(pad, v.pkcs7_pad, "{} pad", v.name);
    }
}

#[test]
fn official_vector_with_another_corpid_is_40005_naming_both_ids() {
    let v = &load().decrypt_vectors[0];
    let crypto = crypto(&v.token, &v.encoding_aes_key, "wwWRONGcorp", &v.name);
    let err = crypto
        .verify_url(&v.msg_signature, &v.timestamp, &v.nonce, &v.encrypted)
        .unwrap_err();
    assert_eq!(err.code(), -40005);
    assert_eq!(
        err,
        CryptoError::ReceiveIdMismatch {
            decrypted: "wx5823bf96d3bd56c7".into(),
            expected: "wwWRONGcorp".into()
        }
    );
    let message = err.to_string();
    assert!(
        message.starts_with(
            "decrypted receiveid \"wx5823bf96d3bd56c7\" does not match corpid \"wwWRONGcorp\""
        ),
        "{message}"
    );
}

#[test]
fn official_vector_with_another_token_is_40001() {
    let v = &load().decrypt_vectors[0];
    let crypto = crypto("qdg6ek", &v.encoding_aes_key, &v.receiveid, &v.name);
    let err = crypto
        .verify_url_query(v.raw_query.as_deref().unwrap())
        .unwrap_err();
    assert_eq!(err.code(), -40001);
    assert!(err.to_string().contains("Token"), "{err}");
}

#[test]
fn official_vector_with_another_key_is_40007_or_40008() {
    let v = &load().decrypt_vectors[1];
    let other_key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    let crypto = crypto(&v.token, other_key, &v.receiveid, &v.name);
    let err = crypto
        .decrypt_event(
            &v.msg_signature,
            &v.timestamp,
            &v.nonce,
            v.post_body.as_deref().unwrap().as_bytes(),
        )
        .unwrap_err();
    assert!(matches!(err.code(), -40007 | -40008), "{err}");
    assert!(err.to_string().contains("EncodingAESKey"), "{err}");
}
