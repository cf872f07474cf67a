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
    refuse_file_parent(path)?;
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

/// Files written together, all or none: each is staged under a temporary name beside its target
/// ([`Batch::stage`]), then [`Batch::commit`] renames them into place, keeping each old file
/// aside until every rename has succeeded. If anything fails, every target is as it was and the
/// temporary files (and folders the batch created) are gone.
#[derive(Default)]
pub struct Batch {
    staged: Vec<(tempfile::TempPath, PathBuf)>,
    created: Vec<PathBuf>,
    committed: bool,
}

impl Batch {
    pub fn new() -> Self {
        Self::default()
    }

    /// Creates folder `dir` (and its missing parents) with `mode` if it is missing; what it created
    /// is removed again if the batch fails.
    pub fn folder(&mut self, dir: &Path, mode: u32) -> io::Result<()> {
        let mut missing = Vec::new();
        let mut next = Some(dir);
        while let Some(d) = next.filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
            missing.push(d.to_path_buf());
            next = d.parent();
        }
        if !missing.is_empty() {
            std::fs::create_dir_all(dir)?;
            // Deepest first, the order they are removed in.
            self.created.extend(missing);
            set_mode(dir, mode)?;
        }
        Ok(())
    }

    /// Writes `contents` with `mode` to a temporary file beside `path`, for [`Batch::commit`].
    pub fn stage(&mut self, path: &Path, contents: &[u8], mode: u32) -> io::Result<()> {
        refuse_file_parent(path)?;
        let mut tmp = tempfile::Builder::new()
            .prefix(&format!(".{}.", file_name(path)))
            .suffix(".tmp")
            .tempfile_in(parent_dir(path))?;
        set_mode(tmp.path(), mode)?;
        tmp.write_all(contents)?;
        tmp.as_file().sync_all()?;
        self.staged.push((tmp.into_temp_path(), path.to_path_buf()));
        Ok(())
    }

    /// Renames every staged file over its target. A target that exists and is not a regular file
    /// is refused before anything is renamed.
    pub fn commit(mut self) -> io::Result<()> {
        for (_, target) in &self.staged {
            if let Ok(meta) = std::fs::symlink_metadata(target)
                && !meta.is_file()
            {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!("{} exists and is not a file", target.display()),
                ));
            }
        }
        // (target, the old file moved aside); the old files are deleted when dropped.
        let mut done: Vec<(PathBuf, Option<tempfile::TempPath>)> = Vec::new();
        let staged = std::mem::take(&mut self.staged);
        let mut result = Ok(());
        for (tmp, target) in staged {
            match replace(tmp, &target) {
                Ok(old) => done.push((target, old)),
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        if result.is_err() {
            for (target, old) in done.into_iter().rev() {
                match old {
                    Some(old) => {
                        let _ = std::fs::rename(&old, &target);
                    }
                    None => {
                        let _ = std::fs::remove_file(&target);
                    }
                }
            }
            return result;
        }
        for (target, _) in &done {
            sync_dir(&parent_dir(target));
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        if !self.committed {
            self.staged.clear();
            for dir in &self.created {
                let _ = std::fs::remove_dir(dir);
            }
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".to_owned())
}

/// Renames `tmp` over `target`, first moving an old `target` aside (returned, so that it can be
/// put back); on failure the old file is back in place.
fn replace(tmp: tempfile::TempPath, target: &Path) -> io::Result<Option<tempfile::TempPath>> {
    let old = if target.exists() {
        let aside = tempfile::Builder::new()
            .prefix(&format!(".{}.", file_name(target)))
            .suffix(".old")
            .tempfile_in(parent_dir(target))?
            .into_temp_path();
        std::fs::rename(target, &aside)?;
        Some(aside)
    } else {
        None
    };
    if let Err(e) = tmp.persist(target) {
        if let Some(old) = &old {
            let _ = std::fs::rename(old, target);
        }
        return Err(e.error);
    }
    Ok(old)
}

/// Creates the folder `path` goes into (and its parents), after [`refuse_file_parent`].
pub fn create_parent(path: &Path) -> io::Result<()> {
    refuse_file_parent(path)?;
    std::fs::create_dir_all(parent_dir(path))
}

/// When the nearest existing folder on the way to `path` is a file, says so ("p.toml is a file,
/// not a folder") instead of the bare "File exists" or "Not a directory" of the system call.
pub fn refuse_file_parent(path: &Path) -> io::Result<()> {
    let dir = parent_dir(path);
    for ancestor in dir.ancestors().filter(|a| !a.as_os_str().is_empty()) {
        if let Ok(meta) = std::fs::metadata(ancestor) {
            if meta.is_dir() {
                break;
            }
            return Err(io::Error::new(
                io::ErrorKind::NotADirectory,
                format!("{} is a file, not a folder", ancestor.display()),
            ));
        }
    }
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
    use crate::owner_only::tests::temp_file;

    /// The names of what `dir` holds.
    fn names(dir: &Path) -> io::Result<Vec<String>> {
        Ok(std::fs::read_dir(dir)?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect())
    }

    /// The temporary files left in `dir`.
    fn leftovers(dir: &Path) -> Vec<String> {
        let mut names = names(dir).unwrap_or_default();
        names.retain(|n| n.ends_with(".tmp"));
        names
    }

    /// A temporary folder holding `a.toml` ("old a") and an empty folder `folder`: the temporary
    /// folder, the file's path and the inner folder's path.
    fn old_a_and_folder(folder: &str) -> io::Result<(tempfile::TempDir, PathBuf, PathBuf)> {
        let (dir, a) = temp_file("a.toml", "old a")?;
        let folder = dir.path().join(folder);
        std::fs::create_dir(&folder)?;
        Ok((dir, a, folder))
    }

    #[test]
    fn a_batch_whose_last_target_is_a_folder_changes_nothing() -> io::Result<()> {
        let (dir, a, blocked) = old_a_and_folder("b.toml")?;
        let mut batch = Batch::new();
        let sub = dir.path().join("sub");
        batch.folder(&sub, MODE_SECRET_DIR)?;
        batch.stage(&sub.join("c"), b"new c", MODE_SECRET)?;
        batch.stage(&a, b"new a", MODE_SHARED)?;
        batch.stage(&blocked, b"new b", MODE_SHARED)?;
        assert!(batch.commit().is_err());
        assert_eq!(std::fs::read_to_string(&a)?, "old a");
        assert!(!sub.exists());
        let names = names(dir.path())?;
        assert_eq!(names.len(), 2, "{names:?}");
        Ok(())
    }

    #[test]
    fn a_rename_failing_midway_puts_the_renamed_files_back() -> io::Result<()> {
        let (dir, a, gone) = old_a_and_folder("gone")?;
        let mut batch = Batch::new();
        batch.stage(&a, b"new a", MODE_SHARED)?;
        batch.stage(&gone.join("b"), b"new b", MODE_SHARED)?;
        // The second file's folder vanishes after staging: its rename fails after a's succeeded.
        std::fs::remove_dir_all(&gone)?;
        assert!(batch.commit().is_err());
        assert_eq!(std::fs::read_to_string(&a)?, "old a");
        assert_eq!(
            names(dir.path())?,
            ["a.toml"],
            "the old file is back and nothing else is left"
        );
        Ok(())
    }

    #[test]
    fn a_batch_replaces_every_file_and_leaves_nothing_else() -> io::Result<()> {
        let (dir, a) = temp_file("a.toml", "old a")?;
        let mut batch = Batch::new();
        batch.stage(&a, b"new a", MODE_SHARED)?;
        batch.stage(&dir.path().join("b"), b"new b", MODE_SECRET)?;
        batch.commit()?;
        assert_eq!(std::fs::read_to_string(&a)?, "new a");
        assert_eq!(std::fs::read_dir(dir.path())?.count(), 2);
        Ok(())
    }

    #[test]
    fn write_replaces_the_content_and_leaves_no_temporary_file() -> io::Result<()> {
        let (dir, path) = temp_file("plan.toml", "old")?;
        write_atomic(&path, b"new", MODE_SHARED)?;
        assert_eq!(std::fs::read_to_string(&path)?, "new");
        assert!(leftovers(dir.path()).is_empty());
        Ok(())
    }

    #[test]
    fn a_failed_write_keeps_the_old_file_and_removes_the_temporary_file() -> io::Result<()> {
        let (dir, path) = temp_file("plan.toml", "old content")?;
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
        use crate::owner_only::tests::mode;
        let (_dir, path) = temp_file("plan.secrets.toml", "old")?;
        set_mode(&path, 0o644)?;
        write_atomic(&path, b"token = \"x\"", MODE_SECRET)?;
        assert_eq!(mode(&path), 0o600);
        Ok(())
    }
}
