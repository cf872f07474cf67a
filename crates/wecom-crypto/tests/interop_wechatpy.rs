//! Interop with an independent implementation: wechatpy (PyPI), driven through
//! `tests/interop/wechatpy_peer.py` in the workspace venv (`scripts/python-venv.sh`). Over more
//! than a thousand random messages (Chinese, emoji, control characters, XML, empty, long) we
//! check that wechatpy decrypts what we encrypt, that we decrypt what wechatpy encrypts, and that
//! the signatures agree. One Python process serves the whole batch (JSON lines).

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use wecom_crypto::{WeComCrypto, generate_encoding_aes_key, generate_token, signature};

const CASES: usize = 1200;

fn workspace() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// splitmix64: small, deterministic per seed, good enough to vary test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn char_in(&mut self, low: u32, high: u32) -> char {
        let code = low + self.below(u64::from(high - low)) as u32;
        char::from_u32(code).unwrap_or('?')
    }
    fn alnum(&mut self, len: usize) -> String {
        const SET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        (0..len)
            .map(|_| char::from(SET[self.below(62) as usize]))
            .collect()
    }
    fn alnum_upto(&mut self, max: u64) -> String {
        let len = 1 + self.below(max) as usize;
        self.alnum(len)
    }
    fn digits(&mut self, len: usize) -> String {
        (0..len)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

/// A message of one of several shapes, chosen by `case` so every shape is covered.
fn message(rng: &mut Rng, case: usize) -> String {
    match case % 7 {
        0 => String::new(),
        1 => (0..1 + rng.below(200))
            .map(|_| rng.char_in(0x4E00, 0x9FA5))
            .collect(),
        2 => (0..1 + rng.below(500))
            .map(|_| rng.char_in(0x20, 0x7F))
            .collect(),
        3 => (0..1 + rng.below(300))
            .map(|_| match rng.below(5) {
                0 => rng.char_in(0x1F300, 0x1F64F),
                1 => rng.char_in(0xA0, 0x24F),
                2 => ['\n', '\t', '\r', '\u{1}', '\u{7f}'][rng.below(5) as usize],
                3 => rng.char_in(0x3040, 0x30FF),
                _ => rng.char_in(0x4E00, 0x9FA5),
            })
            .collect(),
        4 => format!(
            "<xml><ToUserName><![CDATA[ww{}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>\
             <CreateTime>{}</CreateTime><MsgType><![CDATA[event]]></MsgType>\
             <Event><![CDATA[change_external_contact]]></Event>\
             <ChangeType><![CDATA[add_external_contact]]></ChangeType>\
             <UserID><![CDATA[张三{}]]></UserID><ExternalUserID><![CDATA[wm{}]]></ExternalUserID></xml>",
            rng.digits(16),
            rng.digits(10),
            rng.alnum(4),
            rng.alnum(20)
        ),
        5 => (0..1000 + rng.below(2000))
            .map(|_| rng.char_in(0x4E00, 0x9FA5))
            .collect(),
        _ => rng.digits(19),
    }
}

struct Case {
    token: String,
    aes_key: String,
    corp_id: String,
    msg: String,
    timestamp: String,
    nonce: String,
}

#[test]
fn wechatpy_and_we_agree_on_1200_random_messages_in_both_directions() {
    let seed = std::env::var("INTEROP_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        });
    let mut rng = Rng(seed);

    // Build the cases and, per case, the requests for wechatpy.
    let mut cases = Vec::with_capacity(CASES);
    let mut requests: Vec<Value> = Vec::with_capacity(CASES * 4);
    let mut ours: Vec<(String, String)> = Vec::with_capacity(CASES); // (echostr, event body)
    for i in 0..CASES {
        let case = Case {
            token: if i % 3 == 0 {
                generate_token()
            } else {
                rng.alnum_upto(32)
            },
            aes_key: generate_encoding_aes_key(),
            corp_id: match i % 10 {
                0 => String::new(),
                1 => format!("wx{}", rng.alnum(16)),
                _ => format!("ww{:016x}", rng.next()),
            },
            msg: message(&mut rng, i),
            timestamp: rng.digits(10),
            // The admin debug tool sends letters: nonces are opaque strings.
            nonce: if i % 2 == 0 {
                rng.digits(9)
            } else {
                rng.alnum_upto(16)
            },
        };
        let crypto = WeComCrypto::new(&case.token, &case.aes_key, &case.corp_id).unwrap();
        let base = json!({"token": case.token, "aes_key": case.aes_key, "corp_id": case.corp_id});
        let with = |extra: Value| {
            let mut v = base.clone();
            if let (Some(v), Some(extra)) = (v.as_object_mut(), extra.as_object()) {
                v.extend(extra.clone());
            }
            v
        };

        // 1. URL verification: we encrypt and sign, wechatpy check_signature (verify + decrypt).
        let echostr = crypto.encrypt(case.msg.as_bytes()).unwrap();
        let echostr_sig = crypto.signature(&case.timestamp, &case.nonce, &echostr);
        requests.push(with(
            json!({"op": "check_signature", "msg_signature": echostr_sig,
            "timestamp": case.timestamp, "nonce": case.nonce, "echostr": echostr}),
        ));

        // 2. Event: we build WeCom's envelope, wechatpy decrypt_message.
        let delivery = crypto.simulate_event(&case.msg).unwrap();
        requests.push(with(
            json!({"op": "decrypt_message", "msg_signature": delivery.signed.msg_signature,
            "timestamp": delivery.signed.timestamp, "nonce": delivery.signed.nonce, "xml": delivery.body}),
        ));

        // 3. wechatpy encrypts (its passive reply), we decrypt it as an event.
        requests.push(with(json!({"op": "encrypt_message", "msg": case.msg,
            "timestamp": case.timestamp, "nonce": case.nonce})));

        // 4. Signatures over arbitrary strings.
        requests.push(with(
            json!({"op": "sign", "timestamp": case.timestamp, "nonce": case.nonce,
            "encrypted": echostr}),
        ));

        ours.push((echostr, delivery.body));
        cases.push(case);
    }

    let answers = run_peer(&requests);
    assert_eq!(
        answers.len(),
        requests.len(),
        "seed {seed}: wechatpy answered {} of {} requests",
        answers.len(),
        requests.len()
    );

    let mut checked = 0;
    for (i, case) in cases.iter().enumerate() {
        let ctx = format!(
            "seed {seed}, case {i} (corp_id {:?}, msg {:?}…)",
            case.corp_id,
            case.msg.chars().take(30).collect::<String>()
        );
        let [check, decrypt, encrypt, sign] = [0, 1, 2, 3].map(|k| &answers[i * 4 + k]);
        for answer in [check, decrypt, encrypt, sign] {
            assert_eq!(answer["ok"], true, "{ctx}: wechatpy failed: {answer}");
        }
        // wechatpy decrypts what we encrypt.
        assert_eq!(
            check["plain"].as_str(),
            Some(case.msg.as_str()),
            "{ctx}: check_signature"
        );
        assert_eq!(
            decrypt["plain"].as_str(),
            Some(case.msg.as_str()),
            "{ctx}: decrypt_message"
        );

        // We decrypt what wechatpy encrypts, and agree on its signature.
        let crypto = WeComCrypto::new(&case.token, &case.aes_key, &case.corp_id).unwrap();
        let xml = encrypt["xml"].as_str().unwrap();
        let their_encrypt = encrypt["encrypt"].as_str().unwrap();
        let their_sig = encrypt["msg_signature"].as_str().unwrap();
        assert_eq!(
            signature(&case.token, &case.timestamp, &case.nonce, their_encrypt),
            their_sig,
            "{ctx}: reply signature"
        );
        let plain = crypto
            .decrypt_event(their_sig, &case.timestamp, &case.nonce, xml.as_bytes())
            .unwrap_or_else(|e| panic!("{ctx}: decrypting wechatpy's reply: {e}"));
        assert_eq!(plain, case.msg, "{ctx}: our decrypt of wechatpy");

        // Signatures agree over the same four strings.
        assert_eq!(
            sign["msg_signature"].as_str(),
            Some(signature(&case.token, &case.timestamp, &case.nonce, &ours[i].0).as_str()),
            "{ctx}: signature"
        );
        checked += 1;
    }
    assert_eq!(checked, CASES);
}

#[test]
fn wechatpy_rejects_our_ciphertext_for_another_corpid_as_we_do() {
    let key = generate_encoding_aes_key();
    let ours = WeComCrypto::new("token", &key, "wwaaaaaaaaaaaaaaaa").unwrap();
    let v = ours.simulate_url_verification().unwrap();
    let answers = run_peer(&[
        json!({"op": "check_signature", "token": "token", "aes_key": key, "corp_id": "wwbbbbbbbbbbbbbbbb",
            "msg_signature": v.signed.msg_signature, "timestamp": v.signed.timestamp, "nonce": v.signed.nonce, "echostr": v.echostr}),
    ]);
    assert_eq!(answers[0]["ok"], false);
    assert_eq!(answers[0]["error"], "InvalidCorpIdException");
    let theirs_view = WeComCrypto::new("token", &key, "wwbbbbbbbbbbbbbbbb").unwrap();
    let err = theirs_view
        .verify_url(
            &v.signed.msg_signature,
            &v.signed.timestamp,
            &v.signed.nonce,
            &v.echostr,
        )
        .unwrap_err();
    assert_eq!(err.code(), -40005);
}

/// Sends every request to one wechatpy process (the workspace venv's Python: a panic that says
/// how to make it when it is missing, never a skip) and returns its answers in order. A writer
/// thread feeds stdin while this thread drains stdout, so large batches cannot deadlock on full
/// pipes.
fn run_peer(requests: &[Value]) -> Vec<Value> {
    let python = workspace().join("tests/.venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run scripts/python-venv.sh (it installs wechatpy from tests/requirements.txt)",
        python.display()
    );
    let script = workspace().join("tests/interop/wechatpy_peer.py");
    let mut child = Command::new(&python)
        .arg(&script)
        .env("PYTHONIOENCODING", "utf-8")
        .env("PYTHONUTF8", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot start {} {}: {e}",
                python.display(),
                script.display()
            )
        });
    let mut stdin = child.stdin.take().unwrap();
    let mut input = String::new();
    for request in requests {
        input.push_str(&request.to_string());
        input.push('\n');
    }
    let writer = std::thread::spawn(move || {
        stdin.write_all(input.as_bytes()).unwrap();
    });
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let answers: Vec<Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(&line.unwrap()).unwrap())
        .collect();
    writer.join().unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "wechatpy peer exited with {status}");
    answers
}
