//! Embeds the context (tauri.conf.json, dist/) like every Tauri app.

fn main() {
    tauri_build::build();
}
