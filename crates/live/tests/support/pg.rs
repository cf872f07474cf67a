//! A throwaway PostgreSQL cluster for tests, from the distribution's binaries
//! (`/usr/lib/postgresql/<version>/bin`, or `$PG_BIN`).
//!
//! [`PgCluster::start`] initialises a cluster in a temporary directory and starts it on a free
//! loopback port with TLS on (a test CA and a server certificate for `localhost` / `127.0.0.1`),
//! password (SCRAM) authentication over TCP, and:
//! - the login role [`ROLE`] / [`PASSWORD`];
//! - the databases [`UTF8_DB`], [`SQL_ASCII_DB`] and [`LATIN1_DB`] (encodings as named);
//! - the role [`DENIED_ROLE`], which `pg_hba.conf` rejects (SQLSTATE 28000).
//!
//! Running as root (as CI does), every PostgreSQL binary runs as the user `postgres` through
//! `runuser`. Dropping the value stops the server (`pg_ctl stop -m immediate`) and deletes the
//! directory — also when a test panics. Include it with `#[path = "support/pg.rs"] mod pg;`.

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const ROLE: &str = "qa_check";
pub const PASSWORD: &str = "Pg-test-PASSWORD-4e1b9c";
pub const DENIED_ROLE: &str = "qa_denied";
pub const UTF8_DB: &str = "qa_utf8";
pub const SQL_ASCII_DB: &str = "qa_sql_ascii";
pub const LATIN1_DB: &str = "qa_latin1";

/// A running cluster; stopped and deleted on drop.
pub struct PgCluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    as_postgres: bool,
    port: u16,
    started: bool,
}

