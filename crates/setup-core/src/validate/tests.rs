//! Tests of whole-plan validation: all problems at once, field paths, severities, typed result.

use super::*;
use crate::plan::{Plan, SecretTls, Secrets, TlsMode};
use crate::secret::Secret;

fn codes(issues: &[Issue]) -> Vec<(String, IssueCode)> {
    issues.iter().map(|i| (i.field.clone(), i.code)).collect()
}

fn good_secrets() -> Secrets {
    Secrets {
        app_secret: Some(Secret::new("AppSecretValue0123456789abcdefghijklmnopqrs")),
        ..Secrets::generated()
    }
}

#[test]
fn the_demo_plan_passes_with_warnings_only_and_gives_typed_values() {
    let checked = check(&Plan::demo(), Some(&Secrets::demo()));
    assert!(checked.is_ok(), "{:#?}", checked.issues);
    assert!(checked.warning_count() >= 1);
    let plan = checked.plan.unwrap_or_else(|| panic!("no checked plan"));
    assert_eq!(plan.domain.as_str(), "qawecom.example.com");
    assert_eq!(plan.bandwidth.mbps, 5);
    assert_eq!(plan.qa_upstream.to_string(), "127.0.0.1:8080");
    assert_eq!(
        plan.callback_url,
        "https://qawecom.example.com/restapi/thirdservice/we/com/inner/event/oneparty/callback/wwb697d33134e48cfc"
    );
    assert_eq!(
        plan.tls.server_certificate_path.as_str(),
        "/etc/nginx/tls/qawecom.example.com.crt"
    );
    assert!(checked.secrets.is_some());
}

#[test]
fn check_reports_every_problem_at_once_not_the_first() {
    let mut plan = Plan::template();
    plan.resources.domain = Some("https://qa.example.com".into());
    plan.resources.public_ip = Some("300.1.1.1".into());
    plan.resources.wecom_users = Some(0);
    plan.wecom.corp_id = Some("ww 1".into());
    plan.wecom.agent_id = Some(-1);
    plan.network.qa_upstream = Some("10.0.0.1".into());
    plan.database.name = Some("QA".into());
    plan.quick_audience.organization_id = Some("nope".into());
    let secrets = Secrets {
        token: Some(Secret::new("bad token")),
        encoding_aes_key: Some(Secret::new("short")),
        ..Secrets::default()
    };
    let checked = check(&plan, Some(&secrets));
    let found = codes(&checked.issues);
    let expected = [
        (field::DOMAIN, IssueCode::DomainHasScheme),
        (field::PUBLIC_IP, IssueCode::PublicIpInvalid),
        (field::WECOM_USERS, IssueCode::UsersNotPositive),
        (
            field::TLS_CERTIFICATE_FILE,
            IssueCode::TlsCertificateMissing,
        ),
        (field::CORP_ID, IssueCode::CorpIdInvalid),
        (field::AGENT_ID, IssueCode::AgentIdInvalid),
        (field::QA_UPSTREAM, IssueCode::UpstreamPortMissing),
        (field::DATABASE_NAME, IssueCode::DatabaseNameInvalid),
        (field::ORGANIZATION_ID, IssueCode::OrganizationIdInvalid),
        (field::WORKSPACE_ID, IssueCode::WorkspaceIdMissing),
        (field::APP_SECRET, IssueCode::AppSecretMissing),
        (field::TOKEN, IssueCode::TokenInvalidChar),
        (field::ENCODING_AES_KEY, IssueCode::AesKeyWrongLength),
    ];
    for (f, c) in expected {
        assert!(
            found.contains(&(f.to_owned(), c)),
            "{f} {c:?} not in {found:#?}"
        );
    }
    assert!(checked.plan.is_none());
    assert!(checked.secrets.is_none());
    assert_eq!(checked.error_count(), 12);
}

#[test]
fn an_empty_plan_lists_each_required_field_as_missing() {
    let (checked, issues) = check_plan(&Plan::default());
    assert!(checked.is_none());
    let found = codes(&issues);
    for (f, c) in [
        (field::DOMAIN, IssueCode::DomainMissing),
        (field::WECOM_USERS, IssueCode::UsersMissing),
        (field::TLS_MODE, IssueCode::TlsModeMissing),
        (field::CORP_ID, IssueCode::CorpIdMissing),
        (field::AGENT_ID, IssueCode::AgentIdMissing),
        (field::QA_UPSTREAM, IssueCode::UpstreamMissing),
        (field::DATABASE_KIND, IssueCode::DatabaseKindMissing),
        (field::DATABASE_NAME, IssueCode::DatabaseNameMissing),
    ] {
        assert!(found.contains(&(f.to_owned(), c)), "{f} {c:?}");
    }
}

#[test]
fn every_issue_carries_both_languages_and_the_severity_of_its_code() {
    let checked = check(&Plan::default(), Some(&Secrets::default()));
    assert!(!checked.issues.is_empty());
    for i in &checked.issues {
        assert_eq!(i.severity, i.code.severity());
        assert!(!i.message.en.is_empty() && !i.message.zh.is_empty());
        assert!(!i.fix.en.is_empty() && !i.fix.zh.is_empty());
    }
    let json = serde_json::to_value(&checked.issues[0]).unwrap_or_default();
    assert_eq!(json["code"], "domain_missing");
    assert_eq!(json["severity"], "error");
    assert_eq!(json["field"], "resources.domain");
    assert!(json["message"]["zh"].is_string());
}

