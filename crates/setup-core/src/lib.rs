//! Everything the wizard knows without touching the network: the plan, validation, sizing,
//! generated files and the deployment bundle. No sockets, no Tauri.

pub mod atomic;
pub mod bundle;
pub mod callback;
pub mod capture;
pub mod catalogue;
pub mod errcodes;
pub mod error_code;
pub mod fsread;
pub mod generate;
pub mod owner_only;
pub mod plan;
pub mod report;
pub mod rotate;
pub mod secret;
pub mod sizing;
pub mod snake_case_enum;
pub mod support;
pub mod text;
pub mod tls;
pub mod validate;
