//! The database check's diagnoses, each with a summary and a fix in English and Simplified Chinese.
//! The encoding texts follow the vendor manual §5.1: SQL_ASCII breaks QA's scheduled WeCom import
//! on Unicode data, and a database's encoding cannot be changed after it is created.

use setup_core::report::{Finding as Diagnosis, Params, Severity};
use setup_core::text::Text;

use super::DbDiagnosisCode as Code;

/// Where the bundle keeps the creation SQL (setup-core writes it).
pub const CREATE_SQL_PATH: &str = "database/create-analysis-db.sql";

fn diag(code: Code, summary: String, fix: String, summary_zh: String, fix_zh: String) -> Diagnosis {
    let severity = match code {
        Code::Ok => Severity::Info,
        Code::EncodingNotUtf8 => Severity::Warning,
        _ => Severity::Error,
    };
    Diagnosis::new(
        code,
        severity,
        Text::new(summary, summary_zh),
        Text::new(fix, fix_zh),
        Params::new(),
    )
}

pub fn ok() -> Diagnosis {
    diag(
        Code::Ok,
        "The database uses UTF8: QA can import WeCom data into it.".into(),
        "Nothing to do.".into(),
        "数据库编码为 UTF8：QA 可以向其中导入企业微信数据。".into(),
        "无需处理。".into(),
    )
}

pub fn sql_ascii() -> Diagnosis {
    diag(
        Code::EncodingSqlAscii,
        "The database encoding is SQL_ASCII: QA's scheduled WeCom import fails when it parses the \
         Unicode in WeCom data (names, emoji)."
            .into(),
        format!(
            "A database's encoding cannot be changed after it is created. Create a new database with \
             UTF8 encoding — run the bundle's {CREATE_SQL_PATH} (CREATE DATABASE … ENCODING 'UTF8' … \
             TEMPLATE template0) — and point QA's analysis source at it (manual §5.1)."
        ),
        "数据库编码为 SQL_ASCII：QA 的企业微信定时导入任务在解析企业微信数据中的 Unicode 字符（姓名、表情等）时\
         会报错，导致任务失败。"
            .into(),
        format!(
            "数据库创建后无法修改字符编码。请执行部署包中的 {CREATE_SQL_PATH} 新建一个 UTF8 编码的数据库\
             （CREATE DATABASE … ENCODING 'UTF8' … TEMPLATE template0），并将 QA 的分析源指向它（手册 §5.1）。"
        ),
    )
}

pub fn not_utf8(encoding: &str) -> Diagnosis {
    diag(
        Code::EncodingNotUtf8,
        format!(
            "The database encoding is {encoding}, not UTF8: some WeCom data (names, emoji) may not fit."
        ),
        format!(
            "QA expects UTF8. The encoding cannot be changed after creation: create a new UTF8 database \
             with the bundle's {CREATE_SQL_PATH} and point QA's analysis source at it (manual §5.1)."
        ),
        format!(
            "数据库编码为 {encoding} 而不是 UTF8：部分企业微信数据（姓名、表情等）可能无法存储。"
        ),
        format!(
            "QA 需要 UTF8 编码。数据库创建后无法修改编码：请用部署包中的 {CREATE_SQL_PATH} 新建 UTF8 数据库，\
             并将 QA 的分析源指向它（手册 §5.1）。"
        ),
    )
}

pub fn connect_refused(addr: &str) -> Diagnosis {
    diag(
        Code::ConnectRefused,
        format!("Nothing accepts connections at {addr}."),
        "Check the host and port in the URL (PostgreSQL listens on 5432 by default; GaussDB \
         instances often on 8000), that the server is running, and that its security group or \
         firewall admits this machine."
            .into(),
        format!("{addr} 拒绝连接。"),
        "请检查 URL 中的主机和端口（PostgreSQL 默认 5432，GaussDB 实例常用 8000）、数据库是否在运行，\
         以及安全组或防火墙是否放行本机。"
            .into(),
    )
}

pub fn dns_failed(host: &str) -> Diagnosis {
    diag(
        Code::DnsFailed,
        format!("The host name {host} did not resolve."),
        "Check the host name in the URL and this machine's DNS.".into(),
        format!("无法解析主机名 {host}。"),
        "请检查 URL 中的主机名以及本机的 DNS 设置。".into(),
    )
}

pub fn timeout(addr: &str, ms: u64) -> Diagnosis {
    diag(
        Code::Timeout,
        format!("No answer from {addr} within {ms} ms."),
        "A firewall or security group may be dropping the connection, or the address is not a \
         database server: check the address and the network path."
            .into(),
        format!("{ms} 毫秒内没有收到 {addr} 的响应。"),
        "可能有防火墙或安全组丢弃了连接，或该地址不是数据库服务器：请检查地址和网络路径。".into(),
    )
}

