//! "Bring your own" certificate: inspect a PEM chain and private key against the plan's domain at a
//! given time, and report every finding (see [`FindingCode`]) plus a summary of each certificate.
//!
//! The time is a parameter (`now`), so tests are deterministic; callers pass `SystemTime::now()`.

use super::chain::{self, ChainEnd, WebpkiRejection};
use super::findings::{Finding, FindingCode, Severity};
use super::fingerprint::sha256_fingerprint;
use super::keys::{self, KeyInfo, PublicMaterial};
use super::names::{self, Host};
use super::pem::{PemError, parse_certificates, parse_private_key};
use super::trust::TrustStore;
use serde::Serialize;
use std::net::IpAddr;
use std::time::SystemTime;
use strum::IntoEnumIterator;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use ts_rs::TS;
use x509_parser::extensions::GeneralName;
use x509_parser::prelude::{FromDer, X509Certificate};

/// A certificate expiring within this many days gets an `expiring_soon` warning.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

/// What to inspect.
#[derive(Debug, Clone, Copy)]
pub struct InspectInput<'a> {
    /// The certificate chain, PEM, leaf first.
    pub chain_pem: &'a [u8],
    /// The private key, PEM; `None` skips the key check.
    pub key_pem: Option<&'a [u8]>,
    /// The domain the leaf must cover (plan's callback domain, or an IP); empty skips the check.
    pub domain: &'a str,
}

/// One certificate of the chain file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CertSummary {
    /// 1-based position in the file.
    pub position: u32,
    pub subject: String,
    pub issuer: String,
    /// Hex, colon-separated.
    pub serial: String,
    /// RFC 3339, UTC.
    pub not_before: String,
    /// RFC 3339, UTC.
    pub not_after: String,
    /// Whole days from the inspection time to `not_after` (negative when expired).
    pub days_left: i32,
    pub dns_names: Vec<String>,
    pub ip_addresses: Vec<String>,
    pub is_ca: bool,
    pub self_signed: bool,
    pub key: KeyInfo,
    pub signature_algorithm: String,
    /// SHA-256 of the DER, uppercase hex pairs joined by `:` (as `openssl x509 -fingerprint`).
    pub sha256: String,
}

/// The result of an inspection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Inspection {
    pub domain: String,
    /// RFC 3339, UTC: the `now` the validity was judged at.
    pub checked_at: String,
    /// `true` when no finding is an error.
    pub ok: bool,
    /// Position (1-based) of the server certificate in `chain`, when there is a chain.
    pub leaf_position: Option<u32>,
    pub chain: Vec<CertSummary>,
    /// The private key's type and size, when it could be read.
    pub key: Option<KeyInfo>,
    /// Errors first, then warnings, then passed checks; within each, in catalogue order.
    pub findings: Vec<Finding>,
}

impl Inspection {
    /// An inspection that stopped at unreadable input.
    pub fn failed(domain: &str, now: SystemTime, findings: Vec<Finding>) -> Self {
        let mut i = Inspection {
            domain: domain.trim().to_owned(),
            checked_at: rfc3339(OffsetDateTime::from(now)),
            ok: true,
            leaf_position: None,
            chain: Vec::new(),
            key: None,
            findings,
        };
        i.settle();
        i
    }

    /// Adds findings (e.g. from reading an extra CA file) and re-sorts.
    pub fn extend(&mut self, findings: impl IntoIterator<Item = Finding>) {
        self.findings.extend(findings);
        self.settle();
    }

    /// The findings with this code.
    pub fn with_code(&self, code: FindingCode) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.code == code)
    }

    /// `true` when some finding has this code.
    pub fn has(&self, code: FindingCode) -> bool {
        self.with_code(code).next().is_some()
    }

    /// The codes of the error findings, in order.
    pub fn error_codes(&self) -> Vec<FindingCode> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| f.code)
            .collect()
    }

    fn settle(&mut self) {
        let rank = |c: FindingCode| FindingCode::iter().position(|x| x == c);
        self.findings
            .sort_by_key(|f| (std::cmp::Reverse(f.severity), rank(f.code)));
        self.ok = !self.findings.iter().any(|f| f.severity == Severity::Error);
    }
}

