//! The callback values of `serve`, `verify`, `send-event`, `decrypt` and `watch` — Token,
//! EncodingAESKey and corpid — in one set of flags. Each value comes from its flag, else the
//! environment (`QA_WECOM_TOKEN`, `QA_WECOM_AES_KEY`), else the plan given with `--plan` (the corpid
//! from the plan, the others from its secrets file), else a no-echo prompt when stdin is a
//! terminal. A flag shows in `ps` and shell history, so `--help` recommends the others. The values
//! are held in the redacting [`Secret`] (its `Debug` shows `[REDACTED]`).

use clap::Args;
use setup_core::plan::load_plan_with_secrets;
use setup_core::secret::Secret;
use std::io::IsTerminal;
use std::path::PathBuf;

/// Where the Token may come from instead of `--token`.
pub const TOKEN_ENV: &str = "QA_WECOM_TOKEN";
/// Where the EncodingAESKey may come from instead of `--aes-key`.
pub const AES_KEY_ENV: &str = "QA_WECOM_AES_KEY";

#[derive(Args, Debug, Clone)]
pub struct CallbackSecrets {
    /// Take the corpid from this plan and the Token and EncodingAESKey from its secrets file
    /// (recommended: nothing secret on the command line).
    #[arg(long = "plan", value_name = "PLAN", id = "secrets_plan")]
    pub plan: Option<PathBuf>,
    /// The Token. Prefer --plan or the QA_WECOM_TOKEN environment variable: a flag is visible in
    /// `ps` and the shell history. Without any, it is asked for when stdin is a terminal.
    #[arg(long, value_name = "TOKEN", value_parser = secret_arg)]
    pub token: Option<Secret>,
    /// The EncodingAESKey (43 letters and digits). Prefer --plan or QA_WECOM_AES_KEY: a flag is
    /// visible in `ps` and the shell history.
    #[arg(long = "aes-key", value_name = "KEY", value_parser = secret_arg)]
    pub aes_key: Option<Secret>,
    /// The enterprise's corpid (not a secret); or from --plan.
    #[arg(long = "corp-id", value_name = "CORPID")]
    pub corp_id: Option<String>,
}

fn secret_arg(s: &str) -> Result<Secret, std::convert::Infallible> {
    Ok(Secret::new(s))
}

/// The three values, found.
#[derive(Debug)]
pub struct CallbackValues {
    pub token: Secret,
    pub aes_key: Secret,
    pub corp_id: String,
}

impl CallbackValues {
    pub fn credentials(&self) -> live::Credentials {
        live::Credentials::new(
            self.token.expose(),
            self.aes_key.expose(),
            self.corp_id.as_str(),
        )
    }
}

/// What a plan gives.
#[derive(Default)]
struct FromPlan {
    token: Option<Secret>,
    aes_key: Option<Secret>,
    corp_id: Option<String>,
}

fn from_plan(path: &std::path::Path) -> Result<FromPlan, String> {
    let (plan, _, secrets) = load_plan_with_secrets(path).map_err(|e| e.text().en)?;
    Ok(FromPlan {
        token: secrets.token,
        aes_key: secrets.encoding_aes_key,
        corp_id: plan.wecom.corp_id,
    })
}

/// The flag's value, else the environment's, else the plan's, else a prompt on a terminal.
fn pick(
    flag: Option<Secret>,
    env: &str,
    plan: Option<Secret>,
    what: (&str, &str),
) -> Result<Secret, String> {
    if let Some(v) = flag {
        return Ok(v);
    }
    if let Some(v) = std::env::var(env).ok().filter(|v| !v.is_empty()) {
        return Ok(Secret::new(v));
    }
    if let Some(v) = plan {
        return Ok(v);
    }
    let (name, flag_name) = what;
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(format!("{name}: "))
            .map(Secret::new)
            .map_err(|e| format!("cannot read the {name}: {e}"));
    }
    Err(format!(
        "no {name}: give --plan PLAN, or set {env}, or pass {flag_name}"
    ))
}

impl CallbackSecrets {
    /// Finds each value (see the module documentation).
    pub fn resolve(&self) -> Result<CallbackValues, String> {
        let plan = match &self.plan {
            Some(p) => from_plan(p)?,
            None => FromPlan::default(),
        };
        let corp_id = self
            .corp_id
            .clone()
            .or(plan.corp_id)
            .map(|c| c.trim().to_owned())
            .ok_or("no corpid: pass --corp-id, or --plan PLAN")?;
        Ok(CallbackValues {
            token: pick(
                self.token.clone(),
                TOKEN_ENV,
                plan.token,
                ("Token", "--token"),
            )?,
            aes_key: pick(
                self.aes_key.clone(),
                AES_KEY_ENV,
                plan.aes_key,
                ("EncodingAESKey", "--aes-key"),
            )?,
            corp_id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_a_secret() {
        let s = CallbackSecrets {
            plan: None,
            token: Some(Secret::new("TokenValue42")),
            aes_key: Some(Secret::new("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C")),
            corp_id: Some("ww1".into()),
        };
        let shown = format!("{s:?} {:?}", s.resolve());
        assert!(
            !shown.contains("TokenValue42") && !shown.contains("jWmYm7qr"),
            "{shown}"
        );
        assert!(shown.contains("[REDACTED]"));
    }
}
