//! Everything the wizard knows without touching the network: the plan, validation, sizing,
//! generated files and the deployment bundle. No sockets, no Tauri.

pub mod sizing;
