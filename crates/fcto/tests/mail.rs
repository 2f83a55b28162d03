//! `fcto mail connect|sync|inbox` against the real Dovecot that
//! `scripts/mail-server` starts (FCTO_TEST_IMAP); without it the tests say
//! so and pass over.

mod common;

use std::path::Path;

use common::Fcto;
use serde_json::Value;

fn server() -> Option<String> {
    match std::env::var("FCTO_TEST_IMAP") {
        Ok(s) if !s.is_empty() => Some(s),
        _ => {
            eprintln!("skipped: FCTO_TEST_IMAP is not set (scripts/test starts Dovecot with scripts/mail-server)");
            None
        }
    }
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../mail/tests/fixtures")
            .join(name),
    )
    .expect("fixture")
}

/// A fresh folder for this test on the shared server, seeded with mail.
async fn seed(addr: &str, names: &[&str]) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let folder = format!("cli-{}-{nanos}", std::process::id());
    let mut mailbox = fcto_mail::imap::connect_plain(addr, "owner", "owner-pass")
        .await
        .expect("login");
    mailbox.create_folder(&folder).await.expect("create");
    for name in names {
        mailbox
            .append(&folder, &fixture(name))
            .await
            .expect("append");
    }
    mailbox.logout().await.expect("logout");
    folder
}

async fn append(addr: &str, folder: &str, name: &str) {
    let mut mailbox = fcto_mail::imap::connect_plain(addr, "owner", "owner-pass")
        .await
        .expect("login");
    mailbox
        .append(folder, &fixture(name))
        .await
        .expect("append");
    mailbox.logout().await.expect("logout");
}

#[tokio::test]
async fn connect_sync_triage_and_inbox_per_client() {
    let Some(addr) = server() else { return };
    let folder = seed(
        &addr,
        &[
            "booking-plain.eml",
            "complaint-thread-cp1252.eml",
            "auto-reply.eml",
            "bounce.eml",
            "mailing-list.eml",
        ],
    )
    .await;
    let f = Fcto::new(None);
    f.json(&["init"]);
    f.json(&["client", "add", "Harbour Hearth", "--tier", "growth"]);
    f.json(&["client", "add", "Beta Bakery", "--tier", "growth"]);
    let wrong = f.write("wrong.txt", b"not-the-password\n");
    f.fails(
        &[
            "mail",
            "connect",
            "harbour-hearth",
            "--imap",
            &addr,
            "--user",
            "owner",
            "--password-file",
            &wrong,
        ],
        1,
        "login refused",
    );
    f.fails(
        &["mail", "sync", "harbour-hearth", "--folder", &folder],
        1,
        "has no mailbox",
    );

    let pw = f.write("pw.txt", b"owner-pass\n");
    let connected = f.json(&[
        "mail",
        "connect",
        "harbour-hearth",
        "--imap",
        &addr,
        "--user",
        "owner",
        "--password-file",
        &pw,
    ]);
    assert_eq!(connected["username"], "owner");
    assert!(connected.get("secret_sealed").is_none(), "{connected}");
    // The key file is private and the database holds no plaintext password.
    let key = f.path("mail.key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key)
            .expect("key file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "mail.key is readable by others: {mode:o}");
    }
    let db = std::fs::read(f.path("fcto.db")).expect("db");
    assert!(
        !db.windows(b"owner-pass".len()).any(|w| w == b"owner-pass"),
        "plaintext password in the database"
    );

    let first = f.json(&["mail", "sync", "harbour-hearth", "--folder", &folder]);
    assert_eq!(first["fetched"], 5, "{first}");
    assert_eq!(first["new"], 5);
    assert_eq!(first["inquiries"], 2);
    assert_eq!(first["for_a_person"], 1);
    assert_eq!(first["skipped"], 3);
    let again = f.json(&["mail", "sync", "harbour-hearth", "--folder", &folder]);
    assert_eq!(
        (again["fetched"].as_u64(), again["new"].as_u64()),
        (Some(0), Some(0)),
        "{again}"
    );
    append(&addr, &folder, "pricing-html-latin1.eml").await;
    let third = f.json(&["mail", "sync", "harbour-hearth", "--folder", &folder]);
    assert_eq!(
        (third["fetched"].as_u64(), third["inquiries"].as_u64()),
        (Some(1), Some(1)),
        "{third}"
    );

    let inbox = f.json(&["mail", "inbox", "harbour-hearth"]);
    let intents: Vec<&str> = inbox
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|m| m["intent"].as_str())
        .collect();
    assert_eq!(intents, vec!["pricing", "complaint", "booking"], "{inbox}");
    let complaint = &inbox[1];
    assert_eq!(complaint["needs_person"], true);
    assert_eq!(complaint["thread_id"], "first-0@harbourhearth.example");
    assert!(
        !complaint["body"]
            .as_str()
            .unwrap_or("")
            .contains("See you on Friday"),
        "quoted history kept"
    );
    let all = f.json(&["mail", "inbox", "harbour-hearth", "--all"]);
    assert_eq!(all.as_array().map(Vec::len), Some(6));
    let text =
        String::from_utf8_lossy(&f.run(&["mail", "inbox", "harbour-hearth"]).stdout).into_owned();
    assert!(
        text.contains("Table for 6 on Saturday?") && text.contains("person"),
        "{text}"
    );

    // Nothing of Harbour's shows up for Beta.
    assert_eq!(
        f.json(&["mail", "inbox", "beta-bakery", "--all"]),
        Value::Array(vec![])
    );
    f.fails(
        &["mail", "sync", "beta-bakery", "--folder", &folder],
        1,
        "has no mailbox",
    );

    // Without the key the sealed password cannot be used.
    std::fs::remove_file(&key).expect("remove key");
    f.fails(
        &["mail", "sync", "harbour-hearth", "--folder", &folder],
        1,
        "no mail key",
    );
    // A remote server over plaintext is refused before connecting.
    f.fails(
        &[
            "mail",
            "connect",
            "beta-bakery",
            "--imap",
            "192.0.2.1:143",
            "--imap-security",
            "none",
            "--user",
            "x",
            "--password-file",
            &pw,
        ],
        1,
        "loopback",
    );
}
