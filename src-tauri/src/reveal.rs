//! Shows a folder in the system's file manager: the folder itself, or the folder that holds a file
//! (the exported zip). Through `xdg-open` (freedesktop), so the app carries no D-Bus stack for one
//! button.

use crate::error::AppCode;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::error::IpcError;

/// The folder to open for `path`: itself when it is a folder, else its parent.
pub fn folder_of(path: &Path) -> Result<PathBuf, IpcError> {
    if path.is_dir() {
        return Ok(path.to_path_buf());
    }
    match path.parent() {
        Some(p) if path.is_file() && p.is_dir() => Ok(p.to_path_buf()),
        _ => Err(IpcError::new(
            AppCode::RevealMissing,
            format!("{} does not exist any more", path.display()),
        )
        .with_param("path", path.display().to_string())),
    }
}

/// Opens the folder of `path` with `opener` (normally `xdg-open`), without waiting for it.
pub fn reveal_with(opener: &str, path: &Path) -> Result<(), IpcError> {
    let folder = folder_of(path)?;
    let mut child = Command::new(opener)
        .arg(&folder)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| {
            IpcError::new(AppCode::RevealFailed, format!("cannot start {opener}: {e}"))
                .with_param("reason", e.to_string())
        })?;
    // Reaped in the background so no zombie stays behind.
    std::thread::spawn(move || child.wait());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_opens_its_folder_and_a_folder_itself() {
        let dir = tempfile::tempdir().unwrap();
        let zip = dir.path().join("bundle.zip");
        std::fs::write(&zip, b"zip").unwrap();
        assert_eq!(folder_of(&zip).unwrap(), dir.path());
        assert_eq!(folder_of(dir.path()).unwrap(), dir.path());
    }

    #[test]
    fn a_missing_path_is_reveal_missing_and_a_missing_opener_reveal_failed() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("gone");
        assert_eq!(folder_of(&gone).unwrap_err().code, "reveal_missing");
        let err = reveal_with("/nonexistent/xdg-open", dir.path()).unwrap_err();
        assert_eq!(err.code, "reveal_failed");
    }

    #[test]
    fn the_opener_is_given_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("args");
        let script = dir.path().join("opener.sh");
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\necho \"$1\" > {0}.tmp && mv {0}.tmp {0}\n",
                log.display()
            ),
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        let zip = dir.path().join("b.zip");
        std::fs::write(&zip, b"z").unwrap();
        reveal_with(script.to_str().unwrap(), &zip).unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !log.exists() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let got = std::fs::read_to_string(&log).unwrap();
        assert_eq!(got.trim(), dir.path().display().to_string());
    }
}
