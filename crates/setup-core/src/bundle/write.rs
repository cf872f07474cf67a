//! Writing a built bundle: to a folder (built in a temporary sibling folder, then renamed into
//! place; a previous bundle there is swapped out and removed only after the new one is in place)
//! or to a zip (a temporary file renamed over the target). Nothing is ever half-written.
//!
//! Only what export wrote is ever replaced. A bundle folder holds [`MARKER`] (the tool and its
//! version) and every other file in it is listed in its `SHA256SUMS`; a folder without the marker
//! is refused with the files that make it foreign, and a file the user added to a bundle is
//! refused by name unless `force`. A bundle zip carries the marker as its archive comment; any
//! other existing file is replaced only with `force`.

use super::{Bundle, BundleError, SECRETS_DIR};
use crate::atomic::{create_parent, parent_dir, set_mode, sync_dir, write_atomic_with};
use crate::fsread::read_capped;
use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;

/// The file only export writes into a bundle folder (and the comment of a bundle zip).
pub const MARKER: &str = ".qa-wecom-bundle";

/// How many foreign files an error names (the rest are counted).
const NAMED_FILES: usize = 20;

/// The marker's content: which tool wrote the bundle.
fn marker_text() -> String {
    format!("qa-wecom-setup bundle {}\n", env!("CARGO_PKG_VERSION"))
}

fn is_marker(text: &[u8]) -> bool {
    text.starts_with(b"qa-wecom-setup bundle ")
}

fn write_err(path: &Path) -> impl FnOnce(std::io::Error) -> BundleError + '_ {
    move |source| BundleError::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// The folders of a bundle (`a/b/c.txt` → `a`, `a/b`), each with its mode.
fn folders(bundle: &Bundle) -> BTreeSet<(String, u32)> {
    let mut out = BTreeSet::new();
    for f in &bundle.files {
        let mut prefix = String::new();
        let parts: Vec<&str> = f.path.split('/').collect();
        for part in &parts[..parts.len().saturating_sub(1)] {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(part);
            let secret = prefix == SECRETS_DIR || prefix.starts_with("secrets/");
            out.insert((prefix.clone(), if secret { 0o700 } else { 0o755 }));
        }
    }
    out
}

/// Every file (anything but a folder) under `root`, relative with `/`, links not followed.
fn files_under(root: &Path) -> std::io::Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                stack.push(entry.path());
            } else if let Ok(rel) = entry.path().strip_prefix(root) {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The paths a bundle's `SHA256SUMS` lists.
fn listed_in_sums(dir: &Path) -> BTreeSet<String> {
    let text = read_capped(&dir.join("SHA256SUMS"), crate::fsread::MAX_PLAN_BYTES)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    text.lines()
        .filter_map(|l| l.split_once("  ").map(|(_, p)| p.to_owned()))
        .collect()
}

/// Refuses to replace `dir` unless it is missing, holds no file, or is a previous bundle (the
/// marker, and only files its `SHA256SUMS` lists; others only with `force`).
fn check_replaceable(dir: &Path, force: bool) -> Result<(), BundleError> {
    let Ok(meta) = std::fs::symlink_metadata(dir) else {
        return Ok(());
    };
    let foreign = |files: Vec<String>| BundleError::TargetNotABundle {
        path: dir.to_path_buf(),
        files,
    };
    if !meta.is_dir() {
        return Err(foreign(Vec::new()));
    }
    let files = files_under(dir).map_err(write_err(dir))?;
    if files.is_empty() {
        return Ok(());
    }
    let marked = read_capped(&dir.join(MARKER), 4096).is_ok_and(|t| is_marker(&t));
    if !marked {
        return Err(foreign(files));
    }
    let listed = listed_in_sums(dir);
    let added: Vec<String> = files
        .into_iter()
        .filter(|f| f != MARKER && f != "SHA256SUMS" && !listed.contains(f))
        .collect();
    if added.is_empty() || force {
        return Ok(());
    }
    Err(BundleError::BundleHasOtherFiles {
        path: dir.to_path_buf(),
        files: added,
    })
}

/// `files` for a message: the first [`NAMED_FILES`], then how many more.
pub fn name_files(files: &[String]) -> String {
    let mut shown = files
        .iter()
        .take(NAMED_FILES)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if files.len() > NAMED_FILES {
        shown.push_str(&format!(" (+{})", files.len() - NAMED_FILES));
    }
    shown
}

/// Writes every file into `root` (which exists and is empty).
fn fill(bundle: &Bundle, root: &Path) -> std::io::Result<()> {
    for (folder, mode) in folders(bundle) {
        let p = root.join(&folder);
        std::fs::create_dir_all(&p)?;
        set_mode(&p, mode)?;
    }
    for f in &bundle.files {
        let p = root.join(&f.path);
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&p)?;
        // Restrict before writing, so a secret is never readable by others, even briefly.
        set_mode(&p, f.mode())?;
        file.write_all(&f.contents)?;
        file.sync_all()?;
    }
    std::fs::write(root.join(MARKER), marker_text())?;
    set_mode(root, 0o755)?;
    Ok(())
}

