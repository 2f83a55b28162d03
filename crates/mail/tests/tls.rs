//! IMAP over TLS against the real Dovecot of `scripts/mail-server`, which
//! serves IMAPS and STARTTLS with a certificate from a throwaway CA
//! (FCTO_TEST_IMAPS = "HOST:TLSPORT CA_FILE", FCTO_TEST_IMAP the plain
//! port). Without them the tests say so and pass over.

use fcto_mail::imap::ImapError;
use fcto_mail::tls::{connect, Security};

fn servers() -> Option<(String, String, String)> {
    let plain = std::env::var("FCTO_TEST_IMAP")
        .ok()
        .filter(|s| !s.is_empty());
    let tls = std::env::var("FCTO_TEST_IMAPS")
        .ok()
        .filter(|s| !s.is_empty());
    match (plain, tls) {
        (Some(plain), Some(tls)) => {
            let (addr, ca) = tls.split_once(' ')?;
            Some((plain, addr.to_string(), ca.to_string()))
        }
        _ => {
            eprintln!("skipped: FCTO_TEST_IMAP and FCTO_TEST_IMAPS are not set (scripts/test sets them from scripts/mail-server tls)");
            None
        }
    }
}

#[tokio::test]
async fn imaps_and_starttls_log_in_with_the_servers_ca_and_refuse_without_it() {
    let Some((plain, tls, ca)) = servers() else {
        return;
    };
    let ca = std::path::Path::new(&ca);
    for (addr, security) in [(&tls, Security::Tls), (&plain, Security::StartTls)] {
        let mut m = connect(addr, "owner", "owner-pass", security, Some(ca))
            .await
            .unwrap_or_else(|e| panic!("{security:?}: {e}"));
        // The session works: a folder is found by its SPECIAL-USE.
        let drafts = m
            .special_folder(fcto_mail::imap::Special::Drafts)
            .await
            .expect("list");
        assert_eq!(drafts.as_deref(), Some("Brouillons"), "{security:?}");
        m.logout().await.expect("logout");
        // A certificate from an unknown CA is refused, naming TLS.
        let e = connect(addr, "owner", "owner-pass", security, None)
            .await
            .err()
            .unwrap_or_else(|| panic!("{security:?}: an unknown CA was trusted"));
        assert!(e.to_string().contains("TLS"), "{security:?}: {e}");
    }
    // A wrong password over TLS is a login error, not a connection error.
    let e = connect(&tls, "owner", "wrong", Security::Tls, Some(ca))
        .await
        .err()
        .expect("refused");
    assert!(matches!(e, ImapError::Login { .. }), "{e}");
}

#[tokio::test]
async fn plaintext_is_refused_off_loopback_and_a_bad_ca_file_is_named() {
    let e = connect("192.0.2.1:143", "u", "p", Security::None, None)
        .await
        .err()
        .expect("refused");
    assert!(matches!(e, ImapError::NotLoopback(_)), "{e}");
    let dir = std::env::temp_dir().join(format!("fcto-ca-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let bad = dir.join("not-a-cert.pem");
    std::fs::write(&bad, "hello\n").expect("write");
    let Some((plain, _, _)) = servers() else {
        return;
    };
    let e = connect(
        &plain,
        "owner",
        "owner-pass",
        Security::StartTls,
        Some(&bad),
    )
    .await
    .err()
    .expect("refused");
    assert!(e.to_string().contains("not-a-cert.pem"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}
