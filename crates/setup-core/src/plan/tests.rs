//! Tests of the plan files: round trips, damaged files, versions, redaction, permissions.

use super::*;
use crate::secret::Secret;
use proptest::prelude::*;
use std::path::Path;

fn demo_secrets() -> Secrets {
    Secrets {
        app_secret: Some(Secret::new("AppSecretValue0123456789abcdefghijklmnopqrs")),
        token: Some(Secret::new("TokenValue0123456789abcdefghijkl")),
        encoding_aes_key: Some(Secret::new("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C")),
        tls: SecretTls {
            private_key_file: Some("key.pem".into()),
            private_key_pem: Some(Secret::new(
                "-----BEGIN PRIVATE KEY-----\nKEYMATERIAL\n-----END PRIVATE KEY-----\n",
            )),
        },
        version: SECRETS_VERSION,
    }
}

#[test]
fn demo_and_template_plans_round_trip_through_toml() -> Result<(), FileError> {
    for plan in [Plan::demo(), Plan::template(), Plan::default()] {
        let mut expected = plan.clone();
        expected.version = PLAN_VERSION;
        let text = render_plan(&plan);
        assert_eq!(parse_plan(&text)?, expected, "{text}");
    }
    Ok(())
}

#[test]
fn the_plan_file_is_commented_and_holds_no_secret() {
    let text = render_plan(&Plan::demo());
    assert!(text.starts_with("# QA WeCom Setup plan."));
    assert!(text.contains("version = 1\n"));
    assert!(text.contains("# 企业微信用户数"));
    let secrets_text = render_secrets(&demo_secrets());
    for secret in ["AppSecretValue", "TokenValue", "jWmYm7qr5n", "KEYMATERIAL"] {
        assert!(!text.contains(secret));
        assert!(secrets_text.contains(secret));
    }
}

#[test]
fn secrets_round_trip_through_toml() -> Result<(), FileError> {
    let s = demo_secrets();
    let back = parse_secrets(&render_secrets(&s))?;
    let expose = |o: &Option<Secret>| o.as_ref().map(|s| s.expose().to_owned());
    assert_eq!(expose(&back.app_secret), expose(&s.app_secret));
    assert_eq!(expose(&back.token), expose(&s.token));
    assert_eq!(expose(&back.encoding_aes_key), expose(&s.encoding_aes_key));
    assert_eq!(
        expose(&back.tls.private_key_pem),
        expose(&s.tls.private_key_pem)
    );
    assert_eq!(back.tls.private_key_file, s.tls.private_key_file);
    Ok(())
}

