//! Fuzzes the event path: arbitrary bytes as the POST body (XML envelope parsing by element
//! name, CDATA, entities) and through `decrypt_event` with a signature that matches whatever
//! `<Encrypt>` the parser found, so the fuzzer also reaches decryption. Errors must be of the
//! right kind.

#![no_main]

mod common;

use common::crypto;
use libfuzzer_sys::fuzz_target;
use wecom_crypto::parse_envelope;

fuzz_target!(|body: &[u8]| {
    let c = crypto();
    match parse_envelope(body) {
        Err(e) => {
            assert_eq!(e.code(), -40002, "{e}");
            let err = c
                .decrypt_event("sig", "1", "2", body)
                .err()
                .map(|e| e.code());
            assert_eq!(err, Some(-40002));
        }
        Ok(envelope) => {
            assert!(!envelope.encrypt.is_empty());
            let sig = c.signature("1", "2", &envelope.encrypt);
            match c.decrypt_event(&sig, "1", "2", body) {
                Ok(msg) => assert_eq!(c.decrypt(&envelope.encrypt).ok(), Some(msg.into_bytes())),
                Err(e) => assert!(matches!(e.code(), -40010 | -40007 | -40008 | -40005), "{e}"),
            }
            // A wrong signature is always caught first.
            let err = c.decrypt_event("0", "1", "2", body).err().map(|e| e.code());
            assert_eq!(err, Some(-40001));
        }
    }
});
