//! Fuzzes the decrypt path: arbitrary text as the ciphertext and as the GET query, arbitrary bytes
//! as raw ciphertext (base64-encoded so they reach AES, padding and layout checks), and the
//! encrypt → decrypt round trip. Besides "never panics", every error must be one the decrypt path
//! can produce.

#![no_main]

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::crypto;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let c = crypto();
    let text = String::from_utf8_lossy(data);

    // As base64 text.
    if let Err(e) = c.decrypt(&text) {
        assert!(matches!(e.code(), -40010 | -40007 | -40008 | -40005), "{e}");
    }
    // As raw ciphertext.
    match c.decrypt(&STANDARD.encode(data)) {
        Ok(_) => assert!(data.len() % 32 == 0 && !data.is_empty()),
        Err(e) => assert!(matches!(e.code(), -40007 | -40008 | -40005), "{e}"),
    }
    // As the GET query and as an echostr with a correct signature.
    if let Err(e) = c.verify_url_query(&text) {
        assert!(matches!(e.code(), -40003 | -40001), "{e}");
    }
    let sig = c.signature("1", "2", &text);
    if let Err(e) = c.verify_url(&sig, "1", "2", &text) {
        assert!(
            matches!(e.code(), -40003 | -40010 | -40007 | -40008 | -40005),
            "{e}"
        );
    }
    // Round trip.
    let encrypted = match c.encrypt_with_random(*b"0123456789abcdef", data) {
        Ok(e) => e,
        Err(e) => panic!("encrypt failed: {e}"),
    };
    assert_eq!(c.decrypt(&encrypted).ok().as_deref(), Some(data));
});
