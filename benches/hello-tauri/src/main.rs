//! The bare Tauri 2 hello world of `scripts/bench-app.sh`: one window, one static page, nothing
//! else — what any Tauri app costs before it does anything.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("hello-tauri: could not start the window: {e}");
            std::process::exit(1);
        });
}
