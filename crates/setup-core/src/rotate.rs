//! Key rotation for a running callback: a fresh Token and EncodingAESKey written atomically to the
//! plan's secrets file (0600), the pair it replaces kept beside it as `<stem>.previous.toml`
//! (0600) so that [`rollback`] can bring it back, and the steps to follow in the order that keeps
//! events flowing (QA first, then a verification, then Save in the WeCom console).
//!
//! Only the Token and the EncodingAESKey change; the app Secret and the TLS key stay as they are.
//! Nothing here ever returns or prints a secret value.

use crate::error_code::ErrorCode;
use crate::plan::{FileError, Secrets, load_plan_with_secrets, load_secrets, save_secrets};
use crate::secret::{generate_encoding_aes_key, generate_token};
use crate::text::Text;
use serde::Serialize;
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// Why a rotation or a rollback did nothing.
#[derive(Debug, thiserror::Error, error_code_derive::ErrorCode)]
pub enum RotateError {
    #[error("{0}")]
    #[code(inner)]
    File(#[from] FileError),
    #[error("there is no previous pair at {}: nothing to roll back to", path.display())]
    #[code(NoPreviousPair)]
    NoPrevious { path: PathBuf },
}

impl RotateError {
    /// What is wrong and what to do.
    pub fn text(&self) -> Text {
        match self {
            RotateError::File(e) => e.text(),
            RotateError::NoPrevious { path } => Text::new(
                format!(
                    "There is no previous pair at {}: nothing to roll back to. Rotate first; the pair it replaces is kept there.",
                    path.display()
                ),
                format!(
                    "{} 处没有上一组密钥，无法回滚。请先轮换；被替换的那组密钥会保存在该文件中。",
                    path.display()
                ),
            ),
        }
    }
}

/// What a rotation (or a rollback) did. Paths only, never a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Rotation {
    /// `true` for a rollback.
    pub rollback: bool,
    /// The secrets file that now holds the pair to use.
    #[ts(type = "string")]
    pub secrets_file: PathBuf,
    /// Where the pair it replaced is kept (0600).
    #[ts(type = "string")]
    pub previous_file: PathBuf,
    /// What to do now, in order.
    pub steps: Vec<Text>,
}

/// `<stem>.previous.toml` beside the secrets file: `plan.secrets.toml` → `plan.secrets.previous.toml`.
pub fn previous_path(secrets_path: &Path) -> PathBuf {
    let stem = secrets_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "secrets".to_owned());
    secrets_path.with_file_name(format!("{stem}.previous.toml"))
}

/// Writes `previous` (the pair being replaced) first, then `current`: if the second write fails,
/// the secrets file still holds the old pair and the previous file a copy of it.
fn write_pair(
    path: &Path,
    current: &Secrets,
    previous_file: &Path,
    previous: &Secrets,
) -> Result<(), RotateError> {
    save_secrets(previous_file, previous)?;
    save_secrets(path, current)?;
    Ok(())
}

/// A fresh Token and EncodingAESKey for the plan at `plan_path`; the old pair goes to
/// [`previous_path`].
pub fn rotate(plan_path: &Path) -> Result<Rotation, RotateError> {
    let (_, path, old) = load_plan_with_secrets(plan_path)?;
    let new = Secrets {
        token: Some(generate_token()),
        encoding_aes_key: Some(generate_encoding_aes_key()),
        ..old.clone()
    };
    let previous_file = previous_path(&path);
    write_pair(&path, &new, &previous_file, &old)?;
    Ok(Rotation::done(plan_path, path, previous_file, false))
}

/// Brings back the pair a rotation replaced; the pair it replaces in turn becomes the previous
/// one, so nothing is ever lost (a second rollback undoes the first).
pub fn rollback(plan_path: &Path) -> Result<Rotation, RotateError> {
    let (_, path, current) = load_plan_with_secrets(plan_path)?;
    let previous_file = previous_path(&path);
    if !previous_file.is_file() {
        return Err(RotateError::NoPrevious {
            path: previous_file,
        });
    }
    let previous = load_secrets(&previous_file)?;
    let restored = Secrets {
        token: previous.token,
        encoding_aes_key: previous.encoding_aes_key,
        ..current.clone()
    };
    write_pair(&path, &restored, &previous_file, &current)?;
    Ok(Rotation::done(plan_path, path, previous_file, true))
}

impl Rotation {
    /// The rotation (or, with `rollback`, the rollback) just written to `secrets_file`.
    fn done(
        plan_path: &Path,
        secrets_file: PathBuf,
        previous_file: PathBuf,
        rollback: bool,
    ) -> Self {
        Rotation {
            rollback,
            steps: steps(plan_path, &secrets_file, rollback),
            secrets_file,
            previous_file,
        }
    }
}

