//! The WeCom callback protocol (WXBizMsgCrypt): keys, signatures, encryption and the two exchanges.
//! No I/O, no async.
//!
//! Byte-compatible with WeCom and its official libraries:
//!
//! - [`EncodingAesKey`]: 43 characters of `[A-Za-z0-9]`, base64 of the 32-byte AES key; the two
//!   unused trailing bits are ignored, as every official library does; generated keys are
//!   canonical (those bits zero, [`EncodingAesKey::is_canonical`]) so strict decoders accept them.
//! - [`signature`]: lowercase hex sha1 over token, timestamp, nonce and ciphertext sorted bytewise;
//!   verified in constant time.
//! - AES-256-CBC with IV = key\[0..16\] over `random16 | u32 BE len | msg | receiveid`, PKCS#7
//!   padded to a multiple of **32** bytes (stripped by hand, range-checked).
//! - [`WeComCrypto`]: the URL-verification GET, the event POST, the passive reply, and the
//!   simulator's side (what WeCom sends).
//! - [`CryptoError`]: one variant per official code −40001 … −40011 ([`CryptoError::code`]).
//!
//! Every length and index from the peer is checked: no input can panic. Secrets (Token, key) never
//! appear in `Debug` output or error messages.
//!
//! ```
//! use wecom_crypto::WeComCrypto;
//! let crypto = WeComCrypto::new("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7")?;
//! let plain = crypto.verify_url_query(
//!     "msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780\
//!      &echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D",
//! )?;
//! assert_eq!(plain, "1616140317555161061");
//! # Ok::<(), wecom_crypto::CryptoError>(())
//! ```

// No panic on peer input: unwrap / expect are refused outside tests.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod envelope;
mod error;
mod exchange;
mod key;
mod payload;
mod query;
mod random;
pub mod sample;
mod signature;

pub use envelope::{EventEnvelope, parse_envelope, xml_fields};
pub use error::{CryptoError, code_name};
pub use exchange::{EventDelivery, MAX_ECHOSTR_DRAWS, Signed, UrlVerification, WeComCrypto};
pub use key::{
    ENCODING_AES_KEY_LEN, EncodingAesKey, TOKEN_LEN, generate_encoding_aes_key, generate_token,
};
pub use payload::PAD_BLOCK;
pub use query::CallbackQuery;
pub use signature::signature;
