//! Certificate inspection against chains made here with rcgen: one test per finding, the wildcard
//! edge cases, both key families, and bad input that must give a `parse_error`, never a panic.

mod tls_support;

use proptest::prelude::*;
use setup_core::tls::{FindingCode, Inspection, KeyKind, Severity, TrustStore, chain_fingerprints};
use tls_support::*;

/// Makes `params` valid from day -1 to day 100, signs them by `root` and inspects the leaf trusting `root`.
fn inspect_signed_by(mut params: rcgen::CertificateParams, root: &Node) -> Inspection {
    params.not_before = time::OffsetDateTime::from(at_days(-1));
    params.not_after = time::OffsetDateTime::from(at_days(100));
    run_node(&sign(params, ecdsa(), Some(root)), &trusting(&[root]))
}

#[test]
fn a_complete_chain_in_order_with_its_key_passes_every_check() {
    let p = pki();
    let i = p.inspect(&[&p.leaf, &p.inter], "qa.example.com");
    assert!(i.ok, "{:?}", codes(&i));
    assert_eq!(
        codes(&i),
        [
            "name_ok",
            "validity_ok",
            "key_match",
            "chain_ok",
            "key_type"
        ]
    );
    assert_eq!(i.leaf_position, Some(1));
    assert_eq!(i.chain.len(), 2);
    assert_eq!(i.chain[0].dns_names, ["qa.example.com"]);
    assert_eq!(i.chain[0].key.kind, KeyKind::Ecdsa);
    assert_eq!(i.chain[0].days_left, 335);
    assert!(i.chain[1].is_ca && !i.chain[1].self_signed);
    let chain_ok = finding(&i, FindingCode::ChainOk);
    assert!(chain_ok.param("anchor").contains("Test Root CA"));
    assert_eq!(
        i.key.as_ref().map(|k| k.description.as_str()),
        Some("ECDSA P-256")
    );
}

#[test]
fn a_certificate_for_another_name_is_a_name_mismatch() {
    let p = pki();
    let i = p.inspect(&[&p.leaf, &p.inter], "qawecom.example.org");
    assert_eq!(errors(&i), ["name_mismatch"]);
    let f = finding(&i, FindingCode::NameMismatch);
    assert_eq!(f.param("domain"), "qawecom.example.org");
    assert_eq!(f.param("names"), "qa.example.com");
    assert_eq!(f.param("reason"), "not_listed");
    assert!(
        f.message.en.contains("qawecom.example.org")
            && f.message.zh.contains("qawecom.example.org")
    );
    assert!(!f.fix.en.is_empty() && !f.fix.zh.is_empty());
    assert!(!i.ok);
}

#[test]
fn a_wildcard_covers_one_label_only() {
    let root = ca("Root", None);
    let leaf = leaf(&["*.example.com"], &root);
    let trust = trusting(&[&root]);
    let check = |domain: &str| {
        let i = run(&leaf.pem, Some(&leaf.key_pem()), domain, &trust);
        (i.has(FindingCode::NameOk), i.has(FindingCode::NameMismatch))
    };
    assert_eq!(check("qa.example.com"), (true, false));
    assert_eq!(check("QA.Example.com."), (true, false));
    assert_eq!(check("a.qa.example.com"), (false, true));
    assert_eq!(check("example.com"), (false, true));
    assert_eq!(check("qa.example.org"), (false, true));
}

#[test]
fn an_ip_address_needs_an_ip_san() {
    let root = ca("Root", None);
    let leaf = leaf(&["127.0.0.1", "localhost"], &root);
    let trust = trusting(&[&root]);
    assert!(run(&leaf.pem, None, "127.0.0.1", &trust).has(FindingCode::NameOk));
    assert!(run(&leaf.pem, None, "localhost", &trust).has(FindingCode::NameOk));
    assert!(run(&leaf.pem, None, "127.0.0.2", &trust).has(FindingCode::NameMismatch));
}

