//! One module per subcommand; `Command` lists them and `run` dispatches.

pub mod bandwidth;
pub mod callback_secrets;
pub mod cert;
pub mod check_report;
pub mod db;
pub mod decrypt;
pub mod errcode;
pub mod export;
pub mod plan;
pub mod rotate;
pub mod secrets;
pub mod send_event;
pub mod serve;
pub mod support_pack;
pub mod url;
pub mod verify;
pub mod watch;
pub mod wecom;
pub mod write_args;

use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum Command {
    /// The plan: `plan new [--demo] -o PLAN`, `plan check PLAN [--json]`.
    #[command(subcommand)]
    Plan(plan::PlanCommand),
    /// The callback URL for a domain and corpid.
    Url(url::UrlArgs),
    /// A fresh Token and EncodingAESKey from the OS random number generator.
    Secrets(secrets::SecretsArgs),
    /// The recommended EIP bandwidth for a number of WeCom users.
    Bandwidth(bandwidth::BandwidthArgs),
    /// Write the deployment bundle of a plan to a folder (or a zip with --zip).
    Export(export::ExportArgs),
    /// What a WeCom API or callback-library error code means, and the fix.
    Errcode(errcode::ErrcodeArgs),
    /// Decrypt a captured callback (query + optional body): print the plaintext or the official code.
    Decrypt(decrypt::DecryptArgs),
    /// WeCom API checks: `wecom check` (corpid + Secret, customer-contact permission, visible range, trusted IP).
    #[command(subcommand)]
    Wecom(wecom::WecomCommand),
    /// Analysis-database checks: `db check URL` (UTF8 passes, SQL_ASCII fails).
    #[command(subcommand)]
    Db(db::DbCommand),
    /// Act as WeCom on Save: send the signed, encrypted echostr GET and judge the reply (DNS → TCP → TLS → HTTP → reply).
    Verify(verify::VerifyArgs),
    /// POST an encrypted sample event (change_external_contact) and expect HTTP 200 within 5 s.
    SendEvent(send_event::SendEventArgs),
    /// Run the reference callback receiver until Ctrl-C (`--fault MODE` to misbehave for demos).
    Serve(serve::ServeArgs),
    /// TLS material: `cert inspect` (chain + key for the domain), `cert csr`, `cert self-signed` (demo only).
    #[command(subcommand)]
    Cert(cert::CertCommand),
    /// Keep checking the callback (and the WeCom API and database) on a schedule; metrics for node_exporter.
    Watch(watch::WatchArgs),
    /// A new Token and EncodingAESKey in the plan's secrets file (`--rollback`: the previous pair back).
    Rotate(rotate::RotateArgs),
    /// One zip for QA support: plan without secrets, reports, version, OS, checksums.
    SupportPack(support_pack::SupportPackArgs),
}

pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Plan(command) => plan::run(command),
        Command::Url(args) => url::run(args),
        Command::Secrets(args) => secrets::run(args),
        Command::Bandwidth(args) => bandwidth::run(args),
        Command::Export(args) => export::run(args),
        Command::Errcode(args) => errcode::run(args),
        Command::Decrypt(args) => decrypt::run(args),
        Command::Wecom(command) => wecom::run(command),
        Command::Db(command) => db::run(command),
        Command::Verify(args) => verify::run(args),
        Command::SendEvent(args) => send_event::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Cert(command) => cert::run(command),
        Command::Watch(args) => watch::run(args),
        Command::Rotate(args) => rotate::run(args),
        Command::SupportPack(args) => support_pack::run(args),
    }
}
