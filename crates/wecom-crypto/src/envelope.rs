//! The XML around the ciphertext: parsing the event envelope WeCom POSTs (by element name, with or
//! without CDATA, in any order) and building the passive reply and the simulated envelope.

use crate::error::{CryptoError, for_display};
use quick_xml::Reader;
use quick_xml::events::{BytesRef, Event};
use std::borrow::Cow;

/// The fields of an event envelope `<xml><ToUserName/><AgentID/><Encrypt/></xml>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventEnvelope {
    /// `<ToUserName>`: the corpid, when present.
    pub to_user_name: Option<String>,
    /// `<AgentID>`: the app's agent id, when present (empty for some event types).
    pub agent_id: Option<String>,
    /// `<Encrypt>`: the base64 ciphertext (never empty).
    pub encrypt: String,
}

/// Parses the POST body of an event callback. Only the root's direct children are looked at;
/// `<Encrypt>` must be present exactly once and not empty (−40002 otherwise).
pub fn parse_envelope(body: &[u8]) -> Result<EventEnvelope, CryptoError> {
    let [to_user_name, agent_id, encrypt] = envelope_fields(body)?;
    Ok(EventEnvelope {
        to_user_name: to_user_name.map(Cow::into_owned),
        agent_id: agent_id.map(Cow::into_owned),
        encrypt: required_encrypt(encrypt)?.into_owned(),
    })
}

/// Only the `<Encrypt>` value, borrowed from `body` when it is one text or CDATA run (the hot
/// path of an event POST: no copy of the ciphertext).
pub(crate) fn encrypt_of(body: &[u8]) -> Result<Cow<'_, str>, CryptoError> {
    let [_, _, encrypt] = envelope_fields(body)?;
    required_encrypt(encrypt)
}

fn envelope_fields(body: &[u8]) -> Result<[Option<Cow<'_, str>>; 3], CryptoError> {
    let body = std::str::from_utf8(body).map_err(|e| CryptoError::XmlParse {
        detail: format!("the body is not UTF-8 ({e})"),
    })?;
    let body = body.strip_prefix('\u{feff}').unwrap_or(body);
    children(body, ["ToUserName", "AgentID", "Encrypt"])
}

