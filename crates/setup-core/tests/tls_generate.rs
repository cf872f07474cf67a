//! Key + CSR and self-signed generation: what is written (key owner-only, nothing overwritten by
//! surprise), what the inspection says about the result, and a real TLS handshake: a rustls server
//! on 127.0.0.1 with our self-signed pair, and a client that trusts it.

mod common;
mod tls_support;

#[cfg(unix)]
use common::mode;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use setup_core::tls::{
    CSR_FILE, DEMO_NOTE_FILE, FindingCode, KEY_FILE, KeyAlgorithm, SELF_SIGNED_CERT_FILE,
    SELF_SIGNED_KEY_FILE, SelfSignedMaterial, TlsFileError, TrustStore, generate_csr,
    generate_self_signed, inspect_files, parse_certificates, write_csr, write_self_signed,
};
use std::sync::Arc;
use std::time::SystemTime;
use tls_support::{codes, errors, finding, run};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[test]
fn a_csr_is_written_with_the_key_owner_only_and_never_over_an_existing_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("tls");
    let csr = generate_csr("QAWecom.Example.com", KeyAlgorithm::EcdsaP256).expect("csr");
    assert_eq!(csr.domain, "qawecom.example.com");
    assert!(
        csr.csr_pem
            .starts_with("-----BEGIN CERTIFICATE REQUEST-----")
    );
    assert!(
        csr.private_key_pem
            .expose()
            .starts_with("-----BEGIN PRIVATE KEY-----")
    );
    // Debug never shows the key.
    let debug = format!("{csr:?}");
    assert!(
        !debug.contains("PRIVATE KEY") && debug.contains("REDACTED"),
        "{debug}"
    );

    let files = write_csr(&out, &csr, false).expect("write");
    assert_eq!(files.private_key, out.join(KEY_FILE));
    assert_eq!(files.csr.as_deref(), Some(out.join(CSR_FILE).as_path()));
    assert_eq!(
        std::fs::read_to_string(&files.private_key).expect("key"),
        csr.private_key_pem.expose()
    );
    #[cfg(unix)]
    {
        assert_eq!(mode(&files.private_key), 0o600);
        assert_eq!(mode(&out.join(CSR_FILE)), 0o644);
        assert_eq!(
            mode(&out),
            0o700,
            "a folder we create for a key is owner-only"
        );
    }

    let again = generate_csr("qawecom.example.com", KeyAlgorithm::EcdsaP256).expect("csr");
    assert!(matches!(
        write_csr(&out, &again, false),
        Err(TlsFileError::Exists { .. })
    ));
    assert_eq!(
        std::fs::read_to_string(&files.private_key).expect("key"),
        csr.private_key_pem.expose()
    );
    write_csr(&out, &again, true).expect("overwrite when asked");
    assert_eq!(
        std::fs::read_to_string(&files.private_key).expect("key"),
        again.private_key_pem.expose()
    );
    #[cfg(unix)]
    assert_eq!(mode(&files.private_key), 0o600);
}

#[test]
fn the_default_csr_key_is_rsa_2048() {
    let csr = generate_csr("qawecom.example.com", KeyAlgorithm::default()).expect("csr");
    assert_eq!(csr.algorithm, KeyAlgorithm::Rsa2048);
    let key = rcgen::KeyPair::from_pem(csr.private_key_pem.expose()).expect("key");
    assert_eq!(key.algorithm(), &rcgen::PKCS_RSA_SHA256);
    // 2048-bit modulus: the DER RSAPublicKey is 270 bytes.
    assert_eq!(rcgen::PublicKeyData::der_bytes(&key).len(), 270);
}

#[test]
fn bad_domains_are_refused_before_any_key_is_made() {
    for bad in [
        "",
        "https://qa.example.com/",
        "qa.example.com:8443",
        "qa_example.com",
    ] {
        let e = generate_csr(bad, KeyAlgorithm::EcdsaP256).expect_err(bad);
        assert_eq!(e.code().as_str(), "tls_domain_invalid", "{bad}");
        assert!(generate_self_signed(bad, KeyAlgorithm::EcdsaP256, SystemTime::now()).is_err());
    }
}

