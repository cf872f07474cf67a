//! What both fuzz targets share: the crypto of WeCom's published sample.

use std::sync::OnceLock;
use wecom_crypto::WeComCrypto;

/// The crypto for the official sample's Token, EncodingAESKey and corpid, made once per process.
pub fn crypto() -> &'static WeComCrypto {
    static CRYPTO: OnceLock<WeComCrypto> = OnceLock::new();
    CRYPTO.get_or_init(|| {
        match WeComCrypto::new(
            "QDG6eK",
            "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
            "wx5823bf96d3bd56c7",
        ) {
            Ok(c) => c,
            Err(e) => panic!("the official key must parse: {e}"),
        }
    })
}
