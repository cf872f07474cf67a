//! What a check sends, and the verdict across what came back. A URL verification sends
//! [`VERIFY_PROBES`] GETs, each on a new connection: echostrs with both `+` and `/` and echostrs
//! with neither (the random prefix is drawn again until it fits; each is still a valid WeCom
//! ciphertext), so that a server which URL-decodes twice fails the first kind only
//! (`double_url_decode`), and backends that disagree show as some probes passing and some
//! failing (`inconsistent_backends`). A correct server passes every probe. An event check sends
//! one POST.

use super::event;
use super::judge::{self, Accepted};
use crate::diagnosis::{DiagnosisCode, Params, params};
use crate::transport::Failure;
use crate::transport::http::{Head, Outgoing};
use crate::transport::target::Target;
use bytes::Bytes;
use http::Method;
use setup_core::text::Text;
use std::time::{SystemTime, UNIX_EPOCH};
use wecom_crypto::{CryptoError, WeComCrypto};

/// What the echostr of a probe looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// An echostr with `+` and `/` (the characters URL encoding changes).
    PlusAndSlash,
    /// An echostr with neither.
    Plain,
    /// An event POST.
    Event,
}

impl Shape {
    fn wants(self, echostr: &str) -> bool {
        let (plus, slash) = (echostr.contains('+'), echostr.contains('/'));
        match self {
            Shape::PlusAndSlash => plus && slash,
            Shape::Plain => !plus && !slash,
            Shape::Event => true,
        }
    }

    fn has_plus(self) -> bool {
        self == Shape::PlusAndSlash
    }

    fn label(self) -> Text {
        match self {
            Shape::PlusAndSlash => Text::new("echostr with + and /", "echostr 含 + 和 /"),
            Shape::Plain => Text::new("echostr without + or /", "echostr 不含 + 和 /"),
            Shape::Event => Text::new("event", "事件"),
        }
    }
}

/// The shapes of a URL verification's probes, in order: alternate failures of two backends never
/// look like "only the `+` probes failed".
const VERIFY_SHAPES: [Shape; 4] = [
    Shape::PlusAndSlash,
    Shape::Plain,
    Shape::Plain,
    Shape::PlusAndSlash,
];

/// How many GETs a URL verification sends.
pub const VERIFY_PROBES: usize = VERIFY_SHAPES.len();

/// What a correct reply is.
#[derive(Debug, Clone)]
enum Expect {
    Echostr { plain: String, echostr: String },
    Event,
}

/// One request of a check and how to judge its reply.
#[derive(Debug, Clone)]
pub struct Probe {
    pub shape: Shape,
    pub request: Outgoing,
    expect: Expect,
}

impl Probe {
    /// The reply rung's verdict on a 200.
    pub fn judge(&self, head: &Head, body: &[u8]) -> Result<Accepted, Failure> {
        let content_type = head.content_type.as_deref();
        match &self.expect {
            Expect::Echostr { plain, echostr } => {
                judge::verify_reply(body, content_type, plain, echostr)
            }
            Expect::Event => judge::event_reply(body, content_type),
        }
    }
}

/// The GETs of a URL verification.
pub fn verification(crypto: &WeComCrypto, target: &Target) -> Result<Vec<Probe>, CryptoError> {
    VERIFY_SHAPES
        .iter()
        .map(|&shape| {
            let sent = crypto.simulate_url_verification_where(|e| shape.wants(e))?;
            Ok(Probe {
                shape,
                request: Outgoing {
                    method: Method::GET,
                    target: target.request_target(&sent.query()),
                    authority: target.authority.clone(),
                    body: None,
                },
                expect: Expect::Echostr {
                    plain: sent.echostr_plain,
                    echostr: sent.echostr,
                },
            })
        })
        .collect()
}

/// The event POST: an encrypted `change_external_contact` / `add_external_contact`.
pub fn event(crypto: &WeComCrypto, target: &Target) -> Result<Vec<Probe>, CryptoError> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let delivery = crypto.simulate_event(&event::sample_event_xml(crypto.receive_id(), now))?;
    Ok(vec![Probe {
        shape: Shape::Event,
        request: Outgoing {
            method: Method::POST,
            target: target.request_target(&delivery.query()),
            authority: target.authority.clone(),
            body: Some((Bytes::from(delivery.body), "text/xml")),
        },
        expect: Expect::Event,
    }])
}

/// The verdict over the probes that ran: which probe's steps the report shows, the diagnosis,
/// and a note for that probe's last step when more than one probe ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub shown: usize,
    pub code: DiagnosisCode,
    pub params: Params,
    pub note: Option<Text>,
}

