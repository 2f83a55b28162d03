//! Incremental sync against a real IMAP server: Dovecot, started on
//! loopback by `scripts/mail-server` (which `scripts/test` runs). Without
//! `FCTO_TEST_IMAP` the tests say so and pass over.

use std::collections::BTreeSet;
use std::path::Path;

use fcto_mail::imap::{connect_plain, ImapError};

fn server() -> Option<String> {
    match std::env::var("FCTO_TEST_IMAP") {
        Ok(s) if !s.is_empty() => Some(s),
        _ => {
            eprintln!("skipped: FCTO_TEST_IMAP is not set (scripts/test starts Dovecot with scripts/mail-server)");
            None
        }
    }
}

const USER: &str = "owner";
const PASSWORD: &str = "owner-pass";

fn folder(name: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("t-{name}-{}-{nanos}", std::process::id())
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .expect("fixture")
}

/// A distinct message (its own Message-ID) for seeding.
fn numbered(n: u32) -> Vec<u8> {
    format!(
        "From: Guest {n} <guest{n}@example.com>\r\nTo: owner@harbourhearth.example\r\nSubject: Table for {n}\r\nMessage-ID: <seed-{n}@example.com>\r\nDate: Mon, 30 Nov 2026 10:{:02}:00 +0000\r\n\r\nCan we book a table for {n}?\r\n",
        n % 60
    )
    .into_bytes()
}

#[tokio::test]
async fn sync_is_incremental_and_in_uid_order() {
    let Some(addr) = server() else { return };
    let mut mailbox = connect_plain(&addr, USER, PASSWORD).await.expect("login");
    let f = folder("incr");
    mailbox.create_folder(&f).await.expect("create");
    let empty = mailbox
        .sync(
            &f,
            None,
            async |_| Err("an empty folder has nothing".into()),
        )
        .await
        .expect("empty");
    assert_eq!((empty.fetched, empty.state.uid_next), (0, 1));
    for name in [
        "booking-plain.eml",
        "pricing-html-latin1.eml",
        "complaint-thread-cp1252.eml",
    ] {
        mailbox.append(&f, &fixture(name)).await.expect("append");
    }
    let mut subjects = Vec::new();
    let first = mailbox
        .sync(&f, None, async |m| {
            let parsed =
                fcto_mail::parse(&format!("uid {}", m.uid), &m.raw).map_err(|e| e.to_string())?;
            subjects.push((m.uid, parsed.subject));
            Ok(())
        })
        .await
        .expect("first sync");
    assert_eq!(first.fetched, 3);
    assert!(!first.reset);
    assert_eq!(
        subjects,
        vec![
            (1, "Table for 6 on Saturday?".to_string()),
            (2, "Preise für Gruppen".to_string()),
            (3, "Re: Your booking on Friday".to_string()),
        ]
    );
    assert_eq!(first.state.uid_next, 4);
    assert!(
        first.state.highest_modseq.is_some(),
        "Dovecot offers CONDSTORE"
    );

    // Two more arrive: only they come next time; then nothing.
    mailbox.append(&f, &numbered(1)).await.expect("append");
    mailbox.append(&f, &numbered(2)).await.expect("append");
    let mut uids = Vec::new();
    let second = mailbox
        .sync(&f, Some(first.state), async |m| {
            uids.push(m.uid);
            Ok(())
        })
        .await
        .expect("second sync");
    assert_eq!((second.fetched, uids), (2, vec![4, 5]));
    let third = mailbox
        .sync(&f, Some(second.state), async |_| {
            Err("nothing should come".into())
        })
        .await
        .expect("third sync");
    assert_eq!(third.fetched, 0);
    assert_eq!(third.state.uid_next, 6);
    mailbox.delete_folder(&f).await.expect("delete");
    mailbox.logout().await.expect("logout");
}

