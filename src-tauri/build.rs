//! Opts the app's own commands into Tauri's ACL so capabilities can grant them one by one.

fn main() {
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(&[
            "app_info",
            "recommend_bandwidth",
            "callback_url",
            "generate_secrets",
            "verify_callback",
            "send_test_event",
            "start_receiver",
            "stop_receiver",
            "lookup_error_code",
            "watch_once",
            "rotate_pair",
            "support_pack",
        ]),
    ))
    .expect("tauri-build failed");
}
