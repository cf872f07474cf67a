//! `qa-wecom cert inspect|csr|self-signed`: the TLS material of step 2 (setup-core `tls`).
//!
//! - `inspect --cert PEM --key PEM --domain D [--ca-cert PEM]… [--json]`: the inspection as the
//!   one report (steps read → name → validity → key → chain, the diagnosis, the warnings, every
//!   finding with its stable code); exit 0 when no finding is an error, 1 otherwise.
//! - `csr --domain D [--ecdsa] -o DIR [--force] [--json]`: RSA-2048 (default) or ECDSA P-256 key
//!   (0600) and CSR.
//! - `self-signed --domain D [--rsa] -o DIR [--force] [--json]`: a demo-only pair for the domain,
//!   `localhost` and `127.0.0.1`.
//!
//! Exit 2 for unusable input (bad domain, existing files without `--force`, unwritable folder).
//! Private keys are written to files, never printed.

use super::check_report::{input_error, print_report};
use super::write_args::WriteArgs;
use clap::{Args, Subcommand};
use serde_json::json;
use setup_core::error_code::ErrorCode;
use setup_core::text::{Lang, Text};
use setup_core::tls::{self, Inspection, KeyAlgorithm, WrittenFiles};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::SystemTime;

#[derive(Subcommand, Debug)]
pub enum CertCommand {
    /// Inspect a certificate chain and its private key for the callback domain.
    Inspect(InspectArgs),
    /// Generate a private key (RSA-2048, or ECDSA P-256 with --ecdsa) and a CSR for your CA.
    Csr(CsrArgs),
    /// Generate a self-signed key + certificate for demos (WeCom will NOT trust it).
    SelfSigned(SelfSignedArgs),
}

#[derive(Args, Debug)]
pub struct InspectArgs {
    /// The certificate chain, PEM, server certificate first.
    #[arg(long, value_name = "PEM")]
    pub cert: PathBuf,
    /// The private key, PEM (unencrypted).
    #[arg(long, value_name = "PEM")]
    pub key: PathBuf,
    /// The callback domain the certificate must cover.
    #[arg(long, value_name = "D")]
    pub domain: String,
    /// An extra trusted root, e.g. a company CA (repeatable).
    #[arg(long = "ca-cert", value_name = "PEM")]
    pub ca_cert: Vec<PathBuf>,
    /// Print one JSON object (the inspection) instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct CsrArgs {
    /// The callback domain (CN and SAN of the request).
    #[arg(long, value_name = "D")]
    pub domain: String,
    /// ECDSA P-256 instead of RSA-2048.
    #[arg(long)]
    pub ecdsa: bool,
    /// The folder to write privkey.pem (0600) and request.csr into.
    #[arg(short = 'o', long = "out", value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub write: WriteArgs,
}

#[derive(Args, Debug)]
pub struct SelfSignedArgs {
    /// The callback domain; `localhost` and `127.0.0.1` are always added.
    #[arg(long, value_name = "D")]
    pub domain: String,
    /// RSA-2048 instead of ECDSA P-256.
    #[arg(long)]
    pub rsa: bool,
    /// The folder to write demo-only.key (0600), demo-only.crt and DEMO-ONLY.txt into.
    #[arg(short = 'o', long = "out", value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub write: WriteArgs,
}

pub fn run(command: CertCommand) -> ExitCode {
    let lang = Lang::from_env();
    match command {
        CertCommand::Inspect(args) => inspect(args, lang),
        CertCommand::Csr(args) => csr(args, lang),
        CertCommand::SelfSigned(args) => self_signed(args, lang),
    }
}

fn inspect(args: InspectArgs, lang: Lang) -> ExitCode {
    let inspection = tls::inspect_files(
        &args.cert,
        Some(&args.key),
        &args.ca_cert,
        &args.domain,
        SystemTime::now(),
    );
    let report = inspection.report(lang);
    let exit = print_report(args.json, &report, &inspection.domain);
    if !args.json {
        print!("{}", chain_lines(&inspection, lang));
    }
    exit
}

/// The certificates of the chain, after the report: position, subject, key, validity, SHA-256.
fn chain_lines(i: &Inspection, lang: Lang) -> String {
    let server = Text::new(" [server]", " [服务器证书]");
    i.chain
        .iter()
        .map(|c| {
            let leaf = if Some(c.position) == i.leaf_position {
                server.get(lang)
            } else {
                ""
            };
            format!(
                "  #{} {}{leaf}\n     {} | {} .. {} | SHA-256 {}\n",
                c.position, c.subject, c.key.description, c.not_before, c.not_after, c.sha256
            )
        })
        .collect()
}

