//! The TypeScript types of everything that crosses IPC, generated from the Rust types with ts-rs.
//! `ui/src/ipc/bindings.ts` is committed; this test fails when it is stale.
//! Regenerate with `UPDATE_BINDINGS=1 cargo test -p qa-wecom-setup bindings`.

use setup_core::report;
use ts_rs::{Config, TS};

fn render() -> String {
    let cfg = Config::default();
    let decls = [
        crate::AppInfo::decl(&cfg),
        crate::IpcError::decl(&cfg),
        crate::error::Code::decl(&cfg),
        setup_core::error_code::ErrorCode::decl(&cfg),
        crate::error::AppCode::decl(&cfg),
        crate::LiveRung::decl(&cfg),
        setup_core::sizing::BandwidthAdvice::decl(&cfg),
        // Validation issues (every step)
        setup_core::validate::Issue::decl(&cfg),
        setup_core::validate::IssueCode::decl(&cfg),
        setup_core::validate::Severity::decl(&cfg),
        setup_core::text::Text::decl(&cfg),
        // Every check's report (Verify step: `Report<LadderFacts>`)
        report::WireReport::<live::LadderFacts>::decl(&cfg),
        report::CheckKind::decl(&cfg),
        setup_core::text::Lang::decl(&cfg),
        report::WireStep::decl(&cfg),
        report::Status::decl(&cfg),
        report::StepText::decl(&cfg),
        report::WireFinding::decl(&cfg),
        report::FindingText::decl(&cfg),
        live::LadderFacts::decl(&cfg),
        live::FaultMode::decl(&cfg),
        // WeCom app step (`Report<WecomFacts>`)
        live::wecom_api::WecomFacts::decl(&cfg),
        crate::ReceiverInfo::decl(&cfg),
        // The open plan (every step)
        crate::PlanView::decl(&cfg),
        crate::VerifyTarget::decl(&cfg),
        crate::SecretsView::decl(&cfg),
        crate::StepState::decl(&cfg),
        crate::StepStatus::decl(&cfg),
        crate::WizardStep::decl(&cfg),
        crate::AutosaveInfo::decl(&cfg),
        setup_core::plan::Plan::decl(&cfg),
        setup_core::plan::Resources::decl(&cfg),
        setup_core::plan::Tls::decl(&cfg),
        setup_core::plan::TlsMode::decl(&cfg),
        setup_core::plan::WeCom::decl(&cfg),
        setup_core::plan::Network::decl(&cfg),
        setup_core::plan::ProxyKind::decl(&cfg),
        setup_core::plan::Database::decl(&cfg),
        setup_core::plan::DatabaseKind::decl(&cfg),
        setup_core::plan::QuickAudience::decl(&cfg),
        setup_core::tls::KeyAlgorithm::decl(&cfg),
        crate::TlsWritten::decl(&cfg),
        crate::NetworkFiles::decl(&cfg),
        crate::ExportResult::decl(&cfg),
        setup_core::bundle::ExportSummary::decl(&cfg),
        setup_core::bundle::ExportedFile::decl(&cfg),
        setup_core::bundle::ExportFormat::decl(&cfg),
        // Troubleshoot
        setup_core::errcodes::ErrorCodeInfo::decl(&cfg),
        setup_core::errcodes::CodeSource::decl(&cfg),
        setup_core::capture::Decryption::decl(&cfg),
        setup_core::capture::CaptureKind::decl(&cfg),
        setup_core::generate::trigger::ImportTrigger::decl(&cfg),
        // Database step (`Report<DbFacts>`)
        setup_core::generate::sql::DatabaseSql::decl(&cfg),
        live::db_check::DbFacts::decl(&cfg),
        // Keep it working
        setup_core::rotate::Rotation::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by src-tauri/src/bindings.rs (ts-rs). Do not edit.\n\n",
    );
    for d in decls {
        out.push_str("export ");
        out.push_str(&d);
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

#[test]
fn bindings_ts_matches_the_rust_types() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/ipc/bindings.ts");
    let want = render();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &want).expect("write bindings.ts");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "ui/src/ipc/bindings.ts is stale; run `UPDATE_BINDINGS=1 cargo test -p qa-wecom-setup bindings`"
    );
}