/// A `parse_error` finding for `file` (`cert`, `key` or `ca`).
pub(crate) fn parse_error(file: &str, e: &PemError) -> Finding {
    let mut params = e.params();
    params.push(("file", file.to_owned()));
    Finding::new(FindingCode::ParseError, params)
}

/// Inspects a chain (and key) for `domain` at time `now`, against `trust`.
pub fn inspect(input: &InspectInput<'_>, trust: &TrustStore, now: SystemTime) -> Inspection {
    let now_dt = OffsetDateTime::from(now);
    let now_ts = now_dt.unix_timestamp();
    let mut findings = Vec::new();

    let key = input
        .key_pem
        .map(|pem| parse_private_key(pem).and_then(|k| keys::of_private_key(&k)));
    if let Some(Err(e)) = &key {
        findings.push(parse_error("key", e));
    }
    let key = key.and_then(Result::ok);

    let ders = match parse_certificates(input.chain_pem) {
        Ok(d) => d,
        Err(e) => {
            findings.push(parse_error("cert", &e));
            let mut i = Inspection::failed(input.domain, now, findings);
            i.key = key.map(|(_, info)| info);
            return i;
        }
    };
    // parse_certificates checked every certificate, so this keeps them all.
    let certs: Vec<X509Certificate<'_>> = ders
        .iter()
        .filter_map(|d| X509Certificate::from_der(d).ok().map(|(_, c)| c))
        .collect();
    let materials: Vec<(PublicMaterial, KeyInfo)> = certs
        .iter()
        .map(|c| keys::of_spki(c.public_key()))
        .collect();

    // The leaf: the certificate the key belongs to, else a certificate that issued no other.
    let key_owner = key
        .as_ref()
        .and_then(|(m, _)| materials.iter().position(|(cm, _)| cm == m));
    let leaf = key_owner.unwrap_or_else(|| chain::guess_leaf(&certs));
    let Some(leaf_cert) = certs.get(leaf) else {
        return Inspection::failed(input.domain, now, findings);
    };
    let leaf_subject = leaf_cert.subject().to_string();

    if key.is_some() {
        findings.push(match key_owner {
            Some(_) => Finding::new(FindingCode::KeyMatch, no_params()),
            None => Finding::new(
                FindingCode::KeyMismatch,
                [("subject", leaf_subject.clone())],
            ),
        });
    }

    // Name.
    let (dns_names, ips, has_san) = sans(leaf_cert);
    if !input.domain.trim().is_empty() {
        let host = Host::parse(input.domain);
        let domain = host.to_string();
        if names::covers(&dns_names, &ips, &host) {
            findings.push(Finding::new(
                FindingCode::NameOk,
                [("domain", domain), ("names", list_names(&dns_names, &ips))],
            ));
        } else if !has_san {
            let cns: Vec<String> = leaf_cert
                .subject()
                .iter_common_name()
                .filter_map(|cn| cn.as_str().ok().map(str::to_owned))
                .collect();
            let cns = if cns.is_empty() {
                "-".to_owned()
            } else {
                cns.join(", ")
            };
            findings.push(Finding::new(
                FindingCode::NameMismatch,
                [
                    ("domain", domain),
                    ("names", cns),
                    ("reason", "no_san".to_owned()),
                ],
            ));
        } else {
            findings.push(Finding::new(
                FindingCode::NameMismatch,
                [
                    ("domain", domain),
                    ("names", list_names(&dns_names, &ips)),
                    ("reason", "not_listed".to_owned()),
                ],
            ));
        }
    }

    // Chain.
    let analysis = chain::analyse(&certs, leaf, trust);
    let mut chain_errors = false;
    if !analysis.in_order() {
        chain_errors = true;
        findings.push(Finding::new(
            FindingCode::ChainOrder,
            [("order", positions(&analysis.path, ", "))],
        ));
    }
    if !analysis.extras.is_empty() {
        findings.push(Finding::new(
            FindingCode::ChainExtra,
            [("positions", positions(&analysis.extras, ", "))],
        ));
    }
    match &analysis.end {
        ChainEnd::Incomplete { index } => {
            chain_errors = true;
            let c = &certs[*index];
            findings.push(Finding::new(
                FindingCode::ChainIncomplete,
                [
                    ("position", (index + 1).to_string()),
                    ("subject", c.subject().to_string()),
                    ("issuer", c.issuer().to_string()),
                ],
            ));
        }
        ChainEnd::UntrustedRoot { index } => {
            chain_errors = true;
            findings.push(Finding::new(
                FindingCode::UntrustedRoot,
                [
                    ("position", (index + 1).to_string()),
                    ("subject", certs[*index].subject().to_string()),
                    ("self_signed", (*index == leaf).to_string()),
                ],
            ));
        }
        ChainEnd::Trusted { .. } => {}
    }

    // Validity, signatures and key sizes of every certificate on the path.
    let mut validity_problem = false;
    let mut weak_signature = false;
    for &i in &analysis.path {
        let c = &certs[i];
        let position = (i + 1).to_string();
        let subject = c.subject().to_string();
        let not_before = c.validity().not_before.timestamp();
        let not_after = c.validity().not_after.timestamp();
        if now_ts < not_before {
            validity_problem = true;
            findings.push(Finding::new(
                FindingCode::NotYetValid,
                [
                    ("position", position.clone()),
                    ("subject", subject.clone()),
                    ("not_before", rfc3339(c.validity().not_before.to_datetime())),
                ],
            ));
        } else if now_ts > not_after {
            validity_problem = true;
            findings.push(Finding::new(
                FindingCode::Expired,
                [
                    ("position", position.clone()),
                    ("subject", subject.clone()),
                    ("not_after", rfc3339(c.validity().not_after.to_datetime())),
                ],
            ));
        } else if not_after - now_ts < EXPIRY_WARNING_DAYS * 86_400 {
            validity_problem = true;
            findings.push(Finding::new(
                FindingCode::ExpiringSoon,
                [
                    ("position", position.clone()),
                    ("subject", subject.clone()),
                    ("not_after", rfc3339(c.validity().not_after.to_datetime())),
                    ("days", ((not_after - now_ts) / 86_400).to_string()),
                ],
            ));
        }
        let sig = signature_name(c);
        let self_signed = chain::is_self_signed(c);
        if is_weak_signature(c) && !self_signed {
            weak_signature = true;
            findings.push(Finding::new(
                FindingCode::WeakSignature,
                [
                    ("position", position.clone()),
                    ("subject", subject.clone()),
                    ("algorithm", sig),
                ],
            ));
        }
        let (_, info) = &materials[i];
        if let Some(minimum) = info.weakness() {
            findings.push(Finding::new(
                FindingCode::WeakKey,
                [
                    ("position", position),
                    ("subject", subject),
                    ("key", info.description.clone()),
                    ("minimum", minimum.to_owned()),
                ],
            ));
        }
    }
    if !validity_problem {
        let not_after = leaf_cert.validity().not_after;
        findings.push(Finding::new(
            FindingCode::ValidityOk,
            [
                ("not_after", rfc3339(not_after.to_datetime())),
                (
                    "days",
                    ((not_after.timestamp() - now_ts) / 86_400).to_string(),
                ),
            ],
        ));
    }

    let leaf_key = &materials[leaf].1;
    findings.push(Finding::new(
        FindingCode::KeyType,
        [("key", leaf_key.description.clone())],
    ));
    if leaf_key.is_uncommon() {
        findings.push(Finding::new(
            FindingCode::KeyUnsupported,
            [("key", leaf_key.description.clone())],
        ));
    }

    if let ChainEnd::Trusted { anchor } = &analysis.end {
        match chain::webpki_check(&ders, &certs, &analysis.path, trust, now_ts) {
            Ok(()) if !chain_errors => findings.push(Finding::new(
                FindingCode::ChainOk,
                [("anchor", anchor.clone())],
            )),
            Ok(()) => {}
            Err(WebpkiRejection::UnsupportedSignature) if weak_signature => {}
            Err(rejection) => findings.push(chain_invalid(rejection)),
        }
    }

    let chain = certs
        .iter()
        .zip(&ders)
        .zip(materials)
        .enumerate()
        .map(|(i, ((c, der), (_, info)))| summary(i, c, der, info, now_ts))
        .collect();
    let mut inspection = Inspection {
        domain: input.domain.trim().to_owned(),
        checked_at: rfc3339(now_dt),
        ok: true,
        leaf_position: u32::try_from(leaf + 1).ok(),
        chain,
        key: key.map(|(_, info)| info),
        findings,
    };
    inspection.settle();
    inspection
}

