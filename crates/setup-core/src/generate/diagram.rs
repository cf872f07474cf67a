//! `diagram/topology.svg`: the seed §5.3 network picture drawn with the plan's values — WeCom on
//! the Internet, the domain and EIP, the WAF, the reverse proxy, the QA service and its analysis
//! database in the customer's cloud, and QA's own calls out to the WeCom API. Every value is
//! escaped for XML.

use crate::callback::CALLBACK_PREFIX;
use crate::validate::CheckedPlan;
use std::fmt::Write as _;

/// Escapes text for XML content and attribute values.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow at all.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Long values are cut for the picture; the full value is in the box's tooltip.
fn fit(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut cut: String = s.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// Rough width in pixels of a line at the 13 px font: Latin about 7 px, CJK a full em.
fn estimated_width(line: &str) -> u32 {
    let tenths: u32 = line
        .chars()
        .map(|c| if c.is_ascii() { 70 } else { 130 })
        .sum();
    tenths / 10
}

struct Svg(String);

impl Svg {
    /// A box with a title line and detail lines; `title` is the tooltip. Returns the box's bottom
    /// edge, where an arrow out of it starts.
    fn node(&mut self, x: u32, y: u32, w: u32, fill: &str, lines: &[String], tooltip: &str) -> u32 {
        let h = 30 + 18 * u32::try_from(lines.len()).unwrap_or(4);
        let _ = write!(
            self.0,
            r##"<g><title>{}</title><rect x="{x}" y="{y}" width="{w}" height="{h}" rx="8" fill="{fill}" stroke="#334155"/>"##,
            xml_escape(tooltip)
        );
        for (i, line) in lines.iter().enumerate() {
            let ty = y + 22 + 18 * u32::try_from(i).unwrap_or(0);
            let weight = if i == 0 { r#" font-weight="bold""# } else { "" };
            let line = fit(line, 28);
            // A line wider than the box gets a smaller font rather than running over the border.
            let squeeze = if estimated_width(&line) > w.saturating_sub(16) {
                r#" font-size="11""#
            } else {
                ""
            };
            let _ = write!(
                self.0,
                r#"<text x="{}" y="{ty}" text-anchor="middle"{weight}{squeeze}>{}</text>"#,
                x + w / 2,
                xml_escape(&line)
            );
        }
        self.0.push_str("</g>\n");
        y + h
    }

    fn arrow(&mut self, x1: u32, y1: u32, x2: u32, y2: u32, label: &str) {
        let _ = writeln!(
            self.0,
            r##"<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#0f172a" stroke-width="2" marker-end="url(#arrow)"/><text x="{}" y="{}" text-anchor="middle" font-size="11">{}</text>"##,
            (x1 + x2) / 2,
            y1.min(y2) - 6,
            xml_escape(label)
        );
    }
}

/// The SVG document.
pub fn topology_svg(plan: &CheckedPlan) -> String {
    let domain = plan.domain.as_str();
    let upstream = plan.qa_upstream.to_string();
    let eip = plan
        .public_ip
        .map(|ip| ip.to_string())
        .unwrap_or_else(|| "EIP (not set / 未填写)".to_owned());
    let scheme = if plan.tls.mode.uses_tls() {
        "HTTPS"
    } else {
        "HTTP"
    };
    let mut s = Svg(String::new());
    s.0.push_str(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="1120" height="460" viewBox="0 0 1120 460" font-family="sans-serif" font-size="13">
<title>QA WeCom topology / 网络拓扑</title>
<defs><marker id="arrow" markerWidth="10" markerHeight="10" refX="9" refY="3" orient="auto"><path d="M0,0 L0,6 L9,3 z" fill="#0f172a"/></marker></defs>
<rect x="200" y="60" width="900" height="380" rx="12" fill="#f8fafc" stroke="#64748b" stroke-dasharray="6 4"/>
<text x="216" y="84" fill="#334155">Customer cloud, private deployment / 客户云环境（私有化部署）</text>
"##,
    );
    s.node(
        20,
        160,
        160,
        "#dcfce7",
        &[
            "WeCom 企业微信".into(),
            "Internet / 公网".into(),
            plan.corp_id.to_string(),
        ],
        &format!("WeCom, corpid {}", plan.corp_id),
    );
    s.node(
        220,
        160,
        200,
        "#e0f2fe",
        &[
            "Domain + EIP / 域名 + EIP".into(),
            domain.to_owned(),
            eip.clone(),
            format!("{} Mbps", plan.bandwidth.mbps),
        ],
        &format!("{domain} -> {eip}, {} Mbps", plan.bandwidth.mbps),
    );
    s.node(
        450,
        160,
        190,
        "#fef9c3",
        &[
            "WAF".into(),
            "allow / 放行".into(),
            CALLBACK_PREFIX.to_owned(),
            "block the rest / 其余拦截".into(),
        ],
        &format!("WAF: allow {CALLBACK_PREFIX}, block everything else"),
    );
    s.node(
        670,
        160,
        190,
        "#ede9fe",
        &[
            format!("Proxy / 反向代理: {}", plan.proxy.as_str()),
            format!(
                "{scheme} :{}",
                if plan.tls.mode.uses_tls() { 443 } else { 80 }
            ),
            format!("TLS: {}", plan.tls.mode.as_str()),
        ],
        "Reverse proxy: forwards the prefix unchanged, 404 for the rest",
    );
    let qa_bottom = s.node(
        890,
        160,
        190,
        "#fee2e2",
        &["QA service / QA 服务".into(), upstream.clone()],
        &format!("Quick Audience at {upstream}"),
    );
    s.node(
        890,
        330,
        190,
        "#f1f5f9",
        &[
            format!("{} (UTF8)", plan.database_kind.display_name()),
            plan.database_name.as_str().to_owned(),
        ],
        &format!(
            "Analysis-source database {} on {}",
            plan.database_name.as_str(),
            plan.database_kind.display_name()
        ),
    );
    s.arrow(180, 190, 218, 190, scheme);
    s.arrow(420, 190, 448, 190, "");
    s.arrow(640, 190, 668, 190, "");
    s.arrow(860, 190, 888, 190, "");
    s.arrow(985, qa_bottom + 2, 985, 328, "");
    // QA calls the WeCom API directly (its egress IP must be in the app's trusted IPs).
    s.0.push_str(
        r##"<path d="M985,160 C985,20 100,20 100,158" fill="none" stroke="#16a34a" stroke-width="2" stroke-dasharray="5 3" marker-end="url(#arrow)"/>
<text x="560" y="40" text-anchor="middle" fill="#166534">QA calls the WeCom API from its egress IP (trusted IP) / QA 从出口 IP 直接调用企业微信 API（可信 IP）</text>
"##,
    );
    let _ = writeln!(
        s.0,
        r##"<text x="20" y="450" fill="#475569" font-size="11">Callback / 回调: {}</text>"##,
        xml_escape(&fit(&plan.callback_url, 150))
    );
    s.0.push_str("</svg>\n");
    s.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escape_escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(
            xml_escape(r#"<a href="x">&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;"
        );
        assert_eq!(xml_escape("a\u{0}b"), "a\u{FFFD}b");
        assert_eq!(xml_escape("企业微信"), "企业微信");
    }

    #[test]
    fn long_values_are_cut_with_an_ellipsis() {
        assert_eq!(fit("abc", 5), "abc");
        assert_eq!(fit("abcdefgh", 5), "abcd…");
    }

    #[test]
    fn a_line_wider_than_its_box_gets_the_smaller_font() {
        let mut svg = Svg(String::new());
        let bottom = svg.node(
            0,
            100,
            190,
            "#fff",
            &["WAF".into(), CALLBACK_PREFIX.to_owned(), "short".into()],
            "t",
        );
        assert_eq!(bottom, 100 + 30 + 18 * 3, "the box's bottom edge");
        let small = r#"font-size="11">"#;
        assert!(
            svg.0.contains(&format!("{small}{CALLBACK_PREFIX}<")),
            "{}",
            svg.0
        );
        assert!(!svg.0.contains(&format!("{small}short<")), "{}", svg.0);
    }
}
