//! Property tests: encryption round-trips for any message and receiveid, and no input — bytes,
//! base64, XML, query strings — makes decryption panic or report the wrong kind of error.

use aes::Aes256;
use aes::cipher::block_padding::NoPadding;
use aes::cipher::{BlockEncryptMut, KeyIvInit};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use proptest::prelude::*;
use wecom_crypto::{CryptoError, EncodingAesKey, WeComCrypto, parse_envelope, signature};

use wecom_crypto::sample::{CORP_ID as CORP, ENCODING_AES_KEY as KEY, TOKEN};

fn crypto() -> WeComCrypto {
    WeComCrypto::new(TOKEN, KEY, CORP).unwrap()
}

/// Encrypts `plain` (whole AES blocks) without any layout or padding, so the decrypted bytes are
/// exactly `plain`.
fn raw_encrypt(plain: &[u8]) -> String {
    let key = EncodingAesKey::parse(KEY).unwrap();
    let key = key.expose_secret();
    let mut buf = plain.to_vec();
    cbc::Encryptor::<Aes256>::new(key.into(), key[..16].into())
        .encrypt_padded_mut::<NoPadding>(&mut buf, plain.len())
        .unwrap();
    STANDARD.encode(&buf)
}

/// What decrypting `plain` (after AES) must give, written independently from the crate.
fn model(plain: &[u8], receive_id: &[u8]) -> Result<Vec<u8>, i32> {
    if plain.is_empty() || !plain.len().is_multiple_of(32) {
        return Err(-40007);
    }
    let pad = *plain.last().unwrap() as usize;
    if !(1..=32).contains(&pad)
        || plain[plain.len() - pad..]
            .iter()
            .any(|&b| b as usize != pad)
    {
        return Err(-40007);
    }
    let content = &plain[..plain.len() - pad];
    if content.len() < 20 {
        return Err(-40008);
    }
    let len = u32::from_be_bytes(content[16..20].try_into().unwrap()) as u64;
    if 20 + len > content.len() as u64 {
        return Err(-40008);
    }
    let (msg, id) = content[20..].split_at(len as usize);
    if id != receive_id {
        return Err(-40005);
    }
    Ok(msg.to_vec())
}

