//! Everything that opens a socket: the WeCom simulator and verification ladder, the reference
//! receiver, the WeCom API checks and the database encoding check. Every call is bounded in time
//! and size (see `limits`), and every target is configurable so tests run against loopback.

pub mod limits;
