//! Criterion benchmarks of the callback hot paths, on the official vectors:
//! `verify_url` (GET: signature check + decrypt of the echostr) and `decrypt_event` (POST: envelope
//! parse + signature check + decrypt). `scripts/bench-crypto.sh` compares them with wechatpy.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use wecom_crypto::WeComCrypto;

use wecom_crypto::sample::{CORP_ID as CORP, ENCODING_AES_KEY as KEY, GET_QUERY, POST_BODY, TOKEN};

const GET_SIGNATURE: &str = "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3";
const GET_TIMESTAMP: &str = "1409659589";
const GET_NONCE: &str = "263014780";
const GET_ECHOSTR: &str =
    "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";

const POST_SIGNATURE: &str = "477715d11cdb4164915debcba66cb864d751f3e6";
const POST_TIMESTAMP: &str = "1409659813";
const POST_NONCE: &str = "1372623149";

fn callback(c: &mut Criterion) {
    let Ok(crypto) = WeComCrypto::new(TOKEN, KEY, CORP) else {
        panic!("the official key must parse");
    };
    // Check once that the benchmarks measure the success path.
    assert_eq!(
        crypto
            .verify_url(GET_SIGNATURE, GET_TIMESTAMP, GET_NONCE, GET_ECHOSTR)
            .ok()
            .as_deref(),
        Some("1616140317555161061")
    );
    assert!(
        crypto
            .decrypt_event(
                POST_SIGNATURE,
                POST_TIMESTAMP,
                POST_NONCE,
                POST_BODY.as_bytes()
            )
            .is_ok()
    );

    c.bench_function("verify_url", |b| {
        b.iter(|| {
            crypto.verify_url(
                black_box(GET_SIGNATURE),
                black_box(GET_TIMESTAMP),
                black_box(GET_NONCE),
                black_box(GET_ECHOSTR),
            )
        })
    });
    c.bench_function("verify_url_query", |b| {
        b.iter(|| crypto.verify_url_query(black_box(GET_QUERY)))
    });
    c.bench_function("decrypt_event", |b| {
        b.iter(|| {
            crypto.decrypt_event(
                black_box(POST_SIGNATURE),
                black_box(POST_TIMESTAMP),
                black_box(POST_NONCE),
                black_box(POST_BODY.as_bytes()),
            )
        })
    });
    c.bench_function("simulate_url_verification", |b| {
        b.iter(|| crypto.simulate_url_verification())
    });
}

criterion_group!(benches, callback);
criterion_main!(benches);