#[test]
fn debug_of_a_plan_with_secrets_shows_no_secret() {
    let secrets = demo_secrets();
    let shown = format!("{:?} {:?} {:#?}", Plan::demo(), secrets, secrets);
    for secret in ["AppSecretValue", "TokenValue", "jWmYm7qr5n", "KEYMATERIAL"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert!(shown.contains(crate::secret::REDACTED));
    let json = serde_json::to_string(&secrets).unwrap_or_default();
    assert!(!json.contains("TokenValue") && json.contains(crate::secret::REDACTED));
}

#[test]
fn a_damaged_plan_names_line_and_column_and_is_left_unchanged()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("plan.toml");
    let damaged = "version = 1\n[resources]\ndomain = qa.example.com\n";
    std::fs::write(&path, damaged)?;
    let before = std::fs::metadata(&path)?.modified()?;
    match load_plan(&path) {
        Err(e @ FileError::Parse { at, .. }) => {
            assert_eq!((at.line, at.column), (3, 10), "{e}");
            assert_eq!(e.code(), crate::error_code::ErrorCode::FileParseFailed);
            assert!(e.text().en.contains("line 3, column 10"));
            assert!(e.text().zh.contains("第 3 行第 10 列"));
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
    assert_eq!(std::fs::read_to_string(&path)?, damaged);
    assert_eq!(std::fs::metadata(&path)?.modified()?, before);
    assert_eq!(std::fs::read_dir(dir.path())?.count(), 1);
    Ok(())
}

#[test]
fn wrong_types_and_unknown_keys_are_parse_errors_with_their_position() {
    let cases = [
        ("version = 1\n[resources]\nwecom_users = \"many\"\n", 3),
        ("version = 1\n[resources]\ndomian = \"qa.example.com\"\n", 3),
        ("version = 1\n[tls]\nmode = \"ssl\"\n", 3),
    ];
    for (text, line) in cases {
        match parse_plan(text) {
            Err(FileError::Parse { at, .. }) => assert_eq!(at.line, line, "{text}"),
            other => panic!("{text}: {other:?}"),
        }
    }
}

/// `$parse($text)` is refused with an error that matches `$error`; a failure names the text and
/// shows what was returned instead.
macro_rules! assert_refused {
    ($parse:expr, $text:expr, $error:pat) => {
        match $parse($text) {
            Err($error) => {}
            other => panic!("{:?}: unexpected {other:?}", $text),
        }
    };
}

#[test]
fn versions_newer_than_this_program_and_missing_versions_are_refused() {
    use FileError::{Parse, VersionMissing, VersionUnsupported};
    assert_refused!(
        parse_plan,
        "version = 2\n[future]\nx = 1\n",
        VersionUnsupported {
            found: 2,
            supported: 1,
            ..
        }
    );
    assert_refused!(parse_plan, "[resources]\n", VersionMissing { .. });
    assert_refused!(
        parse_plan,
        "version = 0\n",
        Parse {
            at: Position {
                line: 1,
                column: 11
            },
            ..
        }
    );
    assert_refused!(
        parse_plan,
        "\nversion = \"1\"\n",
        Parse {
            at: Position { line: 2, .. },
            ..
        }
    );
    assert_refused!(
        parse_secrets,
        "version = 9\n",
        VersionUnsupported {
            kind: FileKind::Secrets,
            ..
        }
    );
}

#[test]
fn a_minimal_version_1_plan_loads_with_every_field_unset() -> Result<(), FileError> {
    let plan = parse_plan("version = 1\n")?;
    assert_eq!(
        plan,
        Plan {
            version: 1,
            ..Plan::default()
        }
    );
    Ok(())
}

#[cfg(unix)]
#[test]
fn saving_secrets_gives_0600_and_saving_a_plan_replaces_it_atomically()
-> Result<(), Box<dyn std::error::Error>> {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir()?;
    let plan_path = dir.path().join("acme.toml");
    save_plan(&plan_path, &Plan::demo())?;
    let secrets_path = secrets_path_for(&plan_path, &Plan::demo());
    assert_eq!(secrets_path, dir.path().join("acme.secrets.toml"));
    save_secrets(&secrets_path, &demo_secrets())?;
    let mode = std::fs::metadata(&secrets_path)?.permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(!is_readable_by_others(&secrets_path));
    save_plan(&plan_path, &Plan::template())?;
    assert_eq!(load_plan(&plan_path)?, Plan::template());
    let names: Vec<_> = std::fs::read_dir(dir.path())?
        .filter_map(|e| e.ok())
        .collect();
    assert_eq!(names.len(), 2);
    Ok(())
}

#[test]
fn a_failed_save_leaves_the_previous_plan_in_place() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let plan_path = dir.path().join("plan.toml");
    save_plan(&plan_path, &Plan::demo())?;
    let before = std::fs::read_to_string(&plan_path)?;
    // Saving into a folder that does not exist fails before anything is renamed.
    let missing = dir.path().join("no-such-folder").join("plan.toml");
    assert!(matches!(
        save_plan(&missing, &Plan::template()),
        Err(FileError::Write { .. })
    ));
    assert_eq!(std::fs::read_to_string(&plan_path)?, before);
    let _ = Path::new(&missing);
    Ok(())
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(any::<String>())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn any_plan_round_trips_through_its_toml_form(
        domain in opt_text(), ip in opt_text(), users in proptest::option::of(any::<i64>()),
        cert in opt_text(), corp in opt_text(), agent in proptest::option::of(any::<i64>()),
        upstream in opt_text(), db in opt_text(), org in opt_text(), ws in opt_text(),
        mode in proptest::option::of(prop_oneof![Just(TlsMode::Provided), Just(TlsMode::Csr), Just(TlsMode::SelfSigned), Just(TlsMode::None)]),
    ) {
        let plan = Plan {
            version: PLAN_VERSION,
            secrets_file: cert.clone(),
            resources: Resources { domain, public_ip: ip, wecom_users: users },
            tls: Tls { mode, certificate_file: cert.clone(), csr_file: None, server_certificate_path: cert, server_key_path: None },
            wecom: WeCom {
                corp_id: corp,
                agent_id: agent,
                console_done: Vec::new(),
            },
            network: Network { qa_upstream: upstream, proxy: Some(ProxyKind::Other) },
            database: Database { kind: Some(DatabaseKind::Gaussdb), name: db },
            quick_audience: QuickAudience { organization_id: org, workspace_id: ws },
        };
        let text = render_plan(&plan);
        prop_assert_eq!(parse_plan(&text).ok(), Some(plan), "{}", text);
    }

    #[test]
    fn arbitrary_text_never_panics_the_loader(text in any::<String>()) {
        let _ = parse_plan(&text);
        let _ = parse_secrets(&text);
    }
}

#[test]
fn the_plan_file_names_of_the_enums_are_their_serde_names() {
    let serde_name = |v: serde_json::Value| v.as_str().map(str::to_owned);
    for mode in [
        TlsMode::Provided,
        TlsMode::Csr,
        TlsMode::SelfSigned,
        TlsMode::None,
    ] {
        assert_eq!(
            serde_name(serde_json::json!(mode)).as_deref(),
            Some(mode.as_str())
        );
    }
    for kind in [ProxyKind::Nginx, ProxyKind::Other] {
        assert_eq!(
            serde_name(serde_json::json!(kind)).as_deref(),
            Some(kind.as_str())
        );
    }
    for db in [DatabaseKind::Gaussdb, DatabaseKind::Postgresql] {
        assert_eq!(
            serde_name(serde_json::json!(db)).as_deref(),
            Some(db.as_str())
        );
    }
    let algorithms = [
        crate::tls::KeyAlgorithm::Rsa2048,
        crate::tls::KeyAlgorithm::EcdsaP256,
    ];
    for a in algorithms {
        assert_eq!(
            serde_name(serde_json::json!(a)).as_deref(),
            Some(a.as_str())
        );
    }
    assert_eq!(TlsMode::SelfSigned.as_str(), "self_signed");
    assert_eq!(crate::tls::KeyAlgorithm::Rsa2048.as_str(), "rsa2048");
}
