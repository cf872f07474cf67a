//! The plan: its model, its TOML form (commented, versioned), its files on disk, and demo mode's
//! self-signed TLS files.

mod create;
mod demo;
mod file;
mod model;
mod render;

pub use create::{CreateError, CreatedPlan, create_plan};
pub use demo::{DEMO_TLS_DIR, DemoTlsError, stage_demo_tls};
pub use file::{
    FileError, FileKind, Position, is_readable_by_others, load_plan, load_plan_with_secrets,
    load_secrets, parse_plan, parse_secrets, save_plan, save_secrets, secrets_path_for,
};
pub use model::{
    CONSOLE_STEPS, Database, DatabaseKind, Network, PLAN_VERSION, Plan, ProxyKind, QuickAudience,
    Resources, SECRETS_VERSION, SecretTls, Secrets, Tls, TlsMode, WeCom,
};
pub use render::{render_plan, render_secrets};

#[cfg(test)]
mod tests;
