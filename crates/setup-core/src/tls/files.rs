//! TLS files on disk: reading PEM files (size-capped, errors as `parse_error` findings), and
//! writing generated material: private keys owner-only (0600, atomically), never over an existing
//! file unless asked.

use super::findings::Finding;
use super::generate::{CsrMaterial, SelfSignedMaterial};
use super::inspect::{InspectInput, Inspection, inspect, parse_error};
use super::trust::TrustStore;
use crate::atomic::{Batch, MODE_SECRET, MODE_SECRET_DIR, MODE_SHARED};
use crate::error_code::ErrorCode;
use serde::Serialize;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;
use ts_rs::TS;

/// A PEM certificate chain or key is a few KiB; anything above this is not one.
pub const MAX_PEM_FILE_BYTES: u64 = crate::fsread::MAX_PEM_BYTES;
/// The generated private key (PKCS#8 PEM, 0600).
pub const KEY_FILE: &str = "privkey.pem";
/// The generated certificate signing request.
pub const CSR_FILE: &str = "request.csr";
/// The self-signed demo key (0600).
pub const SELF_SIGNED_KEY_FILE: &str = "demo-only.key";
/// The self-signed demo certificate.
pub const SELF_SIGNED_CERT_FILE: &str = "demo-only.crt";
/// The note beside the self-signed pair.
pub const DEMO_NOTE_FILE: &str = "DEMO-ONLY.txt";

/// Why a TLS file could not be read or written.
#[derive(Debug, thiserror::Error, error_code_derive::ErrorCode)]
pub enum TlsFileError {
    #[error("{}: {source}", path.display())]
    #[code(TlsWriteFailed)]
    Io { path: PathBuf, source: io::Error },
    #[error("{} is larger than 1 MiB: not a PEM certificate or key", path.display())]
    #[code(TlsFileTooLarge)]
    TooLarge { path: PathBuf },
    #[error("{} already exists; choose another folder or allow overwriting", path.display())]
    #[code(TlsFileExists)]
    Exists { path: PathBuf },
}

