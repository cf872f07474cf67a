//! Opts the app's own commands into Tauri's ACL so capabilities can grant them one by one.

fn main() {
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(&[
            "app_info",
            "cancel_job",
            "recommend_bandwidth",
            "check_callback",
            "start_receiver",
            "fault_modes",
            "lookup_error_code",
            "decrypt_callback",
            "import_trigger",
            "database_sql",
            "database_check",
            "watch_once",
            "rotate_pair",
            "support_pack",
            "plan_get",
            "plan_new",
            "plan_open",
            "plan_recent",
            "plan_demo",
            "plan_save",
            "plan_save_as",
            "plan_update",
            "plan_generate_secrets",
            "autosave_offer",
            "autosave_restore",
            "autosave_discard",
            "app_close_discarding",
            "tls_inspect",
            "tls_generate",
            "wecom_check",
            "wecom_default_api_base",
            "network_files",
            "export_bundle",
            "reveal_export",
        ]),
    ))
    .expect("tauri-build failed");
}