fn self_signed(alg: KeyAlgorithm) -> SelfSignedMaterial {
    generate_self_signed("qawecom.example.com", alg, tls_support::now()).expect("self-signed")
}

#[test]
fn a_self_signed_pair_covers_the_domain_and_loopback_and_is_flagged_untrusted() {
    let pair = self_signed(KeyAlgorithm::EcdsaP256);
    // Dates as the certificate carries them: whole seconds, whatever the clock's precision.
    let precise = tls_support::now() + std::time::Duration::from_nanos(123_456_789);
    let p2 = generate_self_signed("qawecom.example.com", KeyAlgorithm::EcdsaP256, precise)
        .expect("self-signed");
    assert_eq!(p2.not_before, "2030-03-17T16:46:40Z");
    assert_eq!(
        pair.names,
        ["qawecom.example.com", "localhost", "127.0.0.1"]
    );
    assert_eq!(pair.not_before, "2030-03-17T16:46:40Z");
    assert_eq!(pair.not_after, "2031-03-17T17:46:40Z");
    let key = pair.private_key_pem.expose().to_owned();
    for domain in ["qawecom.example.com", "localhost", "127.0.0.1"] {
        let i = run(&pair.cert_pem, Some(&key), domain, &TrustStore::system());
        assert_eq!(errors(&i), ["untrusted_root"], "{domain}");
        let f = finding(&i, FindingCode::UntrustedRoot);
        assert_eq!(f.param("self_signed"), "true");
        assert!(
            i.has(FindingCode::NameOk) && i.has(FindingCode::KeyMatch),
            "{domain}"
        );
        assert!(i.chain[0].subject.contains("DEMO ONLY"));
        assert_eq!(i.chain[0].sha256, pair.sha256);
    }
    // Trusted explicitly (as the demo receiver's client does), it passes.
    let mut trust = TrustStore::empty();
    trust.add_pem(pair.cert_pem.as_bytes()).expect("anchor");
    let i = run(&pair.cert_pem, Some(&key), "qawecom.example.com", &trust);
    assert!(i.ok, "{:?}", codes(&i));
    assert!(i.has(FindingCode::ChainOk));
}

#[test]
fn self_signed_files_are_labelled_demo_only_and_inspectable_from_disk() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pair = self_signed(KeyAlgorithm::EcdsaP256);
    let files = write_self_signed(dir.path(), &pair, false).expect("write");
    assert_eq!(files.private_key, dir.path().join(SELF_SIGNED_KEY_FILE));
    let cert = dir.path().join(SELF_SIGNED_CERT_FILE);
    let note = std::fs::read_to_string(dir.path().join(DEMO_NOTE_FILE)).expect("note");
    assert!(note.contains("DEMO ONLY") && note.contains("仅供演示") && note.contains(&pair.sha256));
    assert!(!note.contains("PRIVATE KEY"));
    #[cfg(unix)]
    {
        assert_eq!(mode(&files.private_key), 0o600);
        assert_eq!(mode(&cert), 0o644);
    }
    assert!(matches!(
        write_self_signed(dir.path(), &pair, false),
        Err(TlsFileError::Exists { .. })
    ));

    // The written key with `cert` as both the chain and the only trusted CA, for localhost.
    let inspect_self_trusted = |cert: &std::path::Path| {
        let ca = [cert.to_path_buf()];
        inspect_files(
            cert,
            Some(&files.private_key),
            &ca,
            "localhost",
            tls_support::now(),
        )
    };
    let i = inspect_self_trusted(&cert);
    assert!(i.ok, "{:?}", codes(&i));

    let missing = dir.path().join("nope.pem");
    let i = inspect_self_trusted(&missing);
    let reasons: Vec<String> = i
        .with_code(FindingCode::ParseError)
        .map(|f| format!("{}:{}", f.param("file"), f.param("reason")))
        .collect();
    assert_eq!(reasons, ["cert:unreadable", "ca:unreadable"]);
    assert!(!i.ok);
}