impl TlsFileError {
    pub(crate) fn io(path: &Path, source: io::Error) -> Self {
        TlsFileError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Reads a PEM file, refusing anything over [`MAX_PEM_FILE_BYTES`].
pub fn read_pem_file(path: &Path) -> Result<Vec<u8>, TlsFileError> {
    crate::fsread::read_capped(path, MAX_PEM_FILE_BYTES).map_err(|e| {
        if matches!(
            e.get_ref()
                .and_then(|r| r.downcast_ref::<crate::fsread::ReadRefused>()),
            Some(crate::fsread::ReadRefused::TooLarge(_))
        ) {
            TlsFileError::TooLarge {
                path: path.to_path_buf(),
            }
        } else {
            TlsFileError::io(path, e)
        }
    })
}

/// A read failure as the `parse_error` finding of `file` (`cert`, `key`, `ca`).
fn read_finding(file: &str, e: &TlsFileError) -> Finding {
    let mut params = vec![("file", file.to_owned())];
    match e {
        TlsFileError::TooLarge { .. } => {
            params.push(("reason", "too_large".to_owned()));
            params.push(("limit", "1 MiB".to_owned()));
        }
        TlsFileError::Io { source, .. } => {
            params.push(("reason", "unreadable".to_owned()));
            params.push(("error", source.to_string()));
        }
        TlsFileError::Exists { .. } => params.push(("reason", "unreadable".to_owned())),
    }
    Finding::new(super::FindingCode::ParseError, params)
}

/// [`inspect`] on files: the chain, the key (optional), extra trust anchors (e.g. a company CA)
/// added to the bundled roots. Unreadable files become `parse_error` findings.
pub fn inspect_files(
    cert: &Path,
    key: Option<&Path>,
    ca_certs: &[PathBuf],
    domain: &str,
    now: SystemTime,
) -> Inspection {
    let mut trust = TrustStore::system();
    let mut ca_findings = Vec::new();
    for ca in ca_certs {
        match read_pem_file(ca) {
            Ok(pem) => {
                if let Err(e) = trust.add_pem(&pem) {
                    ca_findings.push(parse_error("ca", &e));
                }
            }
            Err(e) => ca_findings.push(read_finding("ca", &e)),
        }
    }
    let chain = match read_pem_file(cert) {
        Ok(c) => c,
        Err(e) => {
            let mut findings = vec![read_finding("cert", &e)];
            findings.extend(ca_findings);
            return Inspection::failed(domain, now, findings);
        }
    };
    let key_pem = match key.map(read_pem_file) {
        Some(Ok(k)) => Some(k),
        Some(Err(e)) => {
            ca_findings.push(read_finding("key", &e));
            None
        }
        None => None,
    };
    let input = InspectInput {
        chain_pem: &chain,
        key_pem: key_pem.as_deref(),
        domain,
    };
    let mut inspection = inspect(&input, &trust, now);
    inspection.extend(ca_findings);
    inspection
}

/// The files written for a CSR or a self-signed pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct WrittenFiles {
    pub private_key: PathBuf,
    pub csr: Option<PathBuf>,
    pub certificate: Option<PathBuf>,
    pub note: Option<PathBuf>,
}

/// Writes [`KEY_FILE`] (0600) and [`CSR_FILE`] into `dir` (created 0700 if missing), both or
/// neither.
pub fn write_csr(
    dir: &Path,
    material: &CsrMaterial,
    overwrite: bool,
) -> Result<WrittenFiles, TlsFileError> {
    let key = dir.join(KEY_FILE);
    let csr = dir.join(CSR_FILE);
    let files = [
        (
            &*key,
            material.private_key_pem.expose().as_bytes(),
            MODE_SECRET,
        ),
        (&*csr, material.csr_pem.as_bytes(), MODE_SHARED),
    ];
    let mut batch = Batch::new();
    stage_files(&mut batch, dir, &files, overwrite)?;
    batch.commit().map_err(|e| TlsFileError::io(dir, e))?;
    Ok(WrittenFiles {
        private_key: key,
        csr: Some(csr),
        certificate: None,
        note: None,
    })
}

/// Writes [`SELF_SIGNED_KEY_FILE`] (0600), [`SELF_SIGNED_CERT_FILE`] and [`DEMO_NOTE_FILE`], all
/// or none.
pub fn write_self_signed(
    dir: &Path,
    material: &SelfSignedMaterial,
    overwrite: bool,
) -> Result<WrittenFiles, TlsFileError> {
    let mut batch = Batch::new();
    let written = stage_self_signed(&mut batch, dir, material, overwrite)?;
    batch.commit().map_err(|e| TlsFileError::io(dir, e))?;
    Ok(written)
}

/// Stages the files of [`write_self_signed`] in `batch` (the folder is created, 0700, if missing).
pub fn stage_self_signed(
    batch: &mut Batch,
    dir: &Path,
    material: &SelfSignedMaterial,
    overwrite: bool,
) -> Result<WrittenFiles, TlsFileError> {
    let key = dir.join(SELF_SIGNED_KEY_FILE);
    let cert = dir.join(SELF_SIGNED_CERT_FILE);
    let note = dir.join(DEMO_NOTE_FILE);
    let note_text = demo_note(material);
    let files = [
        (
            &*key,
            material.private_key_pem.expose().as_bytes(),
            MODE_SECRET,
        ),
        (&*cert, material.cert_pem.as_bytes(), MODE_SHARED),
        (&*note, note_text.as_bytes(), MODE_SHARED),
    ];
    stage_files(batch, dir, &files, overwrite)?;
    Ok(WrittenFiles {
        private_key: key,
        csr: None,
        certificate: Some(cert),
        note: Some(note),
    })
}

/// Stages `files` (path, contents, mode) in `batch`, with their folder `dir` (0700) if it is
/// missing; refuses when one of them exists, unless `overwrite`.
fn stage_files(
    batch: &mut Batch,
    dir: &Path,
    files: &[(&Path, &[u8], u32)],
    overwrite: bool,
) -> Result<(), TlsFileError> {
    if !overwrite && let Some((existing, ..)) = files.iter().find(|(p, ..)| p.exists()) {
        return Err(TlsFileError::Exists {
            path: existing.to_path_buf(),
        });
    }
    batch
        .folder(dir, MODE_SECRET_DIR)
        .map_err(|e| TlsFileError::io(dir, e))?;
    for &(path, contents, mode) in files {
        batch
            .stage(path, contents, mode)
            .map_err(|e| TlsFileError::io(path, e))?;
    }
    Ok(())
}

/// The bilingual note written beside a self-signed pair.
pub fn demo_note(m: &SelfSignedMaterial) -> String {
    format!(
        "DEMO ONLY: self-signed certificate made by QA WeCom Setup.\n\
         WeCom will NOT trust it: do not use it for the real callback.\n\
         Names: {names}\nValid: {nb} .. {na}\nSHA-256: {fp}\n\n\
         仅供演示：由 QA WeCom Setup 生成的自签名证书。\n\
         企业微信不会信任它：请勿用于正式回调。\n",
        names = m.names.join(", "),
        nb = m.not_before,
        na = m.not_after,
        fp = m.sha256,
    )
}
