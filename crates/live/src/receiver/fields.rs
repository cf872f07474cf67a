//! Reads the top-level fields of a decrypted event (`<xml><MsgType>…</MsgType>…</xml>`) by name,
//! with quick-xml — text and CDATA alike, element order free — for logging and de-duplication.
//! (`wecom-crypto` has the same reader for the envelope but keeps it crate-private.)

use quick_xml::Reader;
use quick_xml::events::Event;
use std::collections::BTreeMap;

/// Most fields kept, and most characters per field: a hostile event cannot grow the map.
const MAX_FIELDS: usize = 64;
const MAX_VALUE_CHARS: usize = 256;

/// The text of every direct child of the root element; `None` when the XML is malformed.
pub fn top_level_fields(xml: &str) -> Option<BTreeMap<String, String>> {
    let mut reader = Reader::from_str(xml);
    let mut fields = BTreeMap::new();
    let mut depth = 0usize;
    let mut current: Option<(String, String)> = None;
    loop {
        match reader.read_event().ok()? {
            Event::Start(start) => {
                depth += 1;
                if depth == 2 {
                    let name = start.local_name().as_ref().to_string();
                    current = Some((name, String::new()));
                }
            }
            Event::End(_) => {
                if depth == 2
                    && let Some((name, value)) = current.take()
                    && fields.len() < MAX_FIELDS
                {
                    fields.insert(name, value);
                }
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(fields);
                }
            }
            Event::Text(text) => push(&mut current, depth, &text.xml10_content()),
            Event::CData(cdata) => push(&mut current, depth, &cdata.xml10_content()),
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match &*reference {
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "amp" => "&".into(),
                        "apos" => "'".into(),
                        "quot" => "\"".into(),
                        _ => return None,
                    },
                };
                push(&mut current, depth, &resolved);
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

fn push(current: &mut Option<(String, String)>, depth: usize, text: &str) {
    if depth != 2 {
        return;
    }
    if let Some((_, value)) = current.as_mut() {
        let room = MAX_VALUE_CHARS.saturating_sub(value.chars().count());
        value.extend(text.chars().take(room));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_text_and_cdata_in_any_order() {
        let f = top_level_fields(
            "<xml><CreateTime>1700</CreateTime><Event><![CDATA[change_external_contact]]></Event>\
             <FromUserName>a&amp;b</FromUserName><Nested><X>1</X></Nested></xml>",
        )
        .unwrap();
        assert_eq!(f["CreateTime"], "1700");
        assert_eq!(f["Event"], "change_external_contact");
        assert_eq!(f["FromUserName"], "a&b");
        assert_eq!(f["Nested"], "");
    }

    #[test]
    fn malformed_is_none() {
        assert!(top_level_fields("<xml><a>").is_none());
        assert!(top_level_fields("not xml").is_none());
        assert!(top_level_fields("<xml><a>&bogus;</a></xml>").is_none());
    }
}