#[test]
fn a_certificate_without_san_covers_nothing_even_if_its_cn_matches() {
    let root = ca("Root", None);
    let mut params = rcgen::CertificateParams::default();
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "qa.example.com");
    let i = inspect_signed_by(params, &root);
    assert_eq!(errors(&i), ["name_mismatch"]);
    let f = finding(&i, FindingCode::NameMismatch);
    assert_eq!(f.param("reason"), "no_san");
    assert_eq!(f.param("names"), "qa.example.com");
    assert!(f.message.en.contains("Subject Alternative Name"));
}

#[test]
fn validity_is_judged_at_the_given_time() {
    let p = pki();
    let chain = chain(&[&p.leaf, &p.inter]);
    let key = p.leaf.key_pem();
    let trust = trusting(&[&p.root]);

    // The leaf is valid from day -30 to day 335.
    let expired = run_at(&chain, Some(&key), "qa.example.com", &trust, at_days(400));
    assert_eq!(errors(&expired), ["expired"]);
    let f = finding(&expired, FindingCode::Expired);
    assert_eq!(f.param("position"), "1");
    assert!(
        f.param("not_after").starts_with("2031-02-15"),
        "{}",
        f.param("not_after")
    );
    assert_eq!(expired.chain[0].days_left, -65);

    let early = run_at(&chain, Some(&key), "qa.example.com", &trust, at_days(-31));
    assert_eq!(errors(&early), ["not_yet_valid"]);

    let soon = run_at(&chain, Some(&key), "qa.example.com", &trust, at_days(325));
    assert!(soon.ok, "a warning is not an error");
    let f = finding(&soon, FindingCode::ExpiringSoon);
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(f.param("days"), "10");
    assert!(!soon.has(FindingCode::ValidityOk));

    let fine = run_at(&chain, Some(&key), "qa.example.com", &trust, at_days(300));
    assert!(fine.has(FindingCode::ValidityOk) && !fine.has(FindingCode::ExpiringSoon));
}

#[test]
fn an_expired_intermediate_is_reported_with_its_position() {
    let root = ca("Root", None);
    let inter = ca_valid("Old Intermediate", Some(&root), -3650, -1);
    let leaf = leaf(&["qa.example.com"], &inter);
    let i = run(
        &chain(&[&leaf, &inter]),
        Some(&leaf.key_pem()),
        "qa.example.com",
        &trusting(&[&root]),
    );
    let f = finding(&i, FindingCode::Expired);
    assert_eq!(f.param("position"), "2");
    assert!(f.param("subject").contains("Old Intermediate"));
}

#[test]
fn a_key_of_another_certificate_is_a_key_mismatch() {
    let p = pki();
    let other = ecdsa();
    let i = run(
        &chain(&[&p.leaf, &p.inter]),
        Some(&other.serialize_pem()),
        "qa.example.com",
        &trusting(&[&p.root]),
    );
    assert_eq!(errors(&i), ["key_mismatch"]);
    assert!(!i.has(FindingCode::KeyMatch));
}

#[test]
fn a_reversed_chain_is_out_of_order_but_complete() {
    let p = pki();
    let i = p.inspect(&[&p.root, &p.inter, &p.leaf], "qa.example.com");
    assert_eq!(errors(&i), ["chain_order"]);
    assert_eq!(i.leaf_position, Some(3));
    let f = finding(&i, FindingCode::ChainOrder);
    assert_eq!(f.param("order"), "3, 2, 1");
    assert!(i.has(FindingCode::KeyMatch) && i.has(FindingCode::NameOk));

    // Without the key the leaf is still found: the certificate that issued none of the others.
    let i = run(
        &chain(&[&p.inter, &p.leaf]),
        None,
        "qa.example.com",
        &trusting(&[&p.root]),
    );
    assert_eq!(errors(&i), ["chain_order"]);
    assert_eq!(i.leaf_position, Some(2));
}

