//! Atomic file writes: the new content goes to a temporary file in the target's folder, is flushed
//! to disk, gets its permissions, and only then is renamed over the target. A failure at any point
//! leaves the old file exactly as it was and removes the temporary file.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Owner read/write only: the secrets file and every file under `secrets/`.
pub const MODE_SECRET: u32 = 0o600;
/// Owner only: the `secrets/` folder and the folder of generated private keys.
pub const MODE_SECRET_DIR: u32 = 0o700;
/// Owner read/write, everyone read: shareable files.
pub const MODE_SHARED: u32 = 0o644;

/// Writes `contents` to `path` atomically with permissions `mode` (off Unix, only an owner-only
/// mode has an effect: see [`set_mode`]).
pub fn write_atomic(path: &Path, contents: &[u8], mode: u32) -> io::Result<()> {
    write_atomic_with(path, mode, |file| file.write_all(contents))
}

/// Like [`write_atomic`], with the content written by `fill`. If `fill` fails, nothing changes on
/// disk.
pub fn write_atomic_with(
    path: &Path,
    mode: u32,
    fill: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    let dir = parent_dir(path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".to_owned());
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(&dir)?;
    set_mode(tmp.path(), mode)?;
    fill(tmp.as_file_mut())?;
    tmp.as_file_mut().flush()?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    sync_dir(&dir);
    Ok(())
}

/// The folder a path lives in (`.` for a bare file name).
pub(crate) fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Sets Unix permission bits. The owner-only modes ([`MODE_SECRET`], [`MODE_SECRET_DIR`]) go
/// through [`crate::owner_only`], which restricts the path on Windows too; other modes are Unix-only.
pub(crate) fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    if mode == MODE_SECRET || mode == MODE_SECRET_DIR {
        return crate::owner_only::restrict(path);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        Ok(())
    }
}

/// Flushes a folder's entries (the rename) to disk; best effort, only on Unix.
pub(crate) fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.ends_with(".tmp"))
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn write_replaces_the_content_and_leaves_no_temporary_file() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("plan.toml");
        std::fs::write(&path, "old")?;
        write_atomic(&path, b"new", MODE_SHARED)?;
        assert_eq!(std::fs::read_to_string(&path)?, "new");
        assert!(leftovers(dir.path()).is_empty());
        Ok(())
    }

    #[test]
    fn a_failed_write_keeps_the_old_file_and_removes_the_temporary_file() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("plan.toml");
        std::fs::write(&path, "old content")?;
        let result = write_atomic_with(&path, MODE_SHARED, |f| {
            f.write_all(b"half of the new")?;
            Err(io::Error::other("disk full"))
        });
        assert!(result.is_err());
        assert_eq!(std::fs::read_to_string(&path)?, "old content");
        assert!(leftovers(dir.path()).is_empty());
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn secret_mode_gives_owner_only_permissions_even_over_a_wider_file() -> io::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("plan.secrets.toml");
        std::fs::write(&path, "old")?;
        set_mode(&path, 0o644)?;
        write_atomic(&path, b"token = \"x\"", MODE_SECRET)?;
        let mode = std::fs::metadata(&path)?.permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        Ok(())
    }
}
