//! Loading and saving the plan and secrets files: version handling, parse errors that name the
//! line and column, atomic saves (the secrets file always 0600), and where the secrets file is.
//! Loading never writes anything.

use super::model::{PLAN_VERSION, Plan, SECRETS_VERSION, Secrets};
use super::render::{render_plan, render_secrets};
use crate::atomic::{MODE_SECRET, MODE_SHARED, write_atomic};
use crate::error_code::ErrorCode;
use crate::text::Text;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// Which of the two files an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Plan,
    Secrets,
}

impl FileKind {
    fn name(self) -> (&'static str, &'static str) {
        match self {
            FileKind::Plan => ("plan file", "计划文件"),
            FileKind::Secrets => ("secrets file", "密钥文件"),
        }
    }
}

/// Why a plan or secrets file could not be read, parsed or written.
#[derive(Debug, thiserror::Error, error_code_derive::ErrorCode)]
pub enum FileError {
    #[error("cannot read the {} {}: {source}", kind.name().0, path.display())]
    #[code(FileReadFailed)]
    Read {
        kind: FileKind,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write the {} {}: {source}", kind.name().0, path.display())]
    #[code(FileWriteFailed)]
    Write {
        kind: FileKind,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the {} is damaged at line {}, column {}: {message}", kind.name().0, at.line, at.column)]
    #[code(FileParseFailed)]
    Parse {
        kind: FileKind,
        /// The file, when it was read from disk (not for text given directly).
        path: Option<PathBuf>,
        at: Position,
        message: String,
    },
    #[error("the {} has no `version = {current}` line", kind.name().0)]
    #[code(FileVersionMissing)]
    VersionMissing { kind: FileKind, current: u32 },
    #[error("the {} is version {found}; this program reads up to version {supported}", kind.name().0)]
    #[code(FileVersionUnsupported)]
    VersionUnsupported {
        kind: FileKind,
        found: i64,
        supported: u32,
    },
    #[error("the secrets file {} does not exist", path.display())]
    #[code(SecretsFileMissing)]
    SecretsMissing { path: PathBuf },
}

impl FileError {
    /// The error with the file it came from (a parse error of text read from `path`).
    fn at(mut self, file: &Path) -> Self {
        if let FileError::Parse { path, .. } = &mut self {
            *path = Some(file.to_path_buf());
        }
        self
    }

    /// Which file it is about.
    pub fn kind(&self) -> FileKind {
        match self {
            FileError::Read { kind, .. }
            | FileError::Write { kind, .. }
            | FileError::Parse { kind, .. }
            | FileError::VersionMissing { kind, .. }
            | FileError::VersionUnsupported { kind, .. } => *kind,
            FileError::SecretsMissing { .. } => FileKind::Secrets,
        }
    }

    /// The values the message is built from, for a UI that translates by code.
    pub fn params(&self) -> BTreeMap<String, String> {
        let mut p = BTreeMap::new();
        match self {
            FileError::Read { path, source, .. } | FileError::Write { path, source, .. } => {
                p.insert("path".into(), path.display().to_string());
                p.insert("reason".into(), source.to_string());
            }
            FileError::SecretsMissing { path } => {
                p.insert("path".into(), path.display().to_string());
            }
            FileError::Parse {
                path, at, message, ..
            } => {
                if let Some(path) = path {
                    p.insert("path".into(), path.display().to_string());
                }
                p.insert("line".into(), at.line.to_string());
                p.insert("column".into(), at.column.to_string());
                p.insert("reason".into(), message.clone());
            }
            FileError::VersionMissing { current, .. } => {
                p.insert("current".into(), current.to_string());
            }
            FileError::VersionUnsupported {
                found, supported, ..
            } => {
                p.insert("found".into(), found.to_string());
                p.insert("supported".into(), supported.to_string());
            }
        }
        p
    }

    /// What is wrong and what to do, in both languages.
    pub fn text(&self) -> Text {
        let (en_kind, zh_kind) = self.kind().name();
        match self {
            FileError::Read { path, source, .. }
                if source.kind() == std::io::ErrorKind::InvalidData =>
            {
                Text::new(
                    format!(
                        "The {en_kind} {} is not UTF-8 text (a binary file, or text saved in another encoding). Save it as UTF-8, or choose the right file.",
                        path.display()
                    ),
                    format!(
                        "{zh_kind} {} 不是 UTF-8 文本（可能是二进制文件，或以其他编码保存）。请另存为 UTF-8，或选择正确的文件。",
                        path.display()
                    ),
                )
            }
            FileError::Read { path, source, .. } => Text::new(
                format!(
                    "Cannot read the {en_kind} {}: {source}. Check the path and that you may read it.",
                    path.display()
                ),
                format!(
                    "无法读取{zh_kind} {}：{source}。请检查路径和读取权限。",
                    path.display()
                ),
            ),
            FileError::Write { path, source, .. } => Text::new(
                format!(
                    "Cannot write the {en_kind} {}: {source}. The previous file, if any, is unchanged. Check free space and that you may write to the folder.",
                    path.display()
                ),
                format!(
                    "无法写入{zh_kind} {}：{source}。原有文件（如有）未被改动。请检查磁盘空间和目录写权限。",
                    path.display()
                ),
            ),
            FileError::Parse {
                path, at, message, ..
            } => {
                let Position { line, column } = at;
                let shown = path
                    .as_ref()
                    .map(|p| format!(" {}", p.display()))
                    .unwrap_or_default();
                Text::new(
                    format!(
                        "The {en_kind}{shown} is damaged at line {line}, column {column}: {message}. Fix that line in a text editor; nothing was changed on disk."
                    ),
                    format!(
                        "{zh_kind}{shown} 第 {line} 行第 {column} 列有误：{message}。请用文本编辑器修正该行；磁盘上的文件未被改动。"
                    ),
                )
            }
            FileError::VersionMissing { current, .. } => Text::new(
                format!(
                    "The {en_kind} has no version. Add the line `version = {current}` at the top."
                ),
                format!("{zh_kind}缺少版本号。请在文件开头添加 `version = {current}`。"),
            ),
            FileError::VersionUnsupported {
                found, supported, ..
            } => Text::new(
                format!(
                    "The {en_kind} is version {found}, written by a newer QA WeCom Setup; this one reads up to version {supported}. Update QA WeCom Setup."
                ),
                format!(
                    "{zh_kind}版本为 {found}，由更新版本的 QA WeCom Setup 写入；当前程序最多支持版本 {supported}。请升级 QA WeCom Setup。"
                ),
            ),
            FileError::SecretsMissing { path } => Text::new(
                format!(
                    "The secrets file {} does not exist. Create it with `qa-wecom plan new`, or set secrets_file in the plan.",
                    path.display()
                ),
                format!(
                    "密钥文件 {} 不存在。请用 `qa-wecom plan new` 创建，或在计划中设置 secrets_file。",
                    path.display()
                ),
            ),
        }
    }
}

/// The parser's message, without any value from a secrets file: serde's "invalid type: integer
/// `123456789`, expected a string" would print a secret typed without quotes.
fn scrub(kind: FileKind, message: &str) -> String {
    if kind != FileKind::Secrets {
        return message.to_owned();
    }
    for prefix in ["invalid type", "invalid value", "invalid length"] {
        if message.starts_with(prefix) {
            return match message.split_once(", expected ") {
                Some((_, expected)) => format!("{prefix} (value not shown), expected {expected}"),
                None => format!("{prefix} (value not shown)"),
            };
        }
    }
    message.to_owned()
}

/// A place in a file: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// The position of byte `offset` in `text`.
fn position(text: &str, offset: usize) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    Position { line, column }
}

fn parse_error(kind: FileKind, text: &str, e: &toml::de::Error) -> FileError {
    let at = e
        .span()
        .map(|s| position(text, s.start))
        .unwrap_or(Position { line: 1, column: 1 });
    FileError::Parse {
        kind,
        path: None,
        at,
        message: scrub(kind, e.message().trim()),
    }
}

#[derive(serde::Deserialize)]
struct VersionProbe {
    version: Option<toml::Spanned<toml::Value>>,
}

/// Checks the version before the full parse so that a newer file gets a version error rather
/// than an "unknown field" one.
fn check_version(kind: FileKind, text: &str, current: u32) -> Result<(), FileError> {
    let probe: VersionProbe = toml::from_str(text).map_err(|e| parse_error(kind, text, &e))?;
    let Some(version) = probe.version else {
        return Err(FileError::VersionMissing { kind, current });
    };
    match version.get_ref() {
        toml::Value::Integer(v) if *v >= 1 && *v <= i64::from(current) => Ok(()),
        toml::Value::Integer(v) if *v > i64::from(current) => Err(FileError::VersionUnsupported {
            kind,
            found: *v,
            supported: current,
        }),
        other => Err(FileError::Parse {
            kind,
            path: None,
            at: position(text, version.span().start),
            message: format!("`version` must be a whole number from 1 to {current}, found {other}"),
        }),
    }
}

/// Parses a plan file's text (version 1 or older).
pub fn parse_plan(text: &str) -> Result<Plan, FileError> {
    check_version(FileKind::Plan, text, PLAN_VERSION)?;
    let mut plan: Plan = toml::from_str(text).map_err(|e| parse_error(FileKind::Plan, text, &e))?;
    // Older versions are upgraded in memory here (there are none yet); the file is not touched.
    plan.version = PLAN_VERSION;
    Ok(plan)
}

/// Parses a secrets file's text.
pub fn parse_secrets(text: &str) -> Result<Secrets, FileError> {
    check_version(FileKind::Secrets, text, SECRETS_VERSION)?;
    let mut secrets: Secrets =
        toml::from_str(text).map_err(|e| parse_error(FileKind::Secrets, text, &e))?;
    secrets.version = SECRETS_VERSION;
    Ok(secrets)
}

fn read(kind: FileKind, path: &Path) -> Result<String, FileError> {
    crate::fsread::read_capped_string(path, crate::fsread::MAX_PLAN_BYTES).map_err(|source| {
        FileError::Read {
            kind,
            path: path.to_path_buf(),
            source,
        }
    })
}

/// Reads a plan file. Never writes.
pub fn load_plan(path: &Path) -> Result<Plan, FileError> {
    parse_plan(&read(FileKind::Plan, path)?).map_err(|e| e.at(path))
}

/// Reads a secrets file. Never writes.
pub fn load_secrets(path: &Path) -> Result<Secrets, FileError> {
    parse_secrets(&read(FileKind::Secrets, path)?).map_err(|e| e.at(path))
}

/// Reads a plan and the secrets file it names (see [`secrets_path_for`]), which must exist:
/// the plan, where its secrets are, and the secrets. Never writes.
pub fn load_plan_with_secrets(plan_path: &Path) -> Result<(Plan, PathBuf, Secrets), FileError> {
    let plan = load_plan(plan_path)?;
    let path = secrets_path_for(plan_path, &plan);
    if !path.is_file() {
        return Err(FileError::SecretsMissing { path });
    }
    let secrets = load_secrets(&path)?;
    Ok((plan, path, secrets))
}

/// Saves a plan atomically (the old file stays intact if anything fails).
pub fn save_plan(path: &Path, plan: &Plan) -> Result<(), FileError> {
    write_atomic(path, render_plan(plan).as_bytes(), MODE_SHARED).map_err(|source| {
        FileError::Write {
            kind: FileKind::Plan,
            path: path.to_path_buf(),
            source,
        }
    })
}

/// Saves secrets atomically with owner-only permissions (0600).
pub fn save_secrets(path: &Path, secrets: &Secrets) -> Result<(), FileError> {
    write_atomic(path, render_secrets(secrets).as_bytes(), MODE_SECRET).map_err(|source| {
        FileError::Write {
            kind: FileKind::Secrets,
            path: path.to_path_buf(),
            source,
        }
    })
}

/// Where the secrets of the plan at `plan_path` are: the plan's `secrets_file` relative to the
/// plan's folder, or `<plan name>.secrets.toml` beside it.
pub fn secrets_path_for(plan_path: &Path, plan: &Plan) -> PathBuf {
    let dir = plan_path.parent().unwrap_or(Path::new(""));
    match plan.secrets_file.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => dir.join(s),
        _ => {
            let stem = plan_path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "plan".to_owned());
            dir.join(format!("{stem}.secrets.toml"))
        }
    }
}