#[test]
fn an_oversized_file_is_refused_without_reading_it_all() {
    let dir = tempfile::tempdir().expect("tempdir");
    let big = dir.path().join("big.pem");
    std::fs::write(&big, vec![b'A'; 2 * 1024 * 1024]).expect("write");
    let i = inspect_files(&big, None, &[], "qa.example.com", tls_support::now());
    let f = finding(&i, FindingCode::ParseError);
    assert_eq!(f.param("reason"), "too_large");
}

/// Serves one TLS connection with `pair` on 127.0.0.1, connects with a client that trusts only
/// `pair`'s certificate under `server_name`, and echoes a line through it.
async fn handshake(pair: &SelfSignedMaterial, server_name: &str) -> Result<String, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let certs: Vec<CertificateDer<'static>> =
        parse_certificates(pair.cert_pem.as_bytes()).map_err(|e| e.to_string())?;
    let key = PrivateKeyDer::from_pem_slice(pair.private_key_pem.expose().as_bytes())
        .map_err(|e| e.to_string())?;
    let server_config = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(certs.clone(), key)
        .map_err(|e| e.to_string())?;
    let mut roots = rustls::RootCertStore::empty();
    roots.add(certs[0].clone()).map_err(|e| e.to_string())?;
    let client_config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(server_config));
    let server = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.map_err(|e| e.to_string())?;
        let mut tls = acceptor.accept(tcp).await.map_err(|e| e.to_string())?;
        let mut buf = [0u8; 5];
        tls.read_exact(&mut buf).await.map_err(|e| e.to_string())?;
        tls.write_all(b"pong:").await.map_err(|e| e.to_string())?;
        tls.write_all(&buf).await.map_err(|e| e.to_string())?;
        tls.shutdown().await.map_err(|e| e.to_string())?;
        Ok::<(), String>(())
    });

    let connector = tokio_rustls::TlsConnector::from(Arc::new(client_config));
    let name = ServerName::try_from(server_name.to_owned()).map_err(|e| e.to_string())?;
    let tcp = tokio::net::TcpStream::connect(addr)
        .await
        .map_err(|e| e.to_string())?;
    let mut tls = connector
        .connect(name, tcp)
        .await
        .map_err(|e| e.to_string())?;
    tls.write_all(b"hello").await.map_err(|e| e.to_string())?;
    let mut reply = Vec::new();
    tls.read_to_end(&mut reply)
        .await
        .map_err(|e| e.to_string())?;
    server.await.map_err(|e| e.to_string())??;
    Ok(String::from_utf8_lossy(&reply).into_owned())
}

fn with_timeout<F: std::future::Future<Output = Result<String, String>>>(
    f: F,
) -> Result<String, String> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async {
        tokio::time::timeout(std::time::Duration::from_secs(20), f)
            .await
            .map_err(|_| "timed out".to_owned())?
    })
}

#[test]
fn a_rustls_client_that_trusts_our_self_signed_pair_completes_a_handshake() {
    // Valid from now: the handshake checks the real clock.
    let ecdsa = generate_self_signed(
        "qawecom.example.com",
        KeyAlgorithm::EcdsaP256,
        SystemTime::now(),
    )
    .expect("ecdsa pair");
    for name in ["qawecom.example.com", "localhost", "127.0.0.1"] {
        assert_eq!(
            with_timeout(handshake(&ecdsa, name)),
            Ok("pong:hello".to_owned()),
            "{name}"
        );
    }
    let rsa = generate_self_signed(
        "qawecom.example.com",
        KeyAlgorithm::Rsa2048,
        SystemTime::now(),
    )
    .expect("rsa pair");
    assert_eq!(
        with_timeout(handshake(&rsa, "localhost")),
        Ok("pong:hello".to_owned())
    );
}

#[test]
fn a_client_refuses_our_pair_for_a_name_it_does_not_cover() {
    let pair = generate_self_signed(
        "qawecom.example.com",
        KeyAlgorithm::EcdsaP256,
        SystemTime::now(),
    )
    .expect("pair");
    let err = with_timeout(handshake(&pair, "other.example.com")).expect_err("must fail");
    assert!(
        err.contains("NotValidForName") || err.contains("certificate"),
        "{err}"
    );
}