#[test]
fn tls_none_and_self_signed_are_warnings_and_change_the_url_scheme() {
    let mut plan = Plan::demo();
    plan.tls.mode = Some(TlsMode::None);
    let checked = check(&plan, None);
    assert!(checked.is_ok());
    assert!(codes(&checked.issues).contains(&(field::TLS_MODE.to_owned(), IssueCode::TlsNone)));
    let p = checked.plan.unwrap_or_else(|| panic!("plan"));
    assert!(p.callback_url.starts_with("http://qawecom.example.com/"));
}

#[test]
fn a_private_key_is_required_only_when_tls_files_are_set() {
    let mut plan = Plan::demo();
    let (_, issues) = check_secrets(&good_secrets(), false);
    assert!(issues.is_empty(), "{issues:#?}");
    plan.tls.certificate_file = Some("chain.pem".into());
    let checked = check(&plan, Some(&good_secrets()));
    assert!(codes(&checked.issues).contains(&(
        field::TLS_PRIVATE_KEY.to_owned(),
        IssueCode::TlsPrivateKeyMissing
    )));
    let with_key = Secrets {
        tls: SecretTls {
            private_key_file: Some("key.pem".into()),
            private_key_pem: None,
        },
        ..good_secrets()
    };
    let checked = check(&plan, Some(&with_key));
    assert!(checked.is_ok(), "{:#?}", checked.issues);
    assert!(matches!(
        checked.secrets.and_then(|s| s.private_key),
        Some(PrivateKey::File(f)) if f == "key.pem"
    ));
}

#[test]
fn issues_about_secrets_never_contain_the_secret_values() {
    let secrets = Secrets {
        app_secret: Some(Secret::new("has space secret")),
        token: Some(Secret::new("tok-with-dash-0123456789")),
        encoding_aes_key: Some(Secret::new("key+with+plus+0123456789012345678901234567890")),
        ..Secrets::default()
    };
    let (_, issues) = check_secrets(&secrets, false);
    assert_eq!(issues.len(), 3);
    let shown = serde_json::to_string(&issues).unwrap_or_default();
    for s in ["has space", "tok-with", "key+with"] {
        assert!(!shown.contains(s), "{s}");
    }
}

#[test]
fn blank_optional_fields_count_as_unset() {
    let mut plan = Plan::demo();
    plan.resources.public_ip = Some("  ".into());
    plan.quick_audience.organization_id = Some(String::new());
    let checked = check(&plan, None);
    assert!(checked.is_ok(), "{:#?}", checked.issues);
    let p = checked.plan.unwrap_or_else(|| panic!("plan"));
    assert_eq!(p.public_ip, None);
    assert_eq!(p.organization_id, None);
}

#[test]
fn the_ui_types_render_as_typescript_with_secrets_as_plain_strings() {
    use ts_rs::{Config, TS};
    let cfg = Config::default();
    let plan = crate::plan::Plan::decl(&cfg);
    assert!(plan.contains("resources: Resources"), "{plan}");
    let resources = crate::plan::Resources::decl(&cfg);
    assert!(
        resources.contains("wecom_users: number | null"),
        "{resources}"
    );
    let secrets = crate::plan::Secrets::decl(&cfg);
    assert!(secrets.contains("token: string | null"), "{secrets}");
    let issue = Issue::decl(&cfg);
    assert!(
        issue.contains("code: IssueCode") && issue.contains("message: Text"),
        "{issue}"
    );
    let checked = CheckedPlan::decl(&cfg);
    assert!(checked.contains("qa_upstream: Upstream"), "{checked}");
    assert_eq!(Upstream::decl(&cfg), "type Upstream = string;");
    for decl in [
        IssueCode::decl(&cfg),
        Severity::decl(&cfg),
        crate::errcodes::ErrorCodeInfo::decl(&cfg),
        crate::bundle::ExportSummary::decl(&cfg),
        crate::plan::TlsMode::decl(&cfg),
    ] {
        assert!(!decl.is_empty());
    }
}

#[test]
fn debug_of_checked_secrets_and_the_whole_check_shows_no_secret() {
    let secrets = Secrets {
        tls: SecretTls {
            private_key_file: None,
            private_key_pem: Some(Secret::new("-----BEGIN PRIVATE KEY-----\nKEYMATERIAL\n")),
        },
        ..good_secrets()
    };
    let token = secrets
        .token
        .as_ref()
        .map(|t| t.expose().to_owned())
        .unwrap_or_default();
    let checked = check(&Plan::demo(), Some(&secrets));
    assert!(checked.secrets.is_some());
    let shown = format!("{checked:?} {:#?}", checked.secrets);
    for s in [token.as_str(), "AppSecretValue", "KEYMATERIAL"] {
        assert!(!s.is_empty() && !shown.contains(s), "{s}");
    }
}
