//! Errors of the ladder and the receiver that are not diagnoses: input the caller must fix before
//! anything is sent (a malformed URL, an illegal EncodingAESKey, an unreadable certificate), and
//! failures to start the receiver. A far end that misbehaves is never an error: it is a
//! diagnosis in the report.
//!
//! No message carries a secret: crypto errors are rendered by `wecom-crypto`, which never prints
//! the Token or the key, and PEM errors name the file's role, never its content.

use setup_core::error_code::ErrorCode;
use thiserror::Error;

/// What went wrong before or around a live check.
#[derive(Debug, Error, error_code_derive::ErrorCode)]
pub enum LiveError {
    /// The callback URL cannot be used.
    #[error("invalid callback URL {url:?}: {reason}")]
    #[code(InvalidUrl)]
    InvalidUrl { url: String, reason: String },
    /// Token / EncodingAESKey / corpid rejected by the crypto (official code inside).
    #[error("invalid callback credentials ({code}): {message}")]
    #[code(InvalidCredentials)]
    InvalidCredentials { code: i32, message: String },
    /// A PEM input (extra CA, receiver certificate or key) could not be used.
    #[error("{what}: {reason}")]
    #[code(InvalidPem)]
    Pem { what: &'static str, reason: String },
    /// The demo receiver's self-signed certificate could not be made.
    #[error("cannot make the demo certificate: {reason}")]
    #[code(DemoCertificateFailed)]
    DemoCertificate { reason: String },
    /// The receiver could not bind or configure its listener.
    #[error("cannot listen on {addr}: {source}")]
    #[code(ListenFailed)]
    Listen {
        addr: String,
        source: std::io::Error,
    },
}

impl From<wecom_crypto::CryptoError> for LiveError {
    fn from(e: wecom_crypto::CryptoError) -> Self {
        LiveError::InvalidCredentials {
            code: e.code(),
            message: e.to_string(),
        }
    }
}