/// `len` pseudo-random bytes from `seed` (xorshift): far cheaper to generate and shrink than a
/// 64 KiB `vec(any::<u8>())`, and still arbitrary (shrinking acts on the length and the seed).
fn bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 56) as u8
        })
        .collect()
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn binary_messages_up_to_64k_round_trip_for_any_receiveid(
        // Half short, half up to 64 KiB: large inputs are slow in an unoptimised test build.
        msg in prop_oneof![0usize..1024, 0usize..65536].prop_flat_map(|len| (Just(len), any::<u64>())).prop_map(|(len, seed)| bytes(len, seed)),
        receive_id in ".{0,40}",
        random16 in any::<[u8; 16]>(),
    ) {
        let c = WeComCrypto::new(TOKEN, KEY, &receive_id).unwrap();
        let encrypted = c.encrypt_with_random(random16, &msg).unwrap();
        let raw_len = STANDARD.decode(&encrypted).unwrap().len();
        prop_assert_eq!(raw_len % 32, 0);
        prop_assert_eq!(raw_len, (20 + msg.len() + receive_id.len()) / 32 * 32 + 32);
        prop_assert_eq!(c.decrypt(&encrypted).unwrap(), msg);
    }

    #[test]
    fn utf8_messages_round_trip_through_both_exchanges(
        msg in "(\\PC|[\\n\\t你好世界的企业微信])*",
        timestamp in "[0-9]{1,12}",
        nonce in "[A-Za-z0-9]{1,16}",
    ) {
        let c = crypto();
        let echostr = c.encrypt(msg.as_bytes()).unwrap();
        let sig = signature(TOKEN, &timestamp, &nonce, &echostr);
        prop_assert_eq!(c.verify_url(&sig, &timestamp, &nonce, &echostr).unwrap(), msg.clone());
        let delivery = c.simulate_event(&msg).unwrap();
        prop_assert_eq!(
            c.decrypt_event(&delivery.signed.msg_signature, &delivery.signed.timestamp, &delivery.signed.nonce, delivery.body.as_bytes()).unwrap(),
            msg.clone()
        );
        let reply = c.encrypt_reply(&msg, &timestamp, &nonce).unwrap();
        let envelope = parse_envelope(reply.as_bytes()).unwrap();
        prop_assert_eq!(c.decrypt(&envelope.encrypt).unwrap(), msg.as_bytes());
    }

    #[test]
    fn arbitrary_text_as_ciphertext_never_panics_and_is_a_decrypt_error(text in "\\PC{0,300}") {
        let code = crypto().decrypt(&text).map(|_| 0).unwrap_or_else(|e| e.code());
        prop_assert!([-40010, -40007, -40008, -40005].contains(&code), "code {}", code);
    }

    #[test]
    fn arbitrary_bytes_as_base64_match_the_model(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        // Random ciphertext: AES turns it into random plaintext, judged by the model.
        let got = crypto().decrypt(&STANDARD.encode(&bytes)).map_err(|e| e.code());
        if !bytes.len().is_multiple_of(32) || bytes.is_empty() {
            prop_assert_eq!(got, Err(-40007));
        } else {
            prop_assert!(matches!(got, Err(-40007 | -40008 | -40005)), "{:?}", got);
        }
    }

    #[test]
    fn every_decrypted_layout_gets_the_models_answer(
        random16 in any::<[u8; 16]>(),
        len_field in prop_oneof![2 => Just(None), 1 => (0u32..80).prop_map(Some), 1 => any::<u32>().prop_map(Some)],
        body in prop::collection::vec(any::<u8>(), 0..80),
        receive_id in prop_oneof![3 => Just(CORP.to_owned()), 1 => "[a-z0-9]{0,20}"],
        bad_pad in prop_oneof![2 => Just(None), 1 => (0usize..40, any::<u8>()).prop_map(Some)],
    ) {
        // random16 | len_field (default: the body's length) | body | receive_id | padding: either
        // correct 32-byte PKCS#7 or an arbitrary count and value, cut to whole 32-byte blocks.
        let mut plain = random16.to_vec();
        let len_field = len_field.unwrap_or(body.len() as u32);
        plain.extend_from_slice(&len_field.to_be_bytes());
        plain.extend_from_slice(&body);
        plain.extend_from_slice(receive_id.as_bytes());
        match bad_pad {
            None => {
                let pad = 32 - plain.len() % 32;
                plain.extend(std::iter::repeat_n(pad as u8, pad));
            }
            Some((count, value)) => {
                plain.extend(std::iter::repeat_n(value, count));
                plain.resize(plain.len().div_ceil(32).max(1) * 32, value);
            }
        }
        let expected = model(&plain, CORP.as_bytes());
        if bad_pad.is_none() && len_field as usize == body.len() && receive_id == CORP {
            prop_assert_eq!(expected.as_ref().ok(), Some(&body));
        }
        let got = crypto().decrypt(&raw_encrypt(&plain)).map_err(|e| e.code());
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn arbitrary_bytes_as_an_event_body_are_40002_or_a_signature_error(body in prop::collection::vec(any::<u8>(), 0..400)) {
        if let Err(e) = parse_envelope(&body) {
            prop_assert_eq!(e.code(), -40002);
        }
        let err = crypto().decrypt_event("sig", "1", "2", &body).unwrap_err();
        prop_assert!(matches!(err.code(), -40002 | -40001), "{}", err);
    }

    #[test]
    fn xml_like_bodies_never_panic_and_give_the_right_kind(
        body in "(<\\?xml version=\"1.0\"\\?>)?<(xml|root)>(<(Encrypt|ToUserName|AgentID|a)( x=\"1\")?>((<!\\[CDATA\\[)?[A-Za-z0-9+/=<>&#;\\]]{0,40}(\\]\\]>)?|<b/>)</(Encrypt|ToUserName|AgentID|a)>|<Encrypt/>|\\s){0,5}(</(xml|root)>)?",
    ) {
        let c = crypto();
        match parse_envelope(body.as_bytes()) {
            Ok(envelope) => {
                prop_assert!(!envelope.encrypt.is_empty());
                // A parsed envelope with a correct signature fails only in base64 or decryption.
                let sig = signature(TOKEN, "1", "2", &envelope.encrypt);
                let err = c.decrypt_event(&sig, "1", "2", body.as_bytes()).unwrap_err();
                prop_assert!(matches!(err.code(), -40010 | -40007 | -40008 | -40005), "{}", err);
            }
            Err(e) => prop_assert_eq!(e.code(), -40002),
        }
    }

    #[test]
    fn arbitrary_query_strings_never_panic(query in "[a-z_=&%0-9A-F+/]{0,120}") {
        if let Err(e) = crypto().verify_url_query(&query) {
            prop_assert!(matches!(e.code(), -40003 | -40001), "{}", e);
        }
    }

    #[test]
    fn any_43_alphanumerics_are_a_key_and_anything_else_is_40004(key in "[A-Za-z0-9]{43}", other in "\\PC{0,60}") {
        prop_assert!(EncodingAesKey::parse(&key).is_ok());
        let other_ok = other.chars().count() == 43 && other.chars().all(|c| c.is_ascii_alphanumeric());
        match EncodingAesKey::parse(&other) {
            Ok(_) => prop_assert!(other_ok),
            Err(e) => {
                prop_assert!(!other_ok);
                prop_assert!(matches!(e, CryptoError::IllegalAesKey { .. }), "{}", e);
                prop_assert_eq!(e.code(), -40004);
            }
        }
    }
}