fn files_json(files: &WrittenFiles) -> serde_json::Value {
    serde_json::to_value(files).unwrap_or(serde_json::Value::Null)
}

/// ECDSA P-256 when `ecdsa`, else RSA-2048 (`csr --ecdsa`, `self-signed --rsa`).
fn key_algorithm(ecdsa: bool) -> KeyAlgorithm {
    if ecdsa {
        KeyAlgorithm::EcdsaP256
    } else {
        KeyAlgorithm::Rsa2048
    }
}

fn csr(args: CsrArgs, lang: Lang) -> ExitCode {
    let algorithm = key_algorithm(args.ecdsa);
    generate(
        args.write.json,
        lang,
        || tls::generate_csr(&args.domain, algorithm),
        |m| tls::write_csr(&args.out, m, args.write.force),
        |m, files| {
            json!({
                "ok": true,
                "domain": m.domain,
                "algorithm": algorithm.as_str(),
                "files": files_json(files),
            })
        },
        |m, files| {
            let csr_path = files.csr.as_deref().unwrap_or(&args.out).display();
            let key_path = files.private_key.display();
            let kind = algorithm.description();
            Text::new(
                format!(
                    "Generated a {kind} key and CSR for {}.\n  Private key: {key_path} (owner-only 0600; keep it secret, never send it)\n  CSR: {csr_path} - send it to your CA, then check the chain it returns with `qa-wecom cert inspect`.",
                    m.domain
                ),
                format!(
                    "已为 {} 生成 {kind} 私钥和 CSR。\n  私钥：{key_path}（仅所有者可读 0600，请妥善保管，切勿外发）\n  CSR：{csr_path} —— 提交给 CA，收到证书链后用 `qa-wecom cert inspect` 检查。",
                    m.domain
                ),
            )
        },
    )
}

fn self_signed(args: SelfSignedArgs, lang: Lang) -> ExitCode {
    let algorithm = key_algorithm(!args.rsa);
    generate(
        args.write.json,
        lang,
        || tls::generate_self_signed(&args.domain, algorithm, SystemTime::now()),
        |m| tls::write_self_signed(&args.out, m, args.write.force),
        |m, files| {
            json!({
                "ok": true,
                "demo_only": true,
                "domain": m.domain,
                "algorithm": algorithm.as_str(),
                "names": m.names,
                "sha256": m.sha256,
                "not_before": m.not_before,
                "not_after": m.not_after,
                "files": files_json(files),
            })
        },
        |m, files| {
            let cert_path = files.certificate.as_deref().unwrap_or(&args.out).display();
            let key_path = files.private_key.display();
            let names = m.names.join(", ");
            let (from, to, sha256) = (&m.not_before, &m.not_after, &m.sha256);
            Text::new(
                format!(
                    "DEMO ONLY: WeCom will not trust this self-signed certificate; do not use it for the real callback.\n  Certificate: {cert_path}\n  Private key: {key_path} (owner-only 0600)\n  Names: {names}\n  Valid: {from} .. {to}\n  SHA-256: {sha256}"
                ),
                format!(
                    "仅供演示：企业微信不会信任此自签名证书，请勿用于正式回调。\n  证书：{cert_path}\n  私钥：{key_path}（仅所有者可读 0600）\n  名称：{names}\n  有效期：{from} .. {to}\n  SHA-256：{sha256}"
                ),
            )
        },
    )
}

/// Generates the material with `make` and writes it with `write`, then prints what was written:
/// `as_json` with `--json`, else `as_text` in `lang`. Either failure is unusable input (exit 2)
/// with the error's code.
fn generate<M>(
    json: bool,
    lang: Lang,
    make: impl FnOnce() -> Result<M, tls::GenerateError>,
    write: impl FnOnce(&M) -> Result<WrittenFiles, tls::TlsFileError>,
    as_json: impl FnOnce(&M, &WrittenFiles) -> serde_json::Value,
    as_text: impl FnOnce(&M, &WrittenFiles) -> Text,
) -> ExitCode {
    let fail = |code: ErrorCode, message: String| input_error(json, code.as_str(), &message);
    let material = match make() {
        Ok(m) => m,
        Err(e) => return fail(e.code(), e.to_string()),
    };
    let files = match write(&material) {
        Ok(f) => f,
        Err(e) => return fail(e.code(), e.to_string()),
    };
    if json {
        println!("{}", as_json(&material, &files));
    } else {
        println!("{}", as_text(&material, &files).get(lang));
    }
    ExitCode::SUCCESS
}
