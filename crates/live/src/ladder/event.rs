//! The sample event the event test POSTs: a customer-contact "external contact added" event
//! (`change_external_contact` / `add_external_contact`) addressed to the plan's corpid, with
//! obviously synthetic ids so nobody mistakes it for a real customer.

use quick_xml::escape::escape;

/// The decrypted event XML WeCom would send when a member adds an external contact.
pub fn sample_event_xml(corp_id: &str, create_time: u64) -> String {
    let corp_id = escape(corp_id);
    format!(
        "<xml><ToUserName>{corp_id}</ToUserName>\
         <FromUserName><![CDATA[sys]]></FromUserName>\
         <CreateTime>{create_time}</CreateTime>\
         <MsgType><![CDATA[event]]></MsgType>\
         <Event><![CDATA[change_external_contact]]></Event>\
         <ChangeType><![CDATA[add_external_contact]]></ChangeType>\
         <UserID><![CDATA[qa-wecom-setup-test]]></UserID>\
         <ExternalUserID><![CDATA[wmQAWeComSetupTestOnly]]></ExternalUserID>\
         <State><![CDATA[qa-wecom-setup]]></State>\
         <WelcomeCode><![CDATA[QAWECOMSETUPTEST]]></WelcomeCode></xml>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carries_the_corpid_and_the_event() {
        let xml = sample_event_xml("ww0123456789abcdef", 1_700_000_000);
        assert!(xml.contains("<ToUserName>ww0123456789abcdef</ToUserName>"));
        assert!(xml.contains("change_external_contact") && xml.contains("add_external_contact"));
        assert!(xml.contains("<CreateTime>1700000000</CreateTime>"));
        assert!(!sample_event_xml("a]]>b<", 1).contains("a]]>b<"));
    }
}