pub fn connect_failed(addr: &str, message: &str) -> Diagnosis {
    diag(
        Code::ConnectFailed,
        format!("Could not talk to the database at {addr}: {message}."),
        "Check the address in the URL and the network path to the database.".into(),
        format!("无法与 {addr} 上的数据库通信：{message}。"),
        "请检查 URL 中的地址以及到数据库的网络路径。".into(),
    )
}

pub fn auth_failed(user: &str) -> Diagnosis {
    diag(
        Code::AuthFailed,
        format!("Password authentication failed for user {user} (SQLSTATE 28P01)."),
        "Check the user name and the password. The password can be given in the URL, in the \
         PGPASSWORD environment variable, or at the prompt."
            .into(),
        format!("用户 {user} 的密码认证失败（SQLSTATE 28P01）。"),
        "请检查用户名和密码。密码可以写在 URL 中、放在环境变量 PGPASSWORD 中，或在提示时输入。"
            .into(),
    )
}

pub fn password_missing() -> Diagnosis {
    diag(
        Code::PasswordMissing,
        "The server asks for a password and none was given.".into(),
        "Give it in the URL (postgresql://user:password@host/db), in the PGPASSWORD environment \
         variable, or run the command in a terminal to be prompted."
            .into(),
        "服务器要求密码，但没有提供密码。".into(),
        "请在 URL 中提供（postgresql://user:password@host/db）、设置环境变量 PGPASSWORD，或在终端中运行以便\
         提示输入。"
            .into(),
    )
}

pub fn database_missing(db: &str) -> Diagnosis {
    diag(
        Code::DatabaseMissing,
        format!("The database {db} does not exist (SQLSTATE 3D000)."),
        format!(
            "Check the database name in the URL, or create it with UTF8 encoding using the bundle's \
             {CREATE_SQL_PATH}."
        ),
        format!("数据库 {db} 不存在（SQLSTATE 3D000）。"),
        format!("请检查 URL 中的数据库名，或使用部署包中的 {CREATE_SQL_PATH} 以 UTF8 编码创建它。"),
    )
}

pub fn access_denied(message: &str) -> Diagnosis {
    diag(
        Code::AccessDenied,
        format!("The server refused the connection: {message} (SQLSTATE 28000)."),
        "Admit this client in the server's access rules (pg_hba.conf, or the GaussDB instance's \
         client whitelist) and check that the user exists."
            .into(),
        format!("服务器拒绝了连接：{message}（SQLSTATE 28000）。"),
        "请在服务器的访问规则（pg_hba.conf 或 GaussDB 实例的客户端白名单）中放行本机，并确认该用户存在。".into(),
    )
}

pub fn tls_unavailable() -> Diagnosis {
    diag(
        Code::TlsUnavailable,
        "The server does not offer TLS, but the sslmode requires it.".into(),
        "Enable SSL on the database, or use sslmode=prefer (or disable) if unencrypted connections \
         are acceptable on this network."
            .into(),
        "服务器不支持 TLS，但 sslmode 要求加密连接。".into(),
        "请在数据库上开启 SSL；如果该网络允许不加密的连接，也可改用 sslmode=prefer（或 disable）。".into(),
    )
}

pub fn tls_failed(message: &str) -> Diagnosis {
    diag(
        Code::TlsFailed,
        format!("The TLS handshake with the database failed: {message}."),
        "With sslmode=verify-ca or verify-full, give the server's CA certificate with \
         sslrootcert=FILE (for GaussDB, download it from the instance's console); verify-full also \
         needs the host in the URL to match the certificate."
            .into(),
        format!("与数据库的 TLS 握手失败：{message}。"),
        "使用 sslmode=verify-ca 或 verify-full 时，请用 sslrootcert=文件 指定服务器的 CA 证书（GaussDB 可在实例\
         控制台下载）；verify-full 还要求 URL 中的主机与证书一致。"
            .into(),
    )
}

pub fn server_error(code: &str, message: &str) -> Diagnosis {
    diag(
        Code::ServerError,
        format!("The database refused: {message} (SQLSTATE {code})."),
        "Read the server's message above; ask the database administrator if it is not clear."
            .into(),
        format!("数据库拒绝了请求：{message}（SQLSTATE {code}）。"),
        "请参考上面的服务器信息；如不明确，请联系数据库管理员。".into(),
    )
}