#[test]
fn a_root_before_its_intermediate_is_out_of_order_too() {
    let p = pki();
    let i = p.inspect(&[&p.leaf, &p.root, &p.inter], "qa.example.com");
    assert_eq!(errors(&i), ["chain_order"]);
    let f = finding(&i, FindingCode::ChainOrder);
    assert_eq!(f.param("order"), "1, 3, 2");
}

#[test]
fn a_missing_intermediate_makes_the_chain_incomplete() {
    let p = pki();
    let i = p.inspect(&[&p.leaf], "qa.example.com");
    assert_eq!(errors(&i), ["chain_incomplete"]);
    let f = finding(&i, FindingCode::ChainIncomplete);
    assert_eq!(f.param("position"), "1");
    assert!(f.param("issuer").contains("Test Intermediate CA"));
    assert!(f.fix.en.contains("full chain"));
}

#[test]
fn a_chain_to_a_root_nobody_trusts_is_an_untrusted_root() {
    let p = pki();
    let i = run(
        &chain(&[&p.leaf, &p.inter, &p.root]),
        Some(&p.leaf.key_pem()),
        "qa.example.com",
        &TrustStore::system(),
    );
    assert_eq!(errors(&i), ["untrusted_root"]);
    let f = finding(&i, FindingCode::UntrustedRoot);
    assert_eq!(f.param("position"), "3");
    assert_eq!(f.param("self_signed"), "false");

    // The same chain with the root as an extra anchor (`--ca-cert`) is fine, root included.
    let mut trust = TrustStore::system();
    trust.add_pem(p.root.pem.as_bytes()).expect("anchor");
    assert_eq!(trust.extra_len(), 1);
    let i = run(
        &chain(&[&p.leaf, &p.inter, &p.root]),
        Some(&p.leaf.key_pem()),
        "qa.example.com",
        &trust,
    );
    assert!(i.ok, "{:?}", codes(&i));
    assert!(i.has(FindingCode::ChainOk));
}

#[test]
fn the_bundled_roots_do_not_trust_a_private_chain_and_say_an_intermediate_is_missing() {
    let p = pki();
    let i = run(
        &chain(&[&p.leaf, &p.inter]),
        None,
        "qa.example.com",
        &TrustStore::system(),
    );
    assert_eq!(errors(&i), ["chain_incomplete"]);
}

#[test]
fn a_self_signed_leaf_is_an_untrusted_root_marked_self_signed() {
    let mut params =
        rcgen::CertificateParams::new(vec!["qa.example.com".to_owned()]).expect("params");
    params.not_before = time::OffsetDateTime::from(at_days(-1));
    params.not_after = time::OffsetDateTime::from(at_days(10));
    let i = run_node(&sign(params, ecdsa(), None), &TrustStore::system());
    assert_eq!(errors(&i), ["untrusted_root"]);
    let f = finding(&i, FindingCode::UntrustedRoot);
    assert_eq!(f.param("self_signed"), "true");
    assert!(f.message.en.contains("self-signed") && f.message.zh.contains("自签名"));
    assert!(i.chain[0].self_signed);
}

#[test]
fn certificates_that_are_not_on_the_path_are_extra() {
    let p = pki();
    let stranger = ca("Unrelated CA", None);
    let i = p.inspect(&[&p.leaf, &p.inter, &stranger], "qa.example.com");
    assert!(i.ok, "{:?}", codes(&i));
    let f = finding(&i, FindingCode::ChainExtra);
    assert_eq!(f.param("positions"), "3");
    assert_eq!(f.severity, Severity::Warning);
}

#[test]
fn a_client_auth_only_certificate_is_rejected_like_a_tls_client_would() {
    let root = ca("Root", None);
    let mut p = rcgen::CertificateParams::new(vec!["qa.example.com".to_owned()]).expect("params");
    p.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ClientAuth];
    let i = inspect_signed_by(p, &root);
    assert_eq!(errors(&i), ["chain_invalid"]);
    let f = finding(&i, FindingCode::ChainInvalid);
    assert_eq!(f.param("reason"), "not_server_auth");
    assert!(!i.has(FindingCode::ChainOk));
}