/// Writes the bundle as the folder `dir`. If `dir` exists it must hold no file or be a previous
/// bundle (with a file the user added only if `force`); it is replaced only once the new bundle
/// is complete.
pub fn write_dir(bundle: &Bundle, dir: &Path, force: bool) -> Result<(), BundleError> {
    check_replaceable(dir, force)?;
    let parent = parent_dir(dir);
    create_parent(dir).map_err(write_err(dir))?;
    let tmp = tempfile::Builder::new()
        .prefix(".qa-wecom-bundle.")
        .tempdir_in(&parent)
        .map_err(write_err(dir))?;
    // On any error below, `tmp` is removed when dropped.
    fill(bundle, tmp.path()).map_err(write_err(dir))?;
    let new_path = tmp.keep();
    let swap = |new_path: &PathBuf| -> std::io::Result<()> {
        if dir.exists() {
            let old = tempfile::Builder::new()
                .prefix(".qa-wecom-bundle-old.")
                .tempdir_in(&parent)?
                .keep();
            // rename(2) replaces the empty placeholder folder.
            std::fs::rename(dir, &old)?;
            if let Err(e) = std::fs::rename(new_path, dir) {
                let _ = std::fs::rename(&old, dir);
                return Err(e);
            }
            let _ = std::fs::remove_dir_all(&old);
        } else {
            std::fs::rename(new_path, dir)?;
        }
        Ok(())
    };
    if let Err(e) = swap(&new_path) {
        let _ = std::fs::remove_dir_all(&new_path);
        return Err(write_err(dir)(e));
    }
    sync_dir(&parent);
    Ok(())
}

/// Whether `path` is a zip that export wrote (its comment is the marker).
fn is_bundle_zip(path: &Path) -> bool {
    std::fs::File::open(path)
        .ok()
        .and_then(|f| zip::ZipArchive::new(f).ok())
        .is_some_and(|z| is_marker(z.comment()))
}

/// Writes the bundle as the zip file `path` (mode 0600: it holds `secrets/`), atomically. An
/// existing file there is replaced only if export wrote it, or with `force`.
pub fn write_zip(bundle: &Bundle, path: &Path, force: bool) -> Result<(), BundleError> {
    if let Ok(meta) = std::fs::symlink_metadata(path)
        && !(meta.is_file() && (force || is_bundle_zip(path)))
    {
        return Err(BundleError::TargetExists {
            path: path.to_path_buf(),
        });
    }
    create_parent(path).map_err(write_err(path))?;
    // Built in memory (the bundle already is): a write error then reaches the caller alone, not
    // glued to the zip writer's "ZipWriter::drop: failed to finalize archive" on stderr.
    let archive = zip_archive(bundle).map_err(write_err(path))?;
    write_atomic_with(path, 0o600, |file| file.write_all(&archive)).map_err(write_err(path))
}

/// The bundle as the bytes of a zip file, marked with the marker as its comment.
fn zip_archive(bundle: &Bundle) -> std::io::Result<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let base = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (folder, mode) in folders(bundle) {
        zip.add_directory(format!("{folder}/"), base.unix_permissions(mode))
            .map_err(std::io::Error::other)?;
    }
    for f in &bundle.files {
        zip.start_file(f.path.as_str(), base.unix_permissions(f.mode()))
            .map_err(std::io::Error::other)?;
        zip.write_all(&f.contents)?;
    }
    zip.set_comment(marker_text().trim_end())
        .map_err(std::io::Error::other)?;
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::BundleFile;

    /// A disk that takes `room` bytes, then is full.
    struct FullDisk {
        room: usize,
    }

    impl std::io::Write for FullDisk {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.room == 0 {
                return Err(std::io::Error::from_raw_os_error(28));
            }
            let n = buf.len().min(self.room);
            self.room -= n;
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_full_disk_under_a_zip_is_the_disk_error_alone() {
        let bundle = Bundle {
            files: vec![BundleFile::new("README.md", vec![b'x'; 64 * 1024])],
        };
        let archive = zip_archive(&bundle).expect("built in memory");
        let zip = zip::ZipArchive::new(std::io::Cursor::new(archive.clone())).expect("a zip");
        assert!(is_marker(zip.comment()));
        // What write_zip hands the file: finished bytes; the disk error comes back unwrapped.
        let err = FullDisk { room: 10 }
            .write_all(&archive)
            .expect_err("disk full");
        assert_eq!(err.raw_os_error(), Some(28));
        assert!(!err.to_string().contains("ZipWriter"), "{err}");
    }
}
