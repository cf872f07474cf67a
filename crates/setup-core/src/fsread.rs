//! Reading the files a user names (plan, secrets file, PEM, reports) safely: only a regular file
//! is opened for reading (a FIFO would block forever, `/dev/zero` never ends), it is opened
//! without blocking, and at most `cap` bytes are read; a bigger file is an error, not a gigabyte
//! in memory.

use std::io::{self, Read as _};
use std::path::Path;

/// Plans and secrets files: 1 MiB.
pub const MAX_PLAN_BYTES: u64 = 1024 * 1024;
/// PEM files (certificates, keys, CSRs, CA bundles): 1 MiB.
pub const MAX_PEM_BYTES: u64 = 1024 * 1024;
/// Reports (`--report`, support pack reports): 16 MiB.
pub const MAX_REPORT_BYTES: u64 = 16 * 1024 * 1024;

/// Why [`read_capped`] refused a path that exists.
#[derive(Debug, thiserror::Error)]
pub enum ReadRefused {
    #[error("it is not a regular file")]
    NotAFile,
    #[error("it is larger than {} KiB", .0 / 1024)]
    TooLarge(u64),
}

/// Reads `path` if it is a regular file of at most `cap` bytes. A refusal is an
/// [`io::ErrorKind::InvalidInput`] error wrapping [`ReadRefused`], so callers keep one error type.
pub fn read_capped(path: &Path, cap: u64) -> io::Result<Vec<u8>> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        // Opening a FIFO for reading blocks until a writer comes: never wait for one.
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let file = opts.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            ReadRefused::NotAFile,
        ));
    }
    let mut buf = Vec::new();
    file.take(cap + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > cap {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            ReadRefused::TooLarge(cap),
        ));
    }
    Ok(buf)
}

/// Like [`read_capped`], as UTF-8 text (invalid UTF-8 is [`io::ErrorKind::InvalidData`]).
pub fn read_capped_string(path: &Path, cap: u64) -> io::Result<String> {
    String::from_utf8(read_capped(path, cap)?)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.utf8_error()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(e: &io::Error) -> Option<&ReadRefused> {
        e.get_ref().and_then(|r| r.downcast_ref::<ReadRefused>())
    }

    #[test]
    fn a_small_regular_file_is_read_whole() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let p = dir.path().join("a.toml");
        std::fs::write(&p, "x = 1\n")?;
        assert_eq!(read_capped_string(&p, 100)?, "x = 1\n");
        Ok(())
    }

    #[test]
    fn a_file_over_the_cap_is_refused_after_cap_plus_one_bytes() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let p = dir.path().join("big");
        std::fs::write(&p, vec![b'a'; 101])?;
        let e = read_capped(&p, 100)
            .err()
            .ok_or_else(|| io::Error::other("read"))?;
        assert!(
            matches!(refused(&e), Some(ReadRefused::TooLarge(100))),
            "{e}"
        );
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn dev_zero_and_a_fifo_are_refused_at_once() -> io::Result<()> {
        let e = read_capped(Path::new("/dev/zero"), MAX_PLAN_BYTES)
            .err()
            .ok_or_else(|| io::Error::other("read /dev/zero"))?;
        assert!(matches!(refused(&e), Some(ReadRefused::NotAFile)), "{e}");
        let dir = tempfile::tempdir()?;
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status()?;
        assert!(made.success());
        let (tx, rx) = std::sync::mpsc::channel();
        let f = fifo.clone();
        std::thread::spawn(move || {
            let _ = tx.send(
                read_capped(&f, MAX_PLAN_BYTES)
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
            );
        });
        let got = rx
            .recv_timeout(std::time::Duration::from_secs(5))
            .map_err(|_| io::Error::other("reading a FIFO hung"))?;
        assert!(got.is_err_and(|e| e.contains("not a regular file")));
        Ok(())
    }
}
