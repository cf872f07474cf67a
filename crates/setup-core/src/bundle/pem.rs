//! Just enough PEM for the bundle: pick the blocks of one kind out of a file, so that a combined
//! "chain + key" file never puts its key into `tls/`. (Parsing and fingerprints are `crate::tls`.)

/// One `-----BEGIN label----- … -----END label-----` block, as found in the text.
pub(crate) struct Block<'a> {
    pub label: &'a str,
    pub text: &'a str,
}

/// Every well-formed block of `text`, in order.
pub(crate) fn blocks(text: &str) -> Vec<Block<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut offset = 0;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after_begin = &rest[start + 11..];
        let Some(label_end) = after_begin.find("-----") else {
            break;
        };
        let label = &after_begin[..label_end];
        let end_marker = format!("-----END {label}-----");
        let body_start = start + 11 + label_end + 5;
        let Some(end_rel) = rest[body_start..].find(&end_marker) else {
            break;
        };
        let end = body_start + end_rel + end_marker.len();
        out.push(Block {
            label,
            text: &text[offset + start..offset + end],
        });
        offset += end;
        rest = &rest[end..];
    }
    out
}

/// The blocks whose label satisfies `keep`, joined as a PEM file.
pub(crate) fn select(text: &str, keep: impl Fn(&str) -> bool) -> Option<String> {
    let picked: Vec<&str> = blocks(text)
        .into_iter()
        .filter(|b| keep(b.label))
        .map(|b| b.text)
        .collect();
    (!picked.is_empty()).then(|| {
        let mut s = picked.join("\n");
        s.push('\n');
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMBINED: &str = "junk\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n\
        -----BEGIN PRIVATE KEY-----\nBBBB\n-----END PRIVATE KEY-----\n\
        -----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n";

    #[test]
    fn select_keeps_only_the_blocks_asked_for() {
        let certs = select(COMBINED, |l| l == "CERTIFICATE").unwrap_or_default();
        assert_eq!(certs.matches("BEGIN CERTIFICATE").count(), 2);
        assert!(!certs.contains("PRIVATE KEY"));
        assert!(!certs.contains("junk"));
        let key = select(COMBINED, |l| l.ends_with("PRIVATE KEY")).unwrap_or_default();
        assert!(key.contains("BBBB") && !key.contains("AAAA"));
        assert!(select("no pem here", |_| true).is_none());
    }

    #[test]
    fn a_truncated_block_is_ignored() {
        assert!(blocks("-----BEGIN CERTIFICATE-----\nAAAA\n").is_empty());
    }
}