#[test]
fn rsa_and_ecdsa_leaves_report_their_key_type_and_match_their_keys() {
    let root = ca("Root", None);
    let trust = trusting(&[&root]);
    // One RSA-2048 key, generated the way the wizard does.
    let csr =
        setup_core::tls::generate_csr("qa.example.com", setup_core::tls::KeyAlgorithm::Rsa2048)
            .expect("csr");
    let rsa_key = rcgen::KeyPair::from_pem(csr.private_key_pem.expose()).expect("rsa key");
    let keyed_leaf = |key: rcgen::KeyPair| leaf_with(&["qa.example.com"], &root, key, -1, 100);
    let rsa_leaf = keyed_leaf(rsa_key);
    let i = run_node(&rsa_leaf, &trust);
    assert!(i.ok, "{:?}", codes(&i));
    let kt = finding(&i, FindingCode::KeyType);
    assert_eq!(kt.param("key"), "RSA 2048-bit");
    assert_eq!(i.chain[0].key.bits, 2048);

    let p384 = keyed_leaf(key(&rcgen::PKCS_ECDSA_P384_SHA384));
    let i = run_node(&p384, &trust);
    assert!(i.ok && i.has(FindingCode::KeyMatch), "{:?}", codes(&i));
    assert_eq!(i.chain[0].key.description, "ECDSA P-384");

    // Ed25519 works in rustls but not in most clients: a warning, not an error.
    let ed = keyed_leaf(key(&rcgen::PKCS_ED25519));
    let i = run_node(&ed, &trust);
    assert!(i.ok && i.has(FindingCode::KeyMatch), "{:?}", codes(&i));
    assert!(i.has(FindingCode::KeyUnsupported));
}

#[test]
fn a_combined_pem_with_the_key_inside_the_chain_file_still_reads() {
    let p = pki();
    let combined = format!("{}{}{}", p.leaf.key_pem(), p.leaf.pem, p.inter.pem);
    let i = run(
        &combined,
        Some(&p.leaf.key_pem()),
        "qa.example.com",
        &trusting(&[&p.root]),
    );
    assert!(i.ok, "{:?}", codes(&i));
}

#[test]
fn mixed_up_and_damaged_pem_is_a_parse_error_with_a_reason() {
    let p = pki();
    let trust = trusting(&[&p.root]);
    let cert = p.leaf.pem.clone();
    let key = p.leaf.key_pem();
    let truncated_cert = cert[..cert.len() / 2].to_owned();
    let cut_base64 = {
        let lines: Vec<&str> = cert.lines().collect();
        let mut keep = lines.clone();
        keep.remove(3);
        keep.join("\n")
    };
    let cases: Vec<(&str, String, Option<String>, &str)> = vec![
        ("key as cert", key.clone(), None, "key_instead_of_cert"),
        ("cert as key", cert.clone(), Some(cert.clone()), "cert_instead_of_key"),
        ("empty cert", String::new(), None, "empty"),
        ("text", "hello, world".to_owned(), None, "no_pem"),
        ("truncated", truncated_cert, None, "truncated"),
        ("line removed", cut_base64, None, "bad_certificate"),
        ("empty key", cert.clone(), Some("\n".to_owned()), "empty"),
        (
            "encrypted key",
            cert.clone(),
            Some("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n".to_owned()),
            "encrypted_key",
        ),
        (
            "legacy encrypted key",
            cert.clone(),
            Some("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n".to_owned()),
            "encrypted_key",
        ),
        ("two keys", cert.clone(), Some(format!("{key}{key}")), "several_keys"),
    ];
    for (name, chain_pem, key_pem, reason) in cases {
        let i = run(&chain_pem, key_pem.as_deref(), "qa.example.com", &trust);
        let f = i
            .with_code(FindingCode::ParseError)
            .next()
            .unwrap_or_else(|| panic!("{name}: no parse_error in {:?}", codes(&i)));
        assert_eq!(f.param("reason"), reason, "{name}");
        assert!(!i.ok, "{name}");
        assert!(!f.message.zh.is_empty() && !f.fix.en.is_empty(), "{name}");
        // Never the key material in a finding.
        let json = serde_json::to_string(&i).expect("json");
        assert!(!json.contains("PRIVATE KEY-----\\n"), "{name}");
        let body: String = key.lines().nth(1).unwrap_or("").to_owned();
        assert!(!json.contains(&body), "{name}: key material leaked");
    }
}