impl PgCluster {
    /// Initialises and starts a cluster, or explains why it could not.
    pub fn start() -> Result<Self, String> {
        let bin = find_bin()?;
        let as_postgres = is_root();
        let dir = tempfile::Builder::new()
            .prefix("qa-wecom-pg-")
            .tempdir()
            .map_err(|e| format!("temp dir: {e}"))?;
        let mut cluster = Self {
            dir,
            bin,
            as_postgres,
            port: 0,
            started: false,
        };
        cluster.init()?;
        // A free port can be taken between probing and binding: try a few.
        let mut last = String::new();
        for _ in 0..3 {
            cluster.port = free_port()?;
            match cluster.pg_ctl_start() {
                Ok(()) => {
                    cluster.started = true;
                    cluster.create_objects()?;
                    return Ok(cluster);
                }
                Err(e) => last = e,
            }
        }
        Err(format!(
            "PostgreSQL did not start: {last}\n{}",
            cluster.server_log()
        ))
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `postgresql://ROLE:PASSWORD@127.0.0.1:PORT/db` (with the query appended if not empty).
    pub fn url(&self, db: &str, query: &str) -> String {
        self.url_as(ROLE, Some(PASSWORD), db, query)
    }

    /// A URL for any user, with or without a password.
    pub fn url_as(&self, user: &str, password: Option<&str>, db: &str, query: &str) -> String {
        let userinfo = match password {
            Some(p) => format!("{user}:{p}"),
            None => user.to_owned(),
        };
        let query = if query.is_empty() {
            String::new()
        } else {
            format!("?{query}")
        };
        format!(
            "postgresql://{userinfo}@127.0.0.1:{}/{db}{query}",
            self.port
        )
    }

    /// The PEM file of the CA that signed the server certificate.
    pub fn ca_cert(&self) -> PathBuf {
        self.dir.path().join("ca.crt")
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn server_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    /// Runs a PostgreSQL binary (as `postgres` when we are root).
    fn run(&self, program: &str, args: &[&str]) -> Result<Output, String> {
        let exe = self.bin.join(program);
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        cmd.args(args)
            .env("LC_ALL", "C")
            .env_remove("PGPASSWORD")
            .env_remove("PGHOST")
            .env_remove("PGPORT")
            .current_dir(self.dir.path());
        let out = cmd.output().map_err(|e| format!("{program}: {e}"))?;
        if out.status.success() {
            Ok(out)
        } else {
            Err(format!(
                "{program} {args:?} failed: {}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }

    fn init(&self) -> Result<(), String> {
        self.write_tls_files()?;
        if self.as_postgres {
            let out = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(self.dir.path())
                .output()
                .map_err(|e| format!("chown: {e}"))?;
            if !out.status.success() {
                return Err(format!("chown: {}", String::from_utf8_lossy(&out.stderr)));
            }
        }
        let data = self.data();
        let data = data.to_string_lossy();
        self.run(
            "initdb",
            &[
                "-D",
                &data,
                "-U",
                "postgres",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
        )?;
        // The denied role is rejected before any other rule.
        let hba_path = self.data().join("pg_hba.conf");
        let hba = std::fs::read_to_string(&hba_path).map_err(|e| format!("pg_hba.conf: {e}"))?;
        std::fs::write(
            &hba_path,
            format!("host all {DENIED_ROLE} 127.0.0.1/32 reject\n{hba}"),
        )
        .map_err(|e| format!("pg_hba.conf: {e}"))?;
        Ok(())
    }

    /// A test CA and a server certificate for localhost / 127.0.0.1, owner-only key.
    fn write_tls_files(&self) -> Result<(), String> {
        use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
        let err = |e: rcgen::Error| format!("rcgen: {e}");
        let ca_key = KeyPair::generate().map_err(err)?;
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(err)?;
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "qa-wecom test CA");
        let ca = CertifiedIssuer::self_signed(ca_params, ca_key).map_err(err)?;
        let key = KeyPair::generate().map_err(err)?;
        let params = CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
            .map_err(err)?;
        let cert = params.signed_by(&key, &ca).map_err(err)?;
        let dir = self.dir.path();
        let write = |name: &str, text: String| {
            std::fs::write(dir.join(name), text).map_err(|e| format!("{name}: {e}"))
        };
        write("ca.crt", ca.pem())?;
        write("server.crt", cert.pem())?;
        write("server.key", key.serialize_pem())?;
        set_mode(&dir.join("server.key"), 0o600)
    }

    fn pg_ctl_start(&self) -> Result<(), String> {
        let dir = self.dir.path().to_string_lossy().into_owned();
        let options = format!(
            "-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={dir} \
             -c ssl=on -c ssl_cert_file={dir}/server.crt -c ssl_key_file={dir}/server.key \
             -c fsync=off -c max_connections=20",
            port = self.port
        );
        let data = self.data().to_string_lossy().into_owned();
        let log = format!("{dir}/server.log");
        self.run(
            "pg_ctl",
            &[
                "-D", &data, "-l", &log, "-w", "-t", "60", "-o", &options, "start",
            ],
        )
        .map(|_| ())
    }

    fn create_objects(&self) -> Result<(), String> {
        let dir = self.dir.path().to_string_lossy().into_owned();
        let port = self.port.to_string();
        let statements = [
            format!("CREATE ROLE {ROLE} LOGIN PASSWORD '{PASSWORD}'"),
            format!("CREATE ROLE {DENIED_ROLE} LOGIN PASSWORD '{PASSWORD}'"),
            format!("CREATE DATABASE {UTF8_DB} OWNER {ROLE} ENCODING 'UTF8' TEMPLATE template0"),
            format!(
                "CREATE DATABASE {SQL_ASCII_DB} OWNER {ROLE} ENCODING 'SQL_ASCII' TEMPLATE template0"
            ),
            format!(
                "CREATE DATABASE {LATIN1_DB} OWNER {ROLE} ENCODING 'LATIN1' TEMPLATE template0"
            ),
        ];
        let mut args: Vec<&str> = vec![
            "-X",
            "-q",
            "-h",
            &dir,
            "-p",
            &port,
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-v",
            "ON_ERROR_STOP=1",
        ];
        for s in &statements {
            args.push("-c");
            args.push(s);
        }
        self.run("psql", &args).map(|_| ())
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        if self.started {
            let data = self.data().to_string_lossy().into_owned();
            let _ = self.run("pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"]);
        }
    }
}

fn set_mode(path: &Path, mode: u32) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| format!("chmod {}: {e}", path.display()))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("free port: {e}"))
}

/// `$PG_BIN`, else the newest `/usr/lib/postgresql/<n>/bin` that has `initdb`.
fn find_bin() -> Result<PathBuf, String> {
    if let Some(bin) = std::env::var_os("PG_BIN") {
        return Ok(PathBuf::from(bin));
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|e| {
            format!(
                "PostgreSQL is not installed (/usr/lib/postgresql: {e}); apt-get install postgresql"
            )
        })?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = entry.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    found.sort();
    found
        .pop()
        .map(|(_, bin)| bin)
        .ok_or_else(|| "no /usr/lib/postgresql/<version>/bin/initdb found".to_owned())
}
