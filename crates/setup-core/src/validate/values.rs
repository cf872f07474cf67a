//! Rules for the remaining single values: corpid, AgentId, user count, Token, EncodingAESKey, app
//! secret, UUIDs, the database name and file paths.

use super::hostname::{is_forbidden, show_char};
use super::{Finding, IssueCode, Rule};
use crate::secret::Secret;
use uuid::Uuid;

validated_string!(
    /// A validated corpid: 1 to 64 ASCII letters and digits (safe in a URL path and any file).
    CorpId
);

fn ok<T>(value: T) -> Rule<T> {
    Ok((value, Vec::new()))
}

/// `ww` + 16 lowercase hex digits, the shape seen on every self-built app.
fn is_usual_corp_id(s: &str) -> bool {
    s.len() == 18
        && s.starts_with("ww")
        && s[2..]
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
}

/// Validates the corpid: rejected when it could not be a corpid, warned about when its shape is
/// unusual.
pub fn corp_id(input: &str) -> Rule<CorpId> {
    if input.trim().is_empty() {
        return Err(Finding::new(IssueCode::CorpIdMissing));
    }
    if let Some(c) = input.chars().find(|c| !c.is_ascii_alphanumeric()) {
        return Err(Finding::new(IssueCode::CorpIdInvalid)
            .with("reason", format!("contains {}", show_char(c)))
            .with("reason_zh", format!("包含 {}", show_char(c))));
    }
    if input.len() > 64 {
        return Err(Finding::new(IssueCode::CorpIdInvalid)
            .with("reason", format!("is {} characters long", input.len()))
            .with("reason_zh", format!("长度为 {} 个字符", input.len())));
    }
    let mut warnings = Vec::new();
    if !is_usual_corp_id(input) {
        warnings.push(Finding::new(IssueCode::CorpIdUnusualShape).with("value", input.to_owned()));
    }
    Ok((CorpId(input.to_owned()), warnings))
}

/// Validates the AgentId: 1 ..= 2^31 − 1.
pub fn agent_id(value: i64) -> Rule<u32> {
    match u32::try_from(value) {
        Ok(v) if v >= 1 && i32::try_from(v).is_ok() => ok(v),
        _ => Err(Finding::new(IssueCode::AgentIdInvalid).with("value", value.to_string())),
    }
}

/// Validates the WeCom user count: a positive whole number.
pub fn wecom_users(value: i64) -> Rule<u64> {
    match u64::try_from(value) {
        Ok(v) if v >= 1 => ok(v),
        _ => Err(Finding::new(IssueCode::UsersNotPositive).with("value", value.to_string())),
    }
}

/// Validates a Token: letters and digits, at most 32. Never echoes the value.
pub fn token(value: &Secret) -> Rule<()> {
    let s = value.expose();
    if s.is_empty() {
        return Err(Finding::new(IssueCode::TokenMissing));
    }
    if !s.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(Finding::new(IssueCode::TokenInvalidChar));
    }
    if s.len() > 32 {
        return Err(Finding::new(IssueCode::TokenTooLong).with("length", s.len().to_string()));
    }
    ok(())
}

/// Validates an EncodingAESKey with the crypto crate's own parser: `=` padding, a wrong length or
/// other characters are errors; a valid key that strict decoders refuse (not canonical) is a
/// warning. Never echoes the value.
pub fn encoding_aes_key(value: &Secret) -> Rule<()> {
    use wecom_crypto::EncodingAesKey;
    let s = value.expose();
    if s.is_empty() {
        return Err(Finding::new(IssueCode::AesKeyMissing));
    }
    if s.ends_with('=') {
        return Err(Finding::new(IssueCode::AesKeyPadded));
    }
    match EncodingAesKey::parse(s) {
        Ok(_) if EncodingAesKey::is_canonical(s) => ok(()),
        Ok(_) => Ok(((), vec![Finding::new(IssueCode::AesKeyNoncanonical)])),
        Err(_) if s.chars().count() != wecom_crypto::ENCODING_AES_KEY_LEN => {
            Err(Finding::new(IssueCode::AesKeyWrongLength)
                .with("length", s.chars().count().to_string()))
        }
        Err(_) => Err(Finding::new(IssueCode::AesKeyInvalidChar)),
    }
}

/// Validates the app secret: present, with no spaces, quotes or control characters.
pub fn app_secret(value: &Secret) -> Rule<()> {
    let s = value.expose();
    if s.is_empty() {
        return Err(Finding::new(IssueCode::AppSecretMissing));
    }
    if s.chars().any(is_forbidden) {
        return Err(Finding::new(IssueCode::AppSecretInvalid));
    }
    ok(())
}