fn chain_invalid(rejection: WebpkiRejection) -> Finding {
    let (reason, detail) = match rejection {
        WebpkiRejection::NotServerAuth => ("not_server_auth", String::new()),
        WebpkiRejection::CaAsLeaf => ("ca_as_leaf", String::new()),
        WebpkiRejection::UnsupportedSignature => {
            ("other", "unsupported signature algorithm".to_owned())
        }
        WebpkiRejection::Other(d) => ("other", d),
    };
    Finding::new(
        FindingCode::ChainInvalid,
        [("reason", reason.to_owned()), ("detail", detail)],
    )
}

fn no_params() -> [(&'static str, String); 0] {
    []
}

/// DNS and IP SANs, and whether the extension is there at all.
fn sans(cert: &X509Certificate<'_>) -> (Vec<String>, Vec<IpAddr>, bool) {
    let mut dns = Vec::new();
    let mut ips = Vec::new();
    let Ok(Some(ext)) = cert.subject_alternative_name() else {
        return (dns, ips, false);
    };
    for name in &ext.value.general_names {
        match name {
            GeneralName::DNSName(d) => dns.push((*d).to_owned()),
            GeneralName::IPAddress(b) => {
                if let Ok(v4) = <[u8; 4]>::try_from(*b) {
                    ips.push(IpAddr::from(v4));
                } else if let Ok(v6) = <[u8; 16]>::try_from(*b) {
                    ips.push(IpAddr::from(v6));
                }
            }
            _ => {}
        }
    }
    (dns, ips, true)
}

fn list_names(dns: &[String], ips: &[IpAddr]) -> String {
    let all: Vec<String> = dns
        .iter()
        .cloned()
        .chain(ips.iter().map(IpAddr::to_string))
        .collect();
    if all.is_empty() {
        "-".to_owned()
    } else {
        all.join(", ")
    }
}

fn positions(indexes: &[usize], sep: &str) -> String {
    indexes
        .iter()
        .map(|i| (i + 1).to_string())
        .collect::<Vec<_>>()
        .join(sep)
}

pub(crate) fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}