fn required_encrypt(encrypt: Option<Cow<'_, str>>) -> Result<Cow<'_, str>, CryptoError> {
    match encrypt {
        Some(encrypt) if !encrypt.is_empty() => Ok(encrypt),
        Some(_) => Err(CryptoError::XmlParse {
            detail: "<Encrypt> is empty".to_owned(),
        }),
        None => Err(CryptoError::XmlParse {
            detail: "there is no <Encrypt> element under the root".to_owned(),
        }),
    }
}

/// The text of the root's direct children named in `names` (`None` when absent), for reading a
/// decrypted message or event (`<xml><MsgType>…</MsgType>…</xml>`) with the same reader as the
/// envelope: text and CDATA alike, element order free, entities resolved. A duplicated wanted
/// element, a wanted element with child elements, or malformed XML is −40002.
pub fn xml_fields<const N: usize>(
    xml: &str,
    names: [&str; N],
) -> Result<[Option<String>; N], CryptoError> {
    Ok(children(xml, names)?.map(|field| field.map(Cow::into_owned)))
}

/// The text of the root's direct children named in `names` (`None` when absent). Text and CDATA
/// sections are concatenated; character and predefined entity references are resolved. A
/// duplicated wanted element, a wanted element with child elements, or malformed XML is an error.
pub(crate) fn children<'a, const N: usize>(
    xml: &'a str,
    names: [&str; N],
) -> Result<[Option<Cow<'a, str>>; N], CryptoError> {
    let mut reader = Reader::from_str(xml);
    let mut found: [Option<Cow<'a, str>>; N] = std::array::from_fn(|_| None);
    // Index into `found` of the element whose text is being collected.
    let mut collecting: Option<usize> = None;
    let mut depth = 0usize;
    let mut seen_root = false;
    let malformed = |reader: &Reader<&[u8]>, e: &dyn std::fmt::Display| CryptoError::XmlParse {
        detail: format!("malformed XML at byte {}: {e}", reader.error_position()),
    };
    loop {
        let event = reader.read_event().map_err(|e| malformed(&reader, &e))?;
        match event {
            Event::Start(start) => {
                if depth == 0 && seen_root {
                    break;
                }
                if collecting.is_some() {
                    return Err(CryptoError::XmlParse {
                        detail: format!(
                            "<{}> contains a child element <{}>",
                            collecting
                                .and_then(|i| names.get(i))
                                .copied()
                                .unwrap_or("?"),
                            for_display(start.name().as_ref())
                        ),
                    });
                }
                if depth == 1 {
                    collecting = start_field(&names, &mut found, start.local_name().as_ref())?;
                }
                seen_root = true;
                depth += 1;
            }
            Event::Empty(start) => {
                if depth == 0 {
                    return Err(CryptoError::XmlParse {
                        detail: format!(
                            "the root <{}/> is empty",
                            for_display(start.name().as_ref())
                        ),
                    });
                }
                if collecting.is_some() {
                    return Err(CryptoError::XmlParse {
                        detail: format!(
                            "a wanted element contains <{}/>",
                            for_display(start.name().as_ref())
                        ),
                    });
                }
                if depth == 1 {
                    // `<Encrypt/>`: present and empty.
                    start_field(&names, &mut found, start.local_name().as_ref())?;
                }
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 1 {
                    collecting = None;
                }
                if depth == 0 {
                    break;
                }
            }
            Event::Text(text) => {
                if let Some(slot) = collecting
                    .and_then(|i| found.get_mut(i))
                    .and_then(Option::as_mut)
                {
                    append(slot, text.xml10_content());
                } else if depth == 0 && !text.trim().is_empty() {
                    return Err(CryptoError::XmlParse {
                        detail: format!(
                            "text outside the root element: {:?}",
                            for_display(text.trim())
                        ),
                    });
                }
            }
            Event::CData(cdata) => {
                if let Some(slot) = collecting
                    .and_then(|i| found.get_mut(i))
                    .and_then(Option::as_mut)
                {
                    append(slot, cdata.xml10_content());
                }
            }
            Event::GeneralRef(reference) => {
                if let Some(slot) = collecting
                    .and_then(|i| found.get_mut(i))
                    .and_then(Option::as_mut)
                {
                    slot.to_mut().push(resolve_reference(&reference)?);
                }
            }
            Event::Eof => {
                return Err(CryptoError::XmlParse {
                    detail: if seen_root {
                        "the document ends before the root element is closed".to_owned()
                    } else {
                        "there is no root element".to_owned()
                    },
                });
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    Ok(found)
}

/// Adds a text run to a field: borrowed while it is the only run, owned once runs are joined.
fn append<'a>(slot: &mut Cow<'a, str>, run: Cow<'a, str>) {
    if slot.is_empty() {
        *slot = run;
    } else {
        slot.to_mut().push_str(&run);
    }
}

/// Marks `name` as found if it is wanted; returns its index. A second occurrence is an error.
fn start_field<const N: usize>(
    names: &[&str; N],
    found: &mut [Option<Cow<'_, str>>; N],
    name: &str,
) -> Result<Option<usize>, CryptoError> {
    let Some(index) = names.iter().position(|wanted| *wanted == name) else {
        return Ok(None);
    };
    match found.get_mut(index) {
        Some(slot @ None) => {
            *slot = Some(Cow::Borrowed(""));
            Ok(Some(index))
        }
        _ => Err(CryptoError::XmlParse {
            detail: format!("<{name}> appears more than once"),
        }),
    }
}

fn resolve_reference(reference: &BytesRef<'_>) -> Result<char, CryptoError> {
    let undefined = || CryptoError::XmlParse {
        detail: format!("undefined entity &{};", for_display(reference)),
    };
    match reference.resolve_char_ref() {
        Ok(Some(c)) => return Ok(c),
        Ok(None) => {}
        Err(_) => return Err(undefined()),
    }
    match &**reference {
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "amp" => Ok('&'),
        "apos" => Ok('\''),
        "quot" => Ok('"'),
        _ => Err(undefined()),
    }
}

/// Appends `text` as CDATA, splitting any `]]>` so that every string can be carried.
fn push_cdata(out: &mut String, text: &str) {
    out.push_str("<![CDATA[");
    out.push_str(&text.replace("]]>", "]]]]><![CDATA[>"));
    out.push_str("]]>");
}

/// Appends `<name>` with `text` as CDATA, then `</name>`.
fn push_cdata_element(out: &mut String, name: &str, text: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    push_cdata(out, text);
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// The passive reply, in the official samples' layout (the timestamp as plain text).
pub(crate) fn reply_xml(
    encrypt: &str,
    msg_signature: &str,
    timestamp: &str,
    nonce: &str,
) -> String {
    let mut out = String::with_capacity(encrypt.len() + 160);
    out.push_str("<xml>");
    push_cdata_element(&mut out, "Encrypt", encrypt);
    push_cdata_element(&mut out, "MsgSignature", msg_signature);
    out.push_str("<TimeStamp>");
    out.push_str(&quick_xml::escape::escape(timestamp));
    out.push_str("</TimeStamp>");
    push_cdata_element(&mut out, "Nonce", nonce);
    out.push_str("</xml>");
    out
}

/// The envelope WeCom POSTs for an event.
pub(crate) fn event_xml(to_user_name: &str, encrypt: &str, agent_id: Option<&str>) -> String {
    let mut out = String::with_capacity(encrypt.len() + 128);
    out.push_str("<xml>");
    push_cdata_element(&mut out, "ToUserName", to_user_name);
    push_cdata_element(&mut out, "Encrypt", encrypt);
    if let Some(agent_id) = agent_id {
        push_cdata_element(&mut out, "AgentID", agent_id);
    }
    out.push_str("</xml>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encrypt_of(xml: &str) -> Result<String, CryptoError> {
        parse_envelope(xml.as_bytes()).map(|e| e.encrypt)
    }

    #[test]
    fn cdata_plain_text_any_order_and_whitespace_are_read_by_name() {
        let bodies = [
            "<xml><ToUserName><![CDATA[ww1]]></ToUserName><Encrypt><![CDATA[abc+/=]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>",
            "<xml>\n  <AgentID>218</AgentID>\n  <Encrypt>abc+/=</Encrypt>\n  <ToUserName>ww1</ToUserName>\n</xml>\n",
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><!-- c --><xml><Encrypt a=\"1\">abc<![CDATA[+/=]]></Encrypt><ToUserName>ww1</ToUserName><AgentID>218</AgentID></xml>",
            "\u{feff}<xml><Encrypt>abc&#43;&#x2F;=</Encrypt><ToUserName>ww1</ToUserName><AgentID>218</AgentID></xml>",
        ];
        for body in bodies {
            let e = parse_envelope(body.as_bytes()).unwrap_or_else(|err| panic!("{body}: {err}"));
            assert_eq!(e.encrypt, "abc+/=", "{body}");
            assert_eq!(e.to_user_name.as_deref(), Some("ww1"), "{body}");
            assert_eq!(e.agent_id.as_deref(), Some("218"), "{body}");
        }
    }

    #[test]
    fn xml_fields_reads_a_decrypted_event_by_name() {
        let [event, time, from, missing] = xml_fields(
            "<xml><CreateTime>1700</CreateTime><Event><![CDATA[change_external_contact]]></Event>\
             <FromUserName>a&amp;b</FromUserName><Nested><X>1</X></Nested></xml>",
            ["Event", "CreateTime", "FromUserName", "MsgId"],
        )
        .unwrap();
        assert_eq!(event.as_deref(), Some("change_external_contact"));
        assert_eq!(time.as_deref(), Some("1700"));
        assert_eq!(from.as_deref(), Some("a&b"));
        assert_eq!(missing, None);
        assert!(xml_fields("<xml><a>", ["a"]).is_err());
        assert!(xml_fields("not xml", ["a"]).is_err());
        assert!(xml_fields("<xml><a>&bogus;</a></xml>", ["a"]).is_err());
    }

    #[test]
    fn only_direct_children_of_the_root_count() {
        let body = "<xml><Other><Encrypt>nested</Encrypt></Other><Encrypt>top</Encrypt></xml>";
        assert_eq!(encrypt_of(body).unwrap(), "top");
        let err = encrypt_of("<xml><Other><Encrypt>nested</Encrypt></Other></xml>").unwrap_err();
        assert_eq!(err.code(), -40002);
    }

    #[test]
    fn missing_empty_or_duplicate_encrypt_is_40002_saying_which() {
        for (body, says) in [
            ("<xml><ToUserName>ww</ToUserName></xml>", "no <Encrypt>"),
            ("<xml><Encrypt/></xml>", "<Encrypt> is empty"),
            ("<xml><Encrypt></Encrypt></xml>", "<Encrypt> is empty"),
            (
                "<xml><Encrypt>a</Encrypt><Encrypt>b</Encrypt></xml>",
                "more than once",
            ),
            ("<xml><Encrypt>a<b/>c</Encrypt></xml>", "contains"),
            (
                "<xml><Encrypt>a<b>x</b></Encrypt></xml>",
                "contains a child element <b>",
            ),
        ] {
            let err = encrypt_of(body).unwrap_err();
            assert_eq!(err.code(), -40002, "{body}");
            assert!(err.to_string().contains(says), "{body}: {err}");
        }
    }

    #[test]
    fn malformed_or_non_xml_bodies_are_40002() {
        let bodies: [&[u8]; 9] = [
            b"",
            b"   ",
            b"{\"Encrypt\":\"abc\"}",
            b"<xml><Encrypt>abc</Encrypt>",
            b"<xml><Encrypt>abc</Encrypted></xml>",
            b"<xml/>",
            b"<xml><Encrypt>&bogus;</Encrypt></xml>",
            b"<xml><Encrypt>\xff\xfe</Encrypt></xml>",
            b"<html><body>502 Bad Gateway</body>",
        ];
        for body in bodies {
            let err = parse_envelope(body).unwrap_err();
            assert_eq!(err.code(), -40002, "{:?}", String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn cdata_survives_the_terminator_inside_the_text() {
        let mut out = String::new();
        push_cdata(&mut out, "a]]>b");
        let xml = format!("<xml><Encrypt>{out}</Encrypt></xml>");
        assert_eq!(encrypt_of(&xml).unwrap(), "a]]>b");
    }

    #[test]
    fn reply_xml_has_the_official_layout() {
        assert_eq!(
            reply_xml("ENC", "SIG", "1409659813", "1372623149"),
            "<xml><Encrypt><![CDATA[ENC]]></Encrypt><MsgSignature><![CDATA[SIG]]></MsgSignature>\
             <TimeStamp>1409659813</TimeStamp><Nonce><![CDATA[1372623149]]></Nonce></xml>"
        );
    }

    #[test]
    fn reply_xml_escapes_hostile_timestamp_and_nonce() {
        let xml = reply_xml("ENC", "SIG", "1<2&3", "n]]><x>");
        let [ts, nonce, enc] = children(&xml, ["TimeStamp", "Nonce", "Encrypt"]).unwrap();
        assert_eq!(ts.as_deref(), Some("1<2&3"));
        assert_eq!(nonce.as_deref(), Some("n]]><x>"));
        assert_eq!(enc.as_deref(), Some("ENC"));
    }

    #[test]
    fn event_xml_carries_corpid_encrypt_and_optional_agentid() {
        let with = parse_envelope(event_xml("ww1", "E", Some("1000002")).as_bytes()).unwrap();
        assert_eq!(
            with,
            EventEnvelope {
                to_user_name: Some("ww1".into()),
                agent_id: Some("1000002".into()),
                encrypt: "E".into()
            }
        );
        let without = parse_envelope(event_xml("ww1", "E", None).as_bytes()).unwrap();
        assert_eq!(without.agent_id, None);
    }
}