/// Validates a QA ID: a UUID in 8-4-4-4-12 form; returned lowercase.
pub fn uuid(input: &str, invalid: IssueCode) -> Rule<Uuid> {
    match Uuid::try_parse(input) {
        Ok(u) if input.len() == 36 => ok(u),
        _ => Err(Finding::new(invalid)),
    }
}

validated_string!(
    /// A validated database name: a lowercase SQL identifier that needs no quoting.
    DbName
);

/// Validates the database name: `[a-z_][a-z0-9_]{0,62}`.
pub fn database_name(input: &str) -> Rule<DbName> {
    if input.trim().is_empty() {
        return Err(Finding::new(IssueCode::DatabaseNameMissing));
    }
    let mut chars = input.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_');
    let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if first_ok && rest_ok && input.len() <= 63 {
        ok(DbName(input.to_owned()))
    } else {
        let shown: String = input.chars().filter(|c| !c.is_control()).take(80).collect();
        Err(Finding::new(IssueCode::DatabaseNameInvalid).with("value", shown))
    }
}

validated_string!(
    /// A validated absolute path on the server, safe to write into nginx.conf unquoted.
    ServerPath
);

impl ServerPath {
    /// Builds a path from parts already known to be safe (a validated host name).
    pub(crate) fn trusted(path: String) -> Self {
        ServerPath(path)
    }
}

/// Validates a path on the server (where nginx reads the certificate or key).
pub fn server_path(input: &str) -> Rule<ServerPath> {
    if let Some(c) = input.chars().find(|c| is_forbidden(*c)) {
        return Err(Finding::new(IssueCode::ServerPathForbiddenChar).with("char", show_char(c)));
    }
    if !input.starts_with('/') || input.len() > 4096 {
        return Err(Finding::new(IssueCode::ServerPathNotAbsolute).with("path", input.to_owned()));
    }
    ok(ServerPath(input.to_owned()))
}

