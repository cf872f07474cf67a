//! Cross-checks with Debian's `openssl` as an independent tool: chains, keys and odd encodings made
//! by openssl are inspected here; CSRs and self-signed pairs made here are verified by openssl;
//! fingerprints agree with `openssl x509 -fingerprint -sha256`.

mod tls_support;

use setup_core::tls::{
    FindingCode, InspectInput, KeyAlgorithm, TrustStore, chain_fingerprints, generate_csr,
    generate_self_signed, inspect,
};
use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};
use tls_support::{codes, errors, finding, openssl, openssl_status};

/// An openssl PKI, made once per test process: RSA-2048 root → ECDSA P-256 intermediate → leaves.
struct OpensslPki {
    dir: tempfile::TempDir,
    made_at: SystemTime,
}

impl OpensslPki {
    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.path().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn cat(&self, names: &[&str]) -> Vec<u8> {
        names.iter().flat_map(|n| self.read(n)).collect()
    }

    fn trust(&self) -> TrustStore {
        let mut t = TrustStore::empty();
        t.add_pem(&self.read("root.pem")).expect("root");
        t
    }

    fn inspect(
        &self,
        chain: &[u8],
        key: Option<&[u8]>,
        domain: &str,
        trust: &TrustStore,
    ) -> setup_core::tls::Inspection {
        self.inspect_at(chain, key, domain, trust, self.made_at)
    }

    fn inspect_at(
        &self,
        chain: &[u8],
        key: Option<&[u8]>,
        domain: &str,
        trust: &TrustStore,
        at: SystemTime,
    ) -> setup_core::tls::Inspection {
        inspect(
            &InspectInput {
                chain_pem: chain,
                key_pem: key,
                domain,
            },
            trust,
            at,
        )
    }
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write");
}

/// Signs `name.csr` with the intermediate into `name.pem` with the given extensions.
fn sign_leaf(dir: &Path, name: &str, ext: &str, days: &str) {
    write(dir, &format!("{name}.ext"), ext);
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            &format!("{name}.csr"),
            "-CA",
            "int.pem",
            "-CAkey",
            "int.key",
            "-CAcreateserial",
            "-days",
            days,
            "-sha256",
            "-extfile",
            &format!("{name}.ext"),
            "-out",
            &format!("{name}.pem"),
        ],
    );
}