/// The order that keeps events flowing: QA takes the new pair first, a verification proves it
/// answers with it, and only then does WeCom switch (its Save verifies the URL at once).
fn steps(plan_path: &Path, secrets_path: &Path, rollback: bool) -> Vec<Text> {
    let plan = plan_path.display();
    let secrets = secrets_path.display();
    let (which_en, which_zh) = if rollback {
        ("restored", "恢复的")
    } else {
        ("new", "新的")
    };
    vec![
        Text::new(
            format!(
                "In Quick Audience, enter the {which_en} Token and EncodingAESKey (the values `token` and `encoding_aes_key` in {secrets}) and save."
            ),
            format!(
                "在 Quick Audience 中填写{which_zh} Token 和 EncodingAESKey（{secrets} 中的 `token` 与 `encoding_aes_key`）并保存。"
            ),
        ),
        Text::new(
            format!(
                "Verify that QA answers with that pair, as WeCom will: `qa-wecom watch {plan} --count 1` (add `--url URL` if QA is reached at another address). Go on only when it passes."
            ),
            format!(
                "像企业微信一样验证 QA 已使用这组密钥应答：`qa-wecom watch {plan} --count 1`（若经其他地址访问 QA，加 `--url URL`）。通过后再继续。"
            ),
        ),
        Text::new(
            "In the WeCom admin console (App Management → the app → Receive Messages → Set API), enter the same Token and EncodingAESKey and press Save. Do steps 1 to 3 within a few minutes: WeCom retries an event QA could not read, but not for long.",
            "在企业微信管理后台（应用管理 → 该应用 → 接收消息 → 设置 API 接收）填写同一组 Token 和 EncodingAESKey 并保存。请在几分钟内完成第 1 至 3 步：QA 无法解密的事件企业微信会重试，但时间有限。",
        ),
        Text::new(
            format!(
                "If the verification fails, go back: `qa-wecom rotate {plan} --rollback`, and enter that pair in QA again."
            ),
            format!(
                "若验证失败，可回退：`qa-wecom rotate {plan} --rollback`，并在 QA 中重新填写那组密钥。"
            ),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Plan, save_plan};

    fn plan_dir() -> (tempfile::TempDir, PathBuf, Secrets) {
        let dir = tempfile::tempdir().expect("temp dir");
        let plan = dir.path().join("plan.toml");
        save_plan(&plan, &Plan::demo()).expect("plan");
        let secrets = Secrets::demo();
        save_secrets(&dir.path().join("plan.secrets.toml"), &secrets).expect("secrets");
        (dir, plan, secrets)
    }

    fn pair(s: &Secrets) -> (String, String) {
        let get = |v: &Option<crate::secret::Secret>| {
            v.as_ref()
                .map(|s| s.expose().to_owned())
                .unwrap_or_default()
        };
        (get(&s.token), get(&s.encoding_aes_key))
    }

    #[test]
    fn rotate_replaces_the_pair_keeps_the_old_one_and_leaves_the_app_secret() {
        let (dir, plan, old) = plan_dir();
        let r = rotate(&plan).expect("rotate");
        let now = load_secrets(&r.secrets_file).expect("new secrets");
        let kept = load_secrets(&dir.path().join("plan.secrets.previous.toml")).expect("previous");
        assert_eq!(
            r.previous_file,
            dir.path().join("plan.secrets.previous.toml")
        );
        assert_ne!(pair(&now).0, pair(&old).0);
        assert_ne!(pair(&now).1, pair(&old).1);
        assert!(wecom_crypto::EncodingAesKey::parse(&pair(&now).1).is_ok());
        assert_eq!(pair(&kept), pair(&old));
        assert_eq!(
            now.app_secret.as_ref().map(|s| s.expose().to_owned()),
            old.app_secret.as_ref().map(|s| s.expose().to_owned())
        );
        // The steps name no secret and go QA → verify → WeCom Save.
        let all: String = r
            .steps
            .iter()
            .map(|t| format!("{}{}", t.en, t.zh))
            .collect();
        assert!(!all.contains(&pair(&now).0) && !all.contains(&pair(&now).1));
        assert!(r.steps[0].en.contains("Quick Audience"));
        assert!(r.steps[1].en.contains("qa-wecom watch"));
        assert!(r.steps[2].en.contains("Save"));
    }

    #[cfg(unix)]
    #[test]
    fn both_files_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let (_dir, plan, _) = plan_dir();
        let r = rotate(&plan).expect("rotate");
        for p in [&r.secrets_file, &r.previous_file] {
            let mode = std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", p.display());
        }
    }

    #[test]
    fn rollback_restores_the_old_pair_and_a_second_rollback_undoes_it() {
        let (_dir, plan, old) = plan_dir();
        let r = rotate(&plan).expect("rotate");
        let rotated = pair(&load_secrets(&r.secrets_file).expect("rotated"));
        let back = rollback(&plan).expect("rollback");
        assert!(back.rollback);
        assert_eq!(
            pair(&load_secrets(&back.secrets_file).expect("now")),
            pair(&old)
        );
        rollback(&plan).expect("again");
        assert_eq!(
            pair(&load_secrets(&back.secrets_file).expect("now")),
            rotated
        );
    }

    #[test]
    fn rollback_without_a_previous_pair_changes_nothing() {
        let (dir, plan, old) = plan_dir();
        let e = rollback(&plan).expect_err("no previous");
        assert_eq!(e.code(), ErrorCode::NoPreviousPair);
        let now = load_secrets(&dir.path().join("plan.secrets.toml")).expect("secrets");
        assert_eq!(pair(&now), pair(&old));
    }

    #[test]
    fn rotate_without_a_secrets_file_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let plan = dir.path().join("plan.toml");
        save_plan(&plan, &Plan::demo()).expect("plan");
        let e = rotate(&plan).expect_err("missing");
        assert_eq!(e.code(), ErrorCode::SecretsFileMissing);
        assert!(!previous_path(&dir.path().join("plan.secrets.toml")).exists());
    }
}