/// Validates a path to a file on this machine: anything but control characters.
pub fn local_file(input: &str) -> Rule<String> {
    if input.chars().any(char::is_control) {
        return Err(Finding::new(IssueCode::FilePathInvalid));
    }
    ok(input.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code<T>(r: Rule<T>) -> Option<IssueCode> {
        r.err().map(|f| f.code)
    }

    fn warning<T>(r: Rule<T>) -> Option<IssueCode> {
        r.ok().and_then(|(_, w)| w.first().map(|f| f.code))
    }

    /// Each of `inputs` is refused by `rule` with `expected`; a failure names the input.
    fn rejects<T>(rule: impl Fn(&str) -> Rule<T>, expected: IssueCode, inputs: &[&str]) {
        for input in inputs {
            assert_eq!(code(rule(input)), Some(expected), "{input:?}");
        }
    }

    #[test]
    fn corp_id_warns_on_unusual_shapes_and_rejects_unsafe_ones() {
        assert!(corp_id("wwb697d33134e48cfc").is_ok_and(|(_, w)| w.is_empty()));
        assert_eq!(
            warning(corp_id("wx1234567890abcdef")),
            Some(IssueCode::CorpIdUnusualShape)
        );
        assert_eq!(
            warning(corp_id("wwB697D33134E48CFC")),
            Some(IssueCode::CorpIdUnusualShape)
        );
        assert_eq!(
            warning(corp_id("ww12")),
            Some(IssueCode::CorpIdUnusualShape)
        );
        rejects(corp_id, IssueCode::CorpIdMissing, &[""]);
        let long = "w".repeat(65);
        rejects(
            corp_id,
            IssueCode::CorpIdInvalid,
            &["ww12/../x", "ww12 34", &long],
        );
    }

    #[test]
    fn agent_id_and_user_count_must_be_positive() {
        assert!(agent_id(1_000_002).is_ok());
        assert_eq!(code(agent_id(0)), Some(IssueCode::AgentIdInvalid));
        assert_eq!(code(agent_id(-3)), Some(IssueCode::AgentIdInvalid));
        assert_eq!(code(agent_id(1 << 31)), Some(IssueCode::AgentIdInvalid));
        assert!(wecom_users(1).is_ok());
        assert_eq!(code(wecom_users(0)), Some(IssueCode::UsersNotPositive));
        assert_eq!(code(wecom_users(-1)), Some(IssueCode::UsersNotPositive));
    }

    #[test]
    fn token_rules_are_letters_and_digits_at_most_32() {
        assert!(token(&Secret::new("a".repeat(32))).is_ok());
        assert!(token(&Secret::new("QDG6eK")).is_ok());
        let token = |t: &str| token(&Secret::new(t));
        rejects(token, IssueCode::TokenMissing, &[""]);
        rejects(token, IssueCode::TokenTooLong, &[&"a".repeat(33)]);
        rejects(token, IssueCode::TokenInvalidChar, &["abc-def", "abc def"]);
    }

    #[test]
    fn encoding_aes_key_rules_are_exactly_43_letters_and_digits() {
        let official = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
        let canonical = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2A";
        assert!(matches!(encoding_aes_key(&Secret::new(canonical)), Ok(((), w)) if w.is_empty()));
        let generated = crate::secret::generate_encoding_aes_key();
        assert!(matches!(encoding_aes_key(&generated), Ok(((), w)) if w.is_empty()));
        assert_eq!(
            code(encoding_aes_key(&Secret::new(""))),
            Some(IssueCode::AesKeyMissing)
        );
        assert_eq!(
            code(encoding_aes_key(&Secret::new(&official[..42]))),
            Some(IssueCode::AesKeyWrongLength)
        );
        for padded in [format!("{official}="), format!("{}==", &official[..42])] {
            assert_eq!(
                code(encoding_aes_key(&Secret::new(padded))),
                Some(IssueCode::AesKeyPadded)
            );
        }
        let with_plus = format!("{}+", &official[..42]);
        assert_eq!(
            code(encoding_aes_key(&Secret::new(with_plus))),
            Some(IssueCode::AesKeyInvalidChar)
        );
    }

    #[test]
    fn a_pasted_noncanonical_key_is_accepted_with_a_warning() {
        // The official sample key: its last character C has the unused bits 10.
        let official = Secret::new("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C");
        let Ok(((), warnings)) = encoding_aes_key(&official) else {
            panic!("a valid key is refused");
        };
        let codes: Vec<IssueCode> = warnings.iter().map(|f| f.code).collect();
        assert_eq!(codes, [IssueCode::AesKeyNoncanonical]);
        assert_eq!(
            IssueCode::AesKeyNoncanonical.severity(),
            super::super::Severity::Warning
        );
        assert_eq!(
            IssueCode::AesKeyPadded.severity(),
            super::super::Severity::Error
        );
    }

    #[test]
    fn messages_about_secrets_never_carry_the_value() {
        for r in [
            token(&Secret::new("bad-token-value")),
            encoding_aes_key(&Secret::new("bad-key-value")),
            app_secret(&Secret::new("bad secret value")),
        ] {
            let f = r.err();
            assert!(f.is_some());
            let shown = format!("{f:?}");
            assert!(!shown.contains("value"), "{shown}");
        }
    }

    #[test]
    fn uuids_must_be_hyphenated() {
        let id = "0a27b751-db52-4ec2-b2bc-e7b747c0bfb6";
        assert!(uuid(id, IssueCode::OrganizationIdInvalid).is_ok());
        let upper = id.to_uppercase();
        assert_eq!(
            uuid(&upper, IssueCode::OrganizationIdInvalid)
                .ok()
                .map(|(u, _)| u.to_string()),
            Some(id.to_owned())
        );
        for bad in [
            "0a27b751db524ec2b2bce7b747c0bfb6",
            "{0a27b751-db52-4ec2-b2bc-e7b747c0bfb6}",
            "0a27b751-db52-4ec2-b2bc-e7b747c0bfb",
            "x",
        ] {
            assert_eq!(
                code(uuid(bad, IssueCode::WorkspaceIdInvalid)),
                Some(IssueCode::WorkspaceIdInvalid),
                "{bad}"
            );
        }
    }

    #[test]
    fn database_names_are_plain_lowercase_identifiers() {
        assert!(database_name("qa_analysis").is_ok());
        assert!(database_name("_x1").is_ok());
        rejects(database_name, IssueCode::DatabaseNameMissing, &[""]);
        let long = "a".repeat(64);
        let bad = [
            "QA",
            "1qa",
            "qa-analysis",
            "qa\"; DROP",
            "qa analysis",
            &long,
        ];
        rejects(database_name, IssueCode::DatabaseNameInvalid, &bad);
    }

    #[test]
    fn server_paths_must_be_absolute_and_safe_for_nginx() {
        assert!(server_path("/etc/nginx/tls/a.crt").is_ok());
        rejects(
            server_path,
            IssueCode::ServerPathNotAbsolute,
            &["tls/a.crt"],
        );
        let bad = ["/etc/a b", "/etc/a;b", "/etc/$x", "/etc/a{b}", "/etc/a\"b"];
        rejects(server_path, IssueCode::ServerPathForbiddenChar, &bad);
    }
}