#[test]
fn the_json_shape_has_stable_codes_and_both_languages() {
    let p = pki();
    let i = run(
        &p.leaf.pem,
        Some(&p.leaf.key_pem()),
        "other.example.com",
        &trusting(&[&p.root]),
    );
    let v = serde_json::to_value(&i).expect("json");
    assert_eq!(v["ok"], false);
    assert_eq!(v["domain"], "other.example.com");
    assert_eq!(v["checked_at"], "2030-03-17T17:46:40Z");
    assert_eq!(v["leaf_position"], 1);
    let findings = v["findings"].as_array().expect("findings");
    let first = &findings[0];
    for key in ["code", "severity", "params", "message", "fix"] {
        assert!(first.get(key).is_some(), "{key} in {first}");
    }
    assert!(first["message"]["en"].is_string() && first["message"]["zh"].is_string());
    let codes: Vec<&str> = findings.iter().filter_map(|f| f["code"].as_str()).collect();
    assert!(codes.contains(&"name_mismatch") && codes.contains(&"chain_incomplete"));
    assert_eq!(findings[0]["severity"], "error");
    assert_eq!(v["chain"][0]["key"]["kind"], "ecdsa");
    assert_eq!(v["chain"][0]["sha256"].as_str().map(str::len), Some(95));
}

#[test]
fn fingerprints_are_per_certificate_in_file_order() {
    let p = pki();
    let fps = chain_fingerprints(chain(&[&p.leaf, &p.inter]).as_bytes()).expect("fingerprints");
    assert_eq!(fps.len(), 2);
    assert_eq!(fps[0].position, 1);
    assert!(fps[1].subject.contains("Test Intermediate CA"));
    assert_ne!(fps[0].sha256, fps[1].sha256);
    assert!(chain_fingerprints(p.leaf.key_pem().as_bytes()).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let trust = TrustStore::empty();
        let i = setup_core::tls::inspect(
            &setup_core::tls::InspectInput { chain_pem: &bytes, key_pem: Some(&bytes), domain: "qa.example.com" },
            &trust,
            now(),
        );
        prop_assert!(!i.ok);
    }

    #[test]
    fn damaged_pem_never_panics(cut in 0usize..1200, flip in 0usize..1200, byte in any::<u8>()) {
        // One fixed chain (made once per process) with one byte changed and the tail cut.
        static PEM: std::sync::OnceLock<(String, String)> = std::sync::OnceLock::new();
        let (chain_pem, key_pem) = PEM.get_or_init(|| {
            let p = pki();
            (chain(&[&p.leaf, &p.inter]), p.leaf.key_pem())
        });
        let mut c = chain_pem.as_bytes().to_vec();
        let mut k = key_pem.as_bytes().to_vec();
        if flip < c.len() { c[flip] = byte; }
        if flip < k.len() { k[flip] = byte; }
        c.truncate(c.len().saturating_sub(cut));
        k.truncate(k.len().saturating_sub(cut / 2));
        let _ = setup_core::tls::inspect(
            &setup_core::tls::InspectInput { chain_pem: &c, key_pem: Some(&k), domain: "qa.example.com" },
            &TrustStore::empty(),
            now(),
        );
    }
}