#[tokio::test]
async fn a_sync_cut_short_resumes_without_repeating_a_message() {
    let Some(addr) = server() else { return };
    let mut mailbox = connect_plain(&addr, USER, PASSWORD).await.expect("login");
    let f = folder("resume");
    mailbox.create_folder(&f).await.expect("create");
    for n in 1..=120 {
        mailbox.append(&f, &numbered(n)).await.expect("append");
    }
    // The handler fails on the 75th message (a crash, a dropped
    // connection), past the first batch; the error says where to resume,
    // as the caller's persisted state would.
    let mut handled: Vec<u32> = Vec::new();
    let cut = mailbox
        .sync(&f, None, async |m| {
            if m.uid == 75 {
                return Err("connection dropped".into());
            }
            handled.push(m.uid);
            Ok(())
        })
        .await;
    let persisted = match cut {
        Err(ImapError::Handler {
            uid,
            detail,
            resume,
        }) => {
            assert_eq!((uid, detail.as_str()), (75, "connection dropped"));
            assert_eq!(resume.uid_next, 75);
            Some(resume)
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(handled.len(), 74);

    // A new connection resumes from there.
    let mut again = connect_plain(&addr, USER, PASSWORD)
        .await
        .expect("login again");
    let resumed = again
        .sync(&f, persisted, async |m| {
            handled.push(m.uid);
            Ok(())
        })
        .await
        .expect("resume");
    assert!(!resumed.reset);
    let unique: BTreeSet<u32> = handled.iter().copied().collect();
    assert_eq!(
        unique.len(),
        handled.len(),
        "a message was handed over twice"
    );
    assert_eq!(
        unique,
        (1..=120).collect::<BTreeSet<u32>>(),
        "a message was missed"
    );
    again.delete_folder(&f).await.expect("delete");
    again.logout().await.expect("logout");
    mailbox.logout().await.expect("logout");
}

#[tokio::test]
async fn a_new_uidvalidity_refetches_everything_as_a_reset() {
    let Some(addr) = server() else { return };
    let mut mailbox = connect_plain(&addr, USER, PASSWORD).await.expect("login");
    let f = folder("reset");
    mailbox.create_folder(&f).await.expect("create");
    mailbox.append(&f, &numbered(1)).await.expect("append");
    let before = mailbox
        .sync(&f, None, async |_| Ok(()))
        .await
        .expect("sync");
    // The folder is recreated under the same name: the server renumbers it.
    mailbox.delete_folder(&f).await.expect("delete");
    mailbox.create_folder(&f).await.expect("create again");
    mailbox.append(&f, &numbered(7)).await.expect("append");
    let mut ids = Vec::new();
    let after = mailbox
        .sync(&f, Some(before.state), async |m| {
            ids.push(
                fcto_mail::parse("m", &m.raw)
                    .map_err(|e| e.to_string())?
                    .message_id,
            );
            Ok(())
        })
        .await
        .expect("sync after reset");
    assert!(after.reset);
    assert_ne!(after.state.uid_validity, before.state.uid_validity);
    assert_eq!(ids, vec![Some("seed-7@example.com".to_string())]);
    mailbox.delete_folder(&f).await.expect("delete");
    mailbox.logout().await.expect("logout");
}

#[tokio::test]
async fn refused_logins_missing_folders_and_remote_plaintext_are_clear_errors() {
    let Some(addr) = server() else { return };
    match connect_plain(&addr, USER, "wrong-password").await {
        Err(ImapError::Login { user, .. }) => assert_eq!(user, USER),
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("logged in with a wrong password"),
    }
    let mut mailbox = connect_plain(&addr, USER, PASSWORD).await.expect("login");
    let err = mailbox
        .sync("no-such-folder", None, async |_| Ok(()))
        .await
        .expect_err("missing");
    assert!(err.to_string().contains("no-such-folder"), "{err}");
    mailbox.logout().await.expect("logout");
    // TEST-NET-1: never contacted, refused before connecting.
    assert!(matches!(
        connect_plain("192.0.2.1:143", USER, PASSWORD).await,
        Err(ImapError::NotLoopback(_))
    ));
}