fn signature_name(c: &X509Certificate<'_>) -> String {
    let oid = &c.signature_algorithm.algorithm;
    x509_parser::objects::oid2sn(oid, x509_parser::objects::oid_registry())
        .map(str::to_owned)
        .unwrap_or_else(|_| oid.to_id_string())
}

fn is_weak_signature(c: &X509Certificate<'_>) -> bool {
    matches!(
        c.signature_algorithm.algorithm.to_id_string().as_str(),
        "1.2.840.113549.1.1.4" // md5WithRSAEncryption
            | "1.2.840.113549.1.1.5" // sha1WithRSAEncryption
            | "1.3.14.3.2.29" // sha1WithRSA (OIW)
            | "1.2.840.10045.4.1" // ecdsa-with-SHA1
            | "1.2.840.10040.4.3" // dsa-with-sha1
    )
}

fn summary(i: usize, c: &X509Certificate<'_>, der: &[u8], key: KeyInfo, now: i64) -> CertSummary {
    let (dns_names, ips, _) = sans(c);
    let not_after = c.validity().not_after;
    let days = (not_after.timestamp() - now).div_euclid(86_400);
    CertSummary {
        position: u32::try_from(i + 1).unwrap_or(u32::MAX),
        subject: c.subject().to_string(),
        issuer: c.issuer().to_string(),
        serial: c.raw_serial_as_string(),
        not_before: rfc3339(c.validity().not_before.to_datetime()),
        not_after: rfc3339(not_after.to_datetime()),
        days_left: i32::try_from(days).unwrap_or(if days < 0 { i32::MIN } else { i32::MAX }),
        dns_names,
        ip_addresses: ips.iter().map(IpAddr::to_string).collect(),
        is_ca: c.is_ca(),
        self_signed: chain::is_self_signed(c),
        key,
        signature_algorithm: signature_name(c),
        sha256: sha256_fingerprint(der),
    }
}