/// Judges across probes: all pass → `ok`; all fail → the first failure; only the `+` probes fail
/// → `double_url_decode`; any other mix → `inconsistent_backends`.
pub fn verdict(results: &[(Shape, Result<&Accepted, &Failure>)]) -> Verdict {
    let n = results.len();
    let failed = results.iter().filter(|(_, r)| r.is_err()).count();
    let first_failure = results
        .iter()
        .enumerate()
        .find_map(|(i, (_, r))| r.err().map(|f| (i, f)));
    let Some((shown, failure)) = first_failure else {
        return Verdict {
            shown: 0,
            code: DiagnosisCode::Ok,
            params: Params::new(),
            note: (n > 1).then(|| {
                Text::new(
                    format!("{n} of {n} probes passed, each on a new connection"),
                    format!("{n} 次探测全部通过，每次都新建连接"),
                )
            }),
        };
    };
    if failed == n {
        return Verdict {
            shown,
            code: failure.code,
            params: failure.params.clone(),
            note: None,
        };
    }
    let only_plus_failed = results
        .iter()
        .all(|(shape, r)| shape.has_plus() == r.is_err());
    let code = match only_plus_failed {
        true => DiagnosisCode::DoubleUrlDecode,
        false => DiagnosisCode::InconsistentBackends,
    };
    let label = results[shown].0.label();
    let number = shown + 1;
    Verdict {
        shown,
        code,
        params: params([
            ("probes", n.to_string()),
            ("passed", (n - failed).to_string()),
            ("failed", failed.to_string()),
            ("first_failure", failure.code.to_string()),
        ]),
        note: Some(Text::new(
            format!("probe {number} of {n} ({})", label.en),
            format!("第 {number} 次探测（共 {n} 次，{}）", label.zh),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass() -> Accepted {
        Text::new("ok", "通过").into()
    }

    fn fail() -> Failure {
        Failure::new(
            DiagnosisCode::HttpStatus,
            params([("status", "403".into())]),
            "HTTP 403",
            "HTTP 403（应为 200）",
        )
    }

    fn run(pattern: &[bool]) -> Verdict {
        let (p, f) = (pass(), fail());
        let results: Vec<(Shape, Result<&Accepted, &Failure>)> = pattern
            .iter()
            .zip(VERIFY_SHAPES)
            .map(|(ok, shape)| (shape, if *ok { Ok(&p) } else { Err(&f) }))
            .collect();
        verdict(&results)
    }

    #[test]
    fn the_probes_have_both_shapes() {
        assert!(
            VERIFY_SHAPES.contains(&Shape::PlusAndSlash) && VERIFY_SHAPES.contains(&Shape::Plain)
        );
        const { assert!(VERIFY_PROBES >= 4) };
    }

    #[test]
    fn the_verdict_tells_the_patterns_apart() {
        use DiagnosisCode::*;
        assert_eq!(run(&[true, true, true, true]).code, Ok);
        assert_eq!(run(&[false, false, false, false]).code, HttpStatus);
        assert_eq!(run(&[false, false, false, false]).params["status"], "403");
        assert_eq!(run(&[false, true, true, false]).code, DoubleUrlDecode);
        // Two backends, one stale, round robin: never only the + probes.
        assert_eq!(run(&[true, false, true, false]).code, InconsistentBackends);
        assert_eq!(run(&[false, true, false, true]).code, InconsistentBackends);
        assert_eq!(run(&[true, true, true, false]).code, InconsistentBackends);
        // Fewer probes ran (the deadline): judged over those that did.
        assert_eq!(run(&[false]).code, HttpStatus);
        assert_eq!(run(&[false, true]).code, DoubleUrlDecode);
    }

    #[test]
    fn a_mixed_verdict_counts_and_names_the_probe_shown() {
        let v = run(&[true, false, true, true]);
        assert_eq!(v.shown, 1);
        assert_eq!(
            (
                v.params["probes"].as_str(),
                v.params["passed"].as_str(),
                v.params["failed"].as_str()
            ),
            ("4", "3", "1")
        );
        assert_eq!(v.params["first_failure"], "http_status");
        let note = v.note.unwrap();
        assert!(
            note.en.contains("probe 2 of 4") && note.en.contains("without"),
            "{note:?}"
        );
        assert!(note.zh.contains("第 2 次"), "{note:?}");
        assert!(
            run(&[true, true, true, true])
                .note
                .unwrap()
                .en
                .contains("4 of 4")
        );
    }
}
