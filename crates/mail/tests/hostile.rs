//! Bad input: never a panic; a clear error for what is not mail at all,
//! and everything else read leniently.

use fcto_mail::{new_text, parse, triage, MailError, TriageConfig, MAX_MESSAGE_BYTES};

#[test]
fn empty_garbage_and_oversized_input_are_clear_errors() {
    assert_eq!(
        parse("empty.eml", b"  \r\n"),
        Err(MailError::Empty {
            label: "empty.eml".into()
        })
    );
    let huge = vec![b'a'; MAX_MESSAGE_BYTES + 1];
    assert!(matches!(
        parse("huge.eml", &huge),
        Err(MailError::TooLarge { .. })
    ));
    let err = parse("bin.eml", &[0u8, 159, 146, 150, 255, 0, 1]).map(|_| ());
    if let Err(e) = err {
        assert!(e.to_string().starts_with("bin.eml:"), "{e}");
    }
}

#[test]
fn a_25_mb_attachment_is_listed_not_read_into_the_text() {
    let payload = "QUJD".repeat(25 * 1024 * 1024 / 4);
    let mut raw = String::from("From: a@example.com\r\nSubject: plans\r\nMessage-ID: <x@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"Z\"\r\n\r\n--Z\r\nContent-Type: text/plain\r\n\r\nPlans attached; what would it cost?\r\n--Z\r\nContent-Type: application/zip; name=\"plans.zip\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
    for chunk in payload.as_bytes().chunks(76) {
        raw.push_str(std::str::from_utf8(chunk).expect("ascii"));
        raw.push_str("\r\n");
    }
    raw.push_str("--Z--\r\n");
    let message = parse("big.eml", raw.as_bytes()).expect("parses");
    assert_eq!(message.attachments.len(), 1);
    assert!(
        message.attachments[0].bytes > 18 * 1024 * 1024,
        "{:?}",
        message.attachments[0]
    );
    assert_eq!(
        new_text(&message.text),
        "Plans attached; what would it cost?"
    );
}

#[test]
fn deep_nesting_many_headers_and_long_lines_do_not_hang_or_panic() {
    // 2,000 nested multiparts.
    let mut raw = String::from("From: a@example.com\r\nSubject: deep\r\n");
    for i in 0..2000 {
        raw.push_str(&format!(
            "Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n"
        ));
    }
    raw.push_str("Content-Type: text/plain\r\n\r\nhello\r\n");
    let _ = parse("deep.eml", raw.as_bytes());
    // 100,000 header lines and a 5 MB line.
    let mut raw = String::from("From: a@example.com\r\n");
    for i in 0..100_000 {
        raw.push_str(&format!("X-H{i}: v\r\n"));
    }
    raw.push_str("Subject: s\r\n\r\n");
    raw.push_str(&"word ".repeat(1_000_000));
    let message = parse("wide.eml", raw.as_bytes()).expect("parses");
    let _ = triage(&message, &TriageConfig::default());
    assert!(message.text.chars().count() <= 200_000);
    assert!(
        message.problems.iter().any(|p| p.contains("cut")),
        "{:?}",
        message.problems
    );
}

#[test]
fn hostile_headers_and_charsets_are_read_leniently() {
    let cases: &[&[u8]] = &[
        b"From: \r\nSubject: =?bogus-charset?Q?=FF=FE?=\r\n\r\nbody",
        b"From: <<<@@@>>>\r\nMessage-ID: <>\r\nReferences: <\r\n\r\nx",
        b"From: a@example.com\r\nContent-Type: text/plain; charset=utf-16\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!",
        b"From: a@example.com\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\xff\xfe\xfd invalid utf-8",
        b"From: a@example.com\r\nContent-Type: multipart/mixed; boundary=\r\n\r\n--\r\n--\r\n",
    ];
    for raw in cases {
        if let Ok(message) = parse("odd.eml", raw) {
            let _ = triage(&message, &TriageConfig::default());
            let _ = new_text(&message.text);
        }
    }
    // No sender at all: skipped, not drafted.
    let message = parse("nofrom.eml", b"Subject: hi\r\n\r\nprice?").expect("parses");
    assert!(matches!(
        triage(&message, &TriageConfig::default()),
        fcto_mail::Triage::Skip {
            reason: fcto_mail::Skip::NoSender,
            ..
        }
    ));
}
