//! Everything that opens a socket: the WeCom simulator and verification ladder, the reference
//! receiver, the WeCom API checks and the database encoding check. Every call is bounded in time
//! and size (see `limits`), and every target is configurable so tests run against loopback.

// No panic on peer input: unwrap / expect are refused outside tests.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod credentials;
pub mod db_check;
pub mod diagnosis;
pub mod error;
pub mod ladder;
pub mod limits;
pub mod receiver;
pub mod transport;
pub mod watch;
pub mod wecom_api;

pub use credentials::Credentials;
pub use diagnosis::{DiagnosisCode, Lang};
pub use error::LiveError;
pub use ladder::progress::Progress;
pub use ladder::report::{LadderFacts, Report, StepName};
pub use ladder::{LadderOptions, VERIFY_PROBES, send_event, verify};
pub use receiver::{FaultMode, ReceiverConfig, ReceiverHandle, TlsPem};
pub use setup_core::report::{CheckKind, Finding, Severity, Status, Step};