fn pki() -> &'static OpensslPki {
    static PKI: OnceLock<OpensslPki> = OnceLock::new();
    PKI.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        openssl(d, &["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "root.key"]);
        openssl(
            d,
            &[
                "req", "-x509", "-new", "-key", "root.key", "-subj", "/CN=OpenSSL Test Root/O=QA WeCom Setup tests",
                "-days", "3650", "-sha256", "-out", "root.pem",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ],
        );
        openssl(d, &["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "int.key"]);
        openssl(d, &["req", "-new", "-key", "int.key", "-subj", "/CN=OpenSSL Test Intermediate", "-out", "int.csr"]);
        write(d, "int.ext", "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n");
        openssl(
            d,
            &[
                "x509", "-req", "-in", "int.csr", "-CA", "root.pem", "-CAkey", "root.key", "-CAcreateserial",
                "-days", "1825", "-sha256", "-extfile", "int.ext", "-out", "int.pem",
            ],
        );
        let server_ext = "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:qa.example.com\n";
        // RSA-2048 leaf, PKCS#8 key (openssl's default output).
        openssl(
            d,
            &["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "rsa.key", "-subj", "/CN=qa.example.com", "-out", "rsa.csr"],
        );
        sign_leaf(d, "rsa", server_ext, "90");
        // The same key as PKCS#1 ("BEGIN RSA PRIVATE KEY").
        openssl(d, &["rsa", "-in", "rsa.key", "-traditional", "-out", "rsa.pkcs1.key"]);
        // ECDSA leaf with a SEC1 key ("EC PARAMETERS" + "EC PRIVATE KEY"), wildcard name.
        openssl(d, &["ecparam", "-name", "prime256v1", "-genkey", "-out", "ec.key"]);
        openssl(d, &["req", "-new", "-key", "ec.key", "-subj", "/CN=*.example.com", "-out", "ec.csr"]);
        sign_leaf(
            d,
            "ec",
            "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:*.example.com\n",
            "90",
        );
        // RSA-1024 leaf: a weak key.
        openssl(
            d,
            &["req", "-new", "-newkey", "rsa:1024", "-nodes", "-keyout", "weak.key", "-subj", "/CN=qa.example.com", "-out", "weak.csr"],
        );
        sign_leaf(d, "weak", server_ext, "90");
        // A leaf valid for one day only.
        openssl(
            d,
            &["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "short.key", "-subj", "/CN=qa.example.com", "-out", "short.csr"],
        );
        sign_leaf(d, "short", server_ext, "1");
        // Odd encodings of the RSA leaf and key.
        openssl(d, &["x509", "-in", "rsa.pem", "-outform", "DER", "-out", "rsa.der"]);
        openssl(d, &["pkey", "-in", "rsa.key", "-outform", "DER", "-out", "rsa.key.der"]);
        openssl(d, &["pkey", "-in", "rsa.key", "-aes256", "-passout", "pass:secret", "-out", "rsa.enc.key"]);
        openssl(
            d,
            &["rsa", "-in", "rsa.key", "-traditional", "-aes256", "-passout", "pass:secret", "-out", "rsa.legacy-enc.key"],
        );
        // After the last signature: every certificate's notBefore is at or before this.
        let made_at = SystemTime::now() + Duration::from_secs(1);
        OpensslPki { dir, made_at }
    })
}

#[test]
fn an_openssl_rsa_chain_with_pkcs8_and_pkcs1_keys_passes() {
    let p = pki();
    let chain = p.cat(&["rsa.pem", "int.pem"]);
    for key in ["rsa.key", "rsa.pkcs1.key"] {
        let i = p.inspect(&chain, Some(&p.read(key)), "qa.example.com", &p.trust());
        assert!(i.ok, "{key}: {:?}", codes(&i));
        assert!(
            i.has(FindingCode::KeyMatch) && i.has(FindingCode::ChainOk),
            "{key}"
        );
        assert_eq!(
            i.key.as_ref().map(|k| k.description.as_str()),
            Some("RSA 2048-bit")
        );
        // 90 days: no expiry warning yet.
        assert!(!i.has(FindingCode::ExpiringSoon));
    }
}

#[test]
fn an_openssl_ecdsa_leaf_with_a_sec1_key_matches_and_its_wildcard_follows_the_rules() {
    let p = pki();
    let chain = p.cat(&["ec.pem", "int.pem"]);
    let key = p.read("ec.key");
    let i = p.inspect(&chain, Some(&key), "qa.example.com", &p.trust());
    assert!(i.ok, "{:?}", codes(&i));
    assert_eq!(i.chain[0].key.description, "ECDSA P-256");
    for domain in ["a.qa.example.com", "example.com"] {
        let i = p.inspect(&chain, Some(&key), domain, &p.trust());
        assert_eq!(errors(&i), ["name_mismatch"], "{domain}");
    }
}

#[test]
fn openssl_made_problems_are_each_found() {
    let p = pki();
    let trust = p.trust();

    // Inspects the chain (space-separated file names) with `key` for `domain`, checks it fails
    // with the one error `expected`, and hands the inspection back for the finer checks.
    let only_error = |chain: &str, key: &str, domain: &str, trust: &TrustStore, expected: &str| {
        let files: Vec<&str> = chain.split_whitespace().collect();
        let i = p.inspect(&p.cat(&files), Some(&p.read(key)), domain, trust);
        assert_eq!(errors(&i), [expected], "{chain} {key} {domain}");
        i
    };
    let (qa, org) = ("qa.example.com", "qawecom.example.org");
    for (chain, key, domain, expected) in [
        ("rsa.pem int.pem", "rsa.key", org, "name_mismatch"),
        ("rsa.pem int.pem", "ec.key", qa, "key_mismatch"),
        ("rsa.pem", "rsa.key", qa, "chain_incomplete"),
    ] {
        only_error(chain, key, domain, &trust, expected);
    }
    let system = TrustStore::system();
    only_error(
        "rsa.pem int.pem root.pem",
        "rsa.key",
        qa,
        &system,
        "untrusted_root",
    );

    let reversed = only_error(
        "root.pem int.pem rsa.pem",
        "rsa.key",
        qa,
        &trust,
        "chain_order",
    );
    assert_eq!(
        reversed
            .with_code(FindingCode::ChainOrder)
            .next()
            .map(|f| f.param("order").to_owned()),
        Some("3, 2, 1".to_owned())
    );
    let weak = only_error("weak.pem int.pem", "weak.key", qa, &trust, "weak_key");
    assert!(weak.has(FindingCode::KeyMatch));
    let f = finding(&weak, FindingCode::WeakKey);
    assert_eq!(f.param("key"), "RSA 1024-bit");

    let short = p.cat(&["short.pem", "int.pem"]);
    let short_key = p.read("short.key");
    let soon = p.inspect(&short, Some(&short_key), "qa.example.com", &trust);
    assert!(
        soon.ok && soon.has(FindingCode::ExpiringSoon),
        "{:?}",
        codes(&soon)
    );
    let later = p.made_at + Duration::from_secs(3 * 86_400);
    let expired = p.inspect_at(&short, Some(&short_key), "qa.example.com", &trust, later);
    assert_eq!(errors(&expired), ["expired"]);
    let earlier = p.made_at - Duration::from_secs(2 * 86_400);
    let early = p.inspect_at(&short, Some(&short_key), "qa.example.com", &trust, earlier);
    // The intermediate was made at the same moment: both are not yet valid.
    assert!(!errors(&early).is_empty() && errors(&early).iter().all(|c| *c == "not_yet_valid"));
    assert_eq!(
        early
            .with_code(FindingCode::NotYetValid)
            .next()
            .map(|f| f.param("position")),
        Some("1")
    );
}

#[test]
fn der_and_encrypted_files_from_openssl_are_clear_parse_errors() {
    let p = pki();
    let trust = p.trust();
    let chain = p.cat(&["rsa.pem", "int.pem"]);
    let reason = |chain: &[u8], key: &[u8]| {
        let i = p.inspect(chain, Some(key), "qa.example.com", &trust);
        i.with_code(FindingCode::ParseError)
            .map(|f| format!("{}:{}", f.param("file"), f.param("reason")))
            .collect::<Vec<_>>()
    };
    assert_eq!(reason(&p.read("rsa.der"), &p.read("rsa.key")), ["cert:der"]);
    assert_eq!(reason(&chain, &p.read("rsa.key.der")), ["key:der"]);
    assert_eq!(
        reason(&chain, &p.read("rsa.enc.key")),
        ["key:encrypted_key"]
    );
    assert_eq!(
        reason(&chain, &p.read("rsa.legacy-enc.key")),
        ["key:encrypted_key"]
    );
    assert_eq!(
        reason(&p.read("rsa.key"), &p.read("rsa.pem")),
        ["key:cert_instead_of_key", "cert:key_instead_of_cert"]
    );
    assert_eq!(
        reason(&p.read("rsa.csr"), &p.read("rsa.key")),
        ["cert:csr_instead_of_cert"]
    );
}

#[test]
fn fingerprints_agree_with_openssl() {
    let p = pki();
    let fps =
        chain_fingerprints(&p.cat(&["rsa.pem", "int.pem", "root.pem"])).expect("fingerprints");
    for (fp, file) in fps.iter().zip(["rsa.pem", "int.pem", "root.pem"]) {
        let out = openssl(
            p.path(),
            &["x509", "-in", file, "-noout", "-fingerprint", "-sha256"],
        );
        let theirs = out.trim().rsplit('=').next().unwrap_or_default();
        assert_eq!(fp.sha256, theirs, "{file}");
    }
}

#[test]
fn openssl_verifies_our_csrs_for_both_key_types() {
    let dir = tempfile::tempdir().expect("tempdir");
    for alg in [KeyAlgorithm::Rsa2048, KeyAlgorithm::EcdsaP256] {
        let csr = generate_csr("qawecom.example.com", alg).expect("csr");
        let name = format!("{}.csr", alg.as_str());
        write(dir.path(), &name, &csr.csr_pem);
        write(dir.path(), "key.pem", csr.private_key_pem.expose());
        let (ok, out) = openssl_status(
            dir.path(),
            &["req", "-in", &name, "-noout", "-verify", "-text"],
        );
        assert!(ok, "{alg:?}: {out}");
        assert!(
            out.contains("verify OK")
                || out.contains("Certificate request self-signature verify OK"),
            "{out}"
        );
        assert!(
            out.contains("CN = qawecom.example.com") || out.contains("CN=qawecom.example.com"),
            "{out}"
        );
        assert!(out.contains("DNS:qawecom.example.com"), "{out}");
        match alg {
            KeyAlgorithm::Rsa2048 => {
                assert!(
                    out.contains("Public-Key: (2048 bit)")
                        && out.contains("sha256WithRSAEncryption"),
                    "{out}"
                )
            }
            KeyAlgorithm::EcdsaP256 => {
                assert!(
                    out.contains("prime256v1") && out.contains("ecdsa-with-SHA256"),
                    "{out}"
                )
            }
        }
        // The key is a plain PKCS#8 key openssl reads, and it is the CSR's key.
        let key_pub = openssl(dir.path(), &["pkey", "-in", "key.pem", "-pubout"]);
        let csr_pub = openssl(dir.path(), &["req", "-in", &name, "-noout", "-pubkey"]);
        assert_eq!(key_pub, csr_pub, "{alg:?}");
    }
}

#[test]
fn openssl_accepts_our_self_signed_pair_for_the_domain_localhost_and_loopback() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pair = generate_self_signed(
        "qawecom.example.com",
        KeyAlgorithm::EcdsaP256,
        SystemTime::now(),
    )
    .expect("self-signed");
    write(dir.path(), "demo.crt", &pair.cert_pem);
    write(dir.path(), "demo.key", pair.private_key_pem.expose());
    let out = openssl(
        dir.path(),
        &[
            "verify",
            "-CAfile",
            "demo.crt",
            "-purpose",
            "sslserver",
            "-verify_hostname",
            "qawecom.example.com",
            "demo.crt",
        ],
    );
    assert!(out.contains("demo.crt: OK"), "{out}");
    for (flag, name) in [
        ("-checkhost", "localhost"),
        ("-checkip", "127.0.0.1"),
        ("-checkhost", "qawecom.example.com"),
    ] {
        let out = openssl(
            dir.path(),
            &["x509", "-in", "demo.crt", "-noout", flag, name],
        );
        assert!(out.contains("does match"), "{name}: {out}");
    }
    let subject = openssl(
        dir.path(),
        &["x509", "-in", "demo.crt", "-noout", "-subject"],
    );
    assert!(subject.contains("DEMO ONLY"), "{subject}");
    let key_pub = openssl(dir.path(), &["pkey", "-in", "demo.key", "-pubout"]);
    let cert_pub = openssl(
        dir.path(),
        &["x509", "-in", "demo.crt", "-noout", "-pubkey"],
    );
    assert_eq!(key_pub, cert_pub);
}
