//! Writing a built bundle: to a folder (built in a temporary sibling folder, then renamed into
//! place; a previous bundle there is swapped out and removed only after the new one is in place)
//! or to a zip (a temporary file renamed over the target). Nothing is ever half-written.

use super::{Bundle, BundleError, SECRETS_DIR};
use crate::atomic::{parent_dir, set_mode, sync_dir, write_atomic_with};
use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;

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

/// A folder we may replace: empty, or a previous bundle (it has `SHA256SUMS` and `plan.toml`).
fn replaceable(dir: &Path) -> bool {
    if !dir.is_dir() {
        return false;
    }
    let empty = std::fs::read_dir(dir)
        .map(|mut rd| rd.next().is_none())
        .unwrap_or(false);
    empty || (dir.join("SHA256SUMS").is_file() && dir.join("plan.toml").is_file())
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
    set_mode(root, 0o755)?;
    Ok(())
}

/// Writes the bundle as the folder `dir`. If `dir` exists it must be empty or a previous bundle;
/// it is replaced only once the new bundle is complete.
pub fn write_dir(bundle: &Bundle, dir: &Path) -> Result<(), BundleError> {
    if dir.exists() && !replaceable(dir) {
        return Err(BundleError::TargetNotABundle {
            path: dir.to_path_buf(),
        });
    }
    let parent = parent_dir(dir);
    std::fs::create_dir_all(&parent).map_err(write_err(dir))?;
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

/// Writes the bundle as the zip file `path` (mode 0600: it holds `secrets/`), atomically.
pub fn write_zip(bundle: &Bundle, path: &Path) -> Result<(), BundleError> {
    let parent = parent_dir(path);
    std::fs::create_dir_all(&parent).map_err(write_err(path))?;
    write_atomic_with(path, 0o600, |file| {
        let mut zip = zip::ZipWriter::new(file);
        let base =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (folder, mode) in folders(bundle) {
            zip.add_directory(format!("{folder}/"), base.unix_permissions(mode))
                .map_err(std::io::Error::other)?;
        }
        for f in &bundle.files {
            zip.start_file(f.path.as_str(), base.unix_permissions(f.mode()))
                .map_err(std::io::Error::other)?;
            zip.write_all(&f.contents)?;
        }
        zip.finish().map_err(std::io::Error::other)?;
        Ok(())
    })
    .map_err(write_err(path))
}
