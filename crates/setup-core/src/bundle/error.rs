//! Why an export failed, with a stable code and a bilingual message for each case.

use super::write::name_files;
use crate::error_code::ErrorCode;
use crate::plan::FileError;
use crate::text::Text;
use crate::validate::Issue;
use std::path::PathBuf;

/// Why a bundle could not be built or written. Nothing is left half-written in any case.
#[derive(Debug, thiserror::Error, error_code_derive::ErrorCode)]
pub enum BundleError {
    #[error("{0}")]
    #[code(inner)]
    File(#[from] FileError),
    #[error("the plan has {} error(s); run `qa-wecom plan check` and fix them first", issues.iter().filter(|i| i.severity == crate::validate::Severity::Error).count())]
    #[code(PlanInvalid)]
    Invalid { issues: Vec<Issue> },
    #[error("cannot read the TLS file {}: {source}", path.display())]
    #[code(TlsFileUnreadable)]
    TlsRead {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the TLS file {} contains no {expected} PEM block", path.display())]
    #[code(TlsFileWrongContent)]
    TlsContent {
        path: PathBuf,
        expected: &'static str,
    },
    #[error("the generated file {path} would contain a secret; nothing was written")]
    #[code(SecretLeak)]
    SecretLeak { path: String },
    #[error("{} exists and is not a previous bundle; choose an empty or new folder", path.display())]
    #[code(TargetNotABundle)]
    TargetNotABundle { path: PathBuf, files: Vec<String> },
    #[error("the bundle folder {} holds files export did not write: {}", path.display(), name_files(files))]
    #[code(BundleHasOtherFiles)]
    BundleHasOtherFiles { path: PathBuf, files: Vec<String> },
    #[error("{} exists and is not a zip that export wrote", path.display())]
    #[code(TargetExists)]
    TargetExists { path: PathBuf },
    #[error("{} holds the plan or its secrets file {}", path.display(), file.display())]
    #[code(OutputHoldsPlan)]
    OutputHoldsPlan { path: PathBuf, file: PathBuf },
    #[error("cannot write the bundle to {}: {source}", path.display())]
    #[code(BundleWriteFailed)]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl BundleError {
    /// What is wrong and what to do.
    pub fn text(&self) -> Text {
        match self {
            BundleError::File(e) => e.text(),
            BundleError::Invalid { .. } => Text::new(
                format!("{self}."),
                "计划中有错误，请先运行 `qa-wecom plan check` 并逐项修正。",
            ),
            BundleError::TlsRead { path, source } => Text::new(
                format!(
                    "Cannot read the TLS file {}: {source}. Check the path in the plan or secrets file.",
                    path.display()
                ),
                format!(
                    "无法读取 TLS 文件 {}：{source}。请检查计划或密钥文件中的路径。",
                    path.display()
                ),
            ),
            BundleError::TlsContent { path, expected } => Text::new(
                format!(
                    "The TLS file {} contains no {expected} PEM block. Choose the right file (PEM text, not DER).",
                    path.display()
                ),
                format!(
                    "TLS 文件 {} 中没有 {expected} PEM 块。请选择正确的文件（PEM 文本格式，而非 DER）。",
                    path.display()
                ),
            ),
            BundleError::SecretLeak { path } if path.starts_with("report/") => Text::new(
                format!(
                    "The verification report given with --report ({path} in the bundle) contains a secret value, so nothing was written. Give the JSON that `qa-wecom verify --json` prints: it never holds a secret."
                ),
                format!(
                    "通过 --report 提供的验证报告（部署包中的 {path}）包含密钥值，因此未写入任何内容。请使用 `qa-wecom verify --json` 输出的 JSON：其中从不包含密钥。"
                ),
            ),
            BundleError::SecretLeak { path } => Text::new(
                format!(
                    "The generated file {path} would contain a secret, so nothing was written. Make sure no secret value appears in the plan (e.g. as a name or ID)."
                ),
                format!(
                    "生成的文件 {path} 会包含密钥，因此未写入任何内容。请确认计划中没有出现密钥值（例如被当作名称或 ID 填写）。"
                ),
            ),
            BundleError::TargetNotABundle { path, files } => {
                let (en, zh) = if files.is_empty() {
                    (String::new(), String::new())
                } else {
                    let named = name_files(files);
                    (
                        format!(" (it holds {named})"),
                        format!("（其中有 {named}）"),
                    )
                };
                Text::new(
                    format!(
                        "{} exists and is not a previous bundle{en}, so it is left alone. Choose an empty or new folder.",
                        path.display()
                    ),
                    format!(
                        "{} 已存在且不是之前导出的部署包{zh}，未作改动。请选择空目录或新目录。",
                        path.display()
                    ),
                )
            }
            BundleError::BundleHasOtherFiles { path, files } => {
                let named = name_files(files);
                Text::new(
                    format!(
                        "The bundle folder {} holds files that export did not write: {named}. Nothing was changed. Move them elsewhere, or export again with --force to replace the folder and delete them.",
                        path.display()
                    ),
                    format!(
                        "部署包目录 {} 中有不是导出写入的文件：{named}。未作改动。请先移走这些文件，或加 --force 重新导出（将替换该目录并删除它们）。",
                        path.display()
                    ),
                )
            }
            BundleError::TargetExists { path } => Text::new(
                format!(
                    "{} exists and is not a zip that export wrote, so it is left alone. Choose a new file name, or export again with --force to replace it.",
                    path.display()
                ),
                format!(
                    "{} 已存在且不是导出生成的 zip，未作改动。请换一个新文件名，或加 --force 重新导出以替换它。",
                    path.display()
                ),
            ),
            BundleError::OutputHoldsPlan { path, file } => Text::new(
                format!(
                    "{} holds the plan or its secrets file ({}); exporting there would replace them. Choose another place, e.g. a new folder `bundle` beside the plan.",
                    path.display(),
                    file.display()
                ),
                format!(
                    "{} 包含计划或其密钥文件（{}），导出到这里会覆盖它们。请选择其他位置，例如计划旁的新目录 `bundle`。",
                    path.display(),
                    file.display()
                ),
            ),
            BundleError::Write { path, source } => Text::new(
                format!(
                    "Cannot write the bundle to {}: {source}. Nothing was changed there; check free space and permissions.",
                    path.display()
                ),
                format!(
                    "无法将部署包写入 {}：{source}。目标位置未被改动；请检查磁盘空间和权限。",
                    path.display()
                ),
            ),
        }
    }
}
