//! Test PKIs made on the spot: rcgen roots, intermediates and leaves with chosen names, keys and
//! validity windows around a fixed instant [`NOW`], plus a runner for Debian's `openssl` binary as
//! an independent tool.

#![allow(dead_code)]

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SignatureAlgorithm,
};
use setup_core::tls::{Finding, FindingCode, InspectInput, Inspection, TrustStore, inspect};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use time::OffsetDateTime;

/// The fixed "now" of the rcgen tests: 2030-03-17T17:46:40Z.
pub const NOW_SECS: u64 = 1_900_000_000;
pub const DAY: u64 = 86_400;

pub fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(NOW_SECS)
}

pub fn at_days(days: i64) -> SystemTime {
    let secs = NOW_SECS as i64 + days * DAY as i64;
    UNIX_EPOCH + Duration::from_secs(secs as u64)
}

fn odt(days: i64) -> OffsetDateTime {
    OffsetDateTime::from(at_days(days))
}

/// A certificate with its key and the parameters it was made from (to sign others with).
pub struct Node {
    pub params: CertificateParams,
    pub key: KeyPair,
    pub pem: String,
}

impl Node {
    pub fn key_pem(&self) -> String {
        self.key.serialize_pem()
    }
}

pub fn ecdsa() -> KeyPair {
    key(&rcgen::PKCS_ECDSA_P256_SHA256)
}

pub fn key(alg: &'static SignatureAlgorithm) -> KeyPair {
    KeyPair::generate_for(alg).expect("key generation")
}

fn dn(cn: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, cn);
    dn.push(DnType::OrganizationName, "QA WeCom Setup tests");
    dn
}

/// Signs `params` with `key`, by `issuer` or self-signed when it is None.
pub fn sign(params: CertificateParams, key: KeyPair, issuer: Option<&Node>) -> Node {
    let cert = match issuer {
        Some(i) => params
            .signed_by(&key, &Issuer::from_params(&i.params, &i.key))
            .expect("sign"),
        None => params.self_signed(&key).expect("self-sign"),
    };
    Node {
        pem: cert.pem(),
        params,
        key,
    }
}

/// A CA valid from 10 years before [`NOW`] to 10 years after; self-signed when `issuer` is None.
pub fn ca(cn: &str, issuer: Option<&Node>) -> Node {
    ca_valid(cn, issuer, -3650, 3650)
}

pub fn ca_valid(cn: &str, issuer: Option<&Node>, from_days: i64, to_days: i64) -> Node {
    let mut p = CertificateParams::default();
    p.distinguished_name = dn(cn);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    p.not_before = odt(from_days);
    p.not_after = odt(to_days);
    sign(p, ecdsa(), issuer)
}

/// A server certificate for `names`, valid from 30 days before [`NOW`] to 335 days after.
pub fn leaf(names: &[&str], issuer: &Node) -> Node {
    leaf_with(names, issuer, ecdsa(), -30, 335)
}

pub fn leaf_with(
    names: &[&str],
    issuer: &Node,
    key: KeyPair,
    from_days: i64,
    to_days: i64,
) -> Node {
    let mut p = CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        .expect("params");
    p.distinguished_name = dn(names.first().copied().unwrap_or("no name"));
    p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    p.not_before = odt(from_days);
    p.not_after = odt(to_days);
    sign(p, key, Some(issuer))
}

/// Root → intermediate → leaf for `qa.example.com`.
pub struct Pki {
    pub root: Node,
    pub inter: Node,
    pub leaf: Node,
}

pub fn pki() -> Pki {
    let root = ca("Test Root CA", None);
    let inter = ca("Test Intermediate CA", Some(&root));
    let leaf = leaf(&["qa.example.com"], &inter);
    Pki { root, inter, leaf }
}

impl Pki {
    /// Inspects the chain of `nodes` (in that order) with the leaf's key for `domain`, trusting only the root.
    pub fn inspect(&self, nodes: &[&Node], domain: &str) -> Inspection {
        let trust = trusting(&[&self.root]);
        run(&chain(nodes), Some(&self.leaf.key_pem()), domain, &trust)
    }
}

/// Inspects a single `node` with its own key for `qa.example.com`, trusting `trust`.
pub fn run_node(node: &Node, trust: &TrustStore) -> Inspection {
    run(&node.pem, Some(&node.key_pem()), "qa.example.com", trust)
}

pub fn chain(nodes: &[&Node]) -> String {
    nodes.iter().map(|n| n.pem.as_str()).collect()
}

/// A trust store with only `anchors`.
pub fn trusting(anchors: &[&Node]) -> TrustStore {
    let mut t = TrustStore::empty();
    for a in anchors {
        t.add_pem(a.pem.as_bytes()).expect("anchor");
    }
    t
}

pub fn run(chain_pem: &str, key_pem: Option<&str>, domain: &str, trust: &TrustStore) -> Inspection {
    run_at(chain_pem, key_pem, domain, trust, now())
}

pub fn run_at(
    chain_pem: &str,
    key_pem: Option<&str>,
    domain: &str,
    trust: &TrustStore,
    at: SystemTime,
) -> Inspection {
    let input = InspectInput {
        chain_pem: chain_pem.as_bytes(),
        key_pem: key_pem.map(str::as_bytes),
        domain,
    };
    inspect(&input, trust, at)
}

/// The codes of the findings, as JSON strings, for readable assertions.
pub fn codes(i: &Inspection) -> Vec<&'static str> {
    i.findings.iter().map(|f| f.code.as_str()).collect()
}

/// The first finding with `code`; panics naming the code and the findings there are.
pub fn finding(i: &Inspection, code: FindingCode) -> &Finding {
    i.with_code(code)
        .next()
        .unwrap_or_else(|| panic!("no {} in {:?}", code.as_str(), codes(i)))
}

pub fn errors(i: &Inspection) -> Vec<&'static str> {
    i.error_codes()
        .into_iter()
        .map(FindingCode::as_str)
        .collect()
}

/// Runs `openssl` in `dir`; panics with its stderr when it fails.
pub fn openssl(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the openssl binary (Debian package `openssl`) must be installed");
    assert!(
        out.status.success(),
        "openssl {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Like [`openssl`] but returns (success, stdout + stderr).
pub fn openssl_status(dir: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the openssl binary (Debian package `openssl`) must be installed");
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}