/// `true` when the file can be read by the group or others (Unix); the check warns about it.
pub fn is_readable_by_others(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path)
            .map(|m| m.permissions().mode() & 0o077 != 0)
            .unwrap_or(false)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_lines_and_characters() {
        let text = "a = 1\nbé = x\n";
        let at = |line, column| Position { line, column };
        assert_eq!(position(text, 0), at(1, 1));
        assert_eq!(position(text, 6), at(2, 1));
        // byte 12 is `x`, after the two-byte é: column 6 in characters.
        assert_eq!(position(text, 12), at(2, 6));
    }

    #[test]
    fn secrets_path_defaults_to_a_sibling_named_after_the_plan() {
        let plan = Plan::template();
        assert_eq!(
            secrets_path_for(Path::new("/x/acme.toml"), &plan),
            PathBuf::from("/x/acme.secrets.toml")
        );
        let plan = Plan {
            secrets_file: Some("secrets/secrets.toml".into()),
            ..Plan::template()
        };
        assert_eq!(
            secrets_path_for(Path::new("/x/plan.toml"), &plan),
            PathBuf::from("/x/secrets/secrets.toml")
        );
        assert_eq!(
            secrets_path_for(Path::new("plan.toml"), &Plan::template()),
            PathBuf::from("plan.secrets.toml")
        );
    }
}
