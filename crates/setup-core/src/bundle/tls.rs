//! The bundle's TLS files: the certificate chain and CSR go to `tls/` (only their certificate /
//! request blocks, so a combined file never leaks its key), with SHA-256 fingerprints of the
//! certificates; the private key goes to `secrets/tls/`, never to `tls/`.

use super::{BundleError, BundleFile, resolve};
use crate::tls::pem::select;
use crate::validate::{CheckedPlan, CheckedSecrets, PrivateKey};
use std::path::Path;

pub(crate) const CERTIFICATE: &str = "tls/certificate.pem";
pub(crate) const CSR: &str = "tls/request.csr";
pub(crate) const FINGERPRINTS: &str = "tls/fingerprints.txt";
pub(crate) const PRIVATE_KEY: &str = "secrets/tls/private.key";

/// PEM files are small; anything bigger is not one.
use crate::fsread::MAX_PEM_BYTES;

/// The TLS files of a bundle and which ones are present.
pub(crate) struct TlsFiles {
    pub files: Vec<BundleFile>,
    pub certificate: bool,
    pub csr: bool,
    pub key: bool,
}

fn read_pem(path: &Path) -> Result<String, BundleError> {
    let err = |source| BundleError::TlsRead {
        path: path.to_path_buf(),
        source,
    };
    let bytes = crate::fsread::read_capped(path, MAX_PEM_BYTES).map_err(err)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn pick(
    path: &Path,
    text: &str,
    expected: &'static str,
    keep: impl Fn(&str) -> bool,
) -> Result<String, BundleError> {
    select(text, keep).ok_or_else(|| BundleError::TlsContent {
        path: path.to_path_buf(),
        expected,
    })
}

/// Reads and sorts the TLS material the plan and secrets name.
pub(crate) fn collect(
    plan: &CheckedPlan,
    secrets: &CheckedSecrets,
    plan_dir: &Path,
    secrets_dir: &Path,
) -> Result<TlsFiles, BundleError> {
    let mut out = TlsFiles {
        files: Vec::new(),
        certificate: false,
        csr: false,
        key: false,
    };
    if !plan.tls.mode.uses_tls() {
        return Ok(out);
    }
    if let Some(file) = &plan.tls.certificate_file {
        let path = resolve(plan_dir, file);
        let chain = pick(&path, &read_pem(&path)?, "CERTIFICATE", |l| {
            l == "CERTIFICATE"
        })?;
        let mut fps = String::from(
            "# SHA-256 fingerprints of tls/certificate.pem, leaf first (openssl x509 -noout -fingerprint -sha256)\n\
             # tls/certificate.pem 中各证书的 SHA-256 指纹，叶子证书在前\n",
        );
        let certs = crate::tls::chain_fingerprints(chain.as_bytes()).map_err(|_| {
            BundleError::TlsContent {
                path: path.clone(),
                expected: "valid CERTIFICATE",
            }
        })?;
        for c in certs {
            fps.push_str(&format!("{}  {}  {}\n", c.position, c.sha256, c.subject));
        }
        out.files.push(BundleFile::new(CERTIFICATE, chain));
        out.files.push(BundleFile::new(FINGERPRINTS, fps));
        out.certificate = true;
    }
    if let Some(file) = &plan.tls.csr_file {
        let path = resolve(plan_dir, file);
        let csr = pick(&path, &read_pem(&path)?, "CERTIFICATE REQUEST", |l| {
            l.ends_with("CERTIFICATE REQUEST")
        })?;
        out.files.push(BundleFile::new(CSR, csr));
        out.csr = true;
    }
    let key = match &secrets.private_key {
        Some(PrivateKey::File(file)) => {
            let path = resolve(secrets_dir, file);
            Some(pick(&path, &read_pem(&path)?, "PRIVATE KEY", |l| {
                l.ends_with("PRIVATE KEY")
            })?)
        }
        Some(PrivateKey::Pem(pem)) => Some(pick(
            Path::new("secrets.toml: tls.private_key_pem"),
            pem.expose(),
            "PRIVATE KEY",
            |l| l.ends_with("PRIVATE KEY"),
        )?),
        None => None,
    };
    if let Some(key) = key {
        out.files.push(BundleFile::new(PRIVATE_KEY, key));
        out.key = true;
    }
    Ok(out)
}
