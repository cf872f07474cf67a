//! `qa-wecom serve`: run the reference receiver — a correct WeCom callback endpoint on QA's
//! callback path for the corpid, plain HTTP or TLS from a PEM pair — until Ctrl-C (or SIGTERM),
//! then shut down cleanly. `--fault MODE` makes it misbehave on purpose for demos. Logs go to
//! stderr and never contain the Token, the key or what was decrypted.

use super::callback_secrets::{CallbackSecrets, CallbackValues};
use clap::Args;
use live::receiver::{self, FaultMode, ReceiverConfig, TlsPem};
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on, e.g. 127.0.0.1:8080 (port 0: any free port).
    #[arg(long)]
    pub listen: SocketAddr,
    /// The Token, EncodingAESKey and corpid entered in the WeCom console.
    #[command(flatten)]
    pub secrets: CallbackSecrets,
    /// TLS certificate chain (PEM, leaf first); with --tls-key.
    #[arg(long = "tls-cert", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// TLS private key (PEM); with --tls-cert.
    #[arg(long = "tls-key", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Misbehave on purpose (for demos of the diagnoses); `--help` lists the modes.
    #[arg(long, value_name = "MODE", value_enum)]
    pub fault: Option<FaultMode>,
}

/// The Token and corpid checked by the plan's own rules: an empty Token or a corpid such as
/// `../../x y` would give a receiver whose callback URL cannot work.
fn check_values(values: &CallbackValues) -> Result<(), String> {
    use setup_core::validate::{Severity, corp_id, issues_of, token};
    let lang = setup_core::text::Lang::from_env();
    let mut issues = issues_of("--token", token(&values.token)).1;
    issues.extend(issues_of("--corp-id", corp_id(&values.corp_id)).1);
    let errors: Vec<String> = issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .map(|i| format!("{}: {} {}", i.field, i.message.get(lang), i.fix.get(lang)))
        .collect();
    match errors.is_empty() {
        true => Ok(()),
        false => Err(errors.join("\n")),
    }
}

pub fn run(args: ServeArgs) -> ExitCode {
    let values = match args.secrets.resolve() {
        Ok(v) => v,
        Err(message) => return fail(&message),
    };
    if let Err(message) = check_values(&values) {
        return fail(&message);
    }
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .try_init();
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => match (read_pem(cert), read_pem(key)) {
            (Ok(cert_chain_pem), Ok(key_pem)) => Some(TlsPem {
                cert_chain_pem,
                key_pem: key_pem.into(),
            }),
            (Err(e), _) => return fail(&format!("cannot read --tls-cert {}: {e}", cert.display())),
            (_, Err(e)) => return fail(&format!("cannot read --tls-key {}: {e}", key.display())),
        },
        _ => None,
    };
    let config = ReceiverConfig {
        credentials: values.credentials(),
        tls,
        fault: args.fault,
        path: None,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(&format!("cannot start: {e}")),
    };
    runtime.block_on(serve(config, args.listen))
}

async fn serve(config: ReceiverConfig, listen: SocketAddr) -> ExitCode {
    let fault = config.fault;
    let handle = match receiver::bind(config, listen).await {
        Ok(handle) => handle,
        Err(e) => return fail(&e.to_string()),
    };
    let addr = handle.local_addr();
    let host = addr.ip().is_unspecified().then_some("127.0.0.1");
    println!("Listening on {addr}");
    println!("Callback URL: {}", handle.callback_url(host));
    if let Some(fault) = fault {
        println!("Fault mode: {fault} (misbehaving on purpose)");
    }
    println!("Press Ctrl-C to stop.");
    wait_for_stop().await;
    eprintln!("Stopping…");
    let stats = handle.stats();
    handle.shutdown().await;
    println!(
        "Stopped: {} verification(s) answered, {} event(s) accepted, {} retr(ies) ignored, {} request(s) rejected.",
        stats.verifications_answered,
        stats.events_accepted,
        stats.events_duplicate,
        stats.requests_rejected
    );
    ExitCode::SUCCESS
}

/// Ctrl-C, or SIGTERM on Unix (`watch` stops on it too).
pub async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

fn read_pem(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    setup_core::fsread::read_capped(path, setup_core::fsread::MAX_PEM_BYTES)
}
