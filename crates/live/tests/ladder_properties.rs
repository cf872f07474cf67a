//! The multi-probe ladder never calls a working server broken: a correct receiver, for any valid
//! Token, EncodingAESKey and corpid, passes 100 verifications in a row — 400 probes with both
//! echostr shapes — with no warning; and the probes of one verification stay within the deadline.

mod ladder_support;

use ladder_support::*;
use live::{Credentials, DiagnosisCode};
use proptest::prelude::*;
use std::time::{Duration, Instant};

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_correct_receiver_passes_every_verification(
        token in "[A-Za-z0-9]{1,32}",
        key in "[A-Za-z0-9]{43}",
        corp_id in "ww[0-9a-f]{16}|[A-Za-z0-9]{1,40}",
    ) {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        let credentials = || Credentials::new(token.clone(), key.clone(), corp_id.clone());
        let report = rt.block_on(async {
            let rx = receiver_with(credentials(), None, None).await;
            let report = live::verify(&rx.callback_url(None), &credentials(), &options(5000)).await;
            rx.shutdown().await;
            report
        });
        let report = report.expect("valid input");
        prop_assert_eq!(&report.diagnosis.code, &DiagnosisCode::Ok.to_string(), "{:?}", report);
        prop_assert!(report.ok && report.warnings.is_empty(), "{:?}", report);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_verification_sends_every_probe_within_the_deadline() {
    let rx = receiver(None).await;
    let started = Instant::now();
    let report = live::verify(&rx.callback_url(None), &creds(), &options(5000))
        .await
        .unwrap();
    assert_code(&report, DiagnosisCode::Ok);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(
        rx.stats().verifications_answered,
        live::VERIFY_PROBES as u64
    );
    let reply = step(&report, live::StepName::Reply);
    assert!(
        reply.detail.en.contains("4 of 4 probes passed"),
        "{:?}",
        reply.detail
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_with_ipv6_addresses_only_fails_at_dns() {
    // An IPv6 literal stands for an AAAA-only name: nothing is sent.
    let report = live::verify("http://[::1]:9/callback", &creds(), &options(2000))
        .await
        .unwrap();
    assert_code(&report, DiagnosisCode::DnsIpv6Only);
    assert_eq!(report.diagnosis.params["addrs"], "::1");
    assert!(report.diagnosis.fix.en.contains("A record"));
}
