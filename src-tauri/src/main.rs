//! Entry point of the desktop wizard.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    qa_wecom_setup_lib::run();
}
