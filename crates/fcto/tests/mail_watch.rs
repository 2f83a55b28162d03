//! `fcto mail watch` against the real Dovecot: new mail wakes the IDLE and
//! is drafted into the queue within seconds, and after the server drops
//! every connection (`doveadm kick`) the watcher reconnects and goes on,
//! drafting each inquiry once. Alone in its test binary, because the kick
//! drops every connection of the test user.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::model::serve;
use common::Fcto;
use fcto_mail::imap::connect_plain;

fn imap() -> Option<String> {
    match std::env::var("FCTO_TEST_IMAP") {
        Ok(s) if !s.is_empty() => Some(s),
        _ => {
            eprintln!("skipped: FCTO_TEST_IMAP is not set (scripts/test starts Dovecot)");
            None
        }
    }
}

fn dovecot_conf() -> String {
    std::env::var("FCTO_MAIL_DIR")
        .map(|d| format!("{d}/dovecot.conf"))
        .unwrap_or_else(|_| {
            let uid = Command::new("id")
                .arg("-u")
                .output()
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
                .unwrap_or_else(|_| "0".into());
            format!("/var/tmp/fcto-dovecot-{uid}/dovecot.conf")
        })
}

fn inquiry(n: u32, tag: &str) -> Vec<u8> {
    format!(
        "From: Guest {n} <guest{n}@example.com>\r\nTo: owner@harbour.test\r\nSubject: Table for {n}\r\n\
         Message-ID: <watch-{tag}-{n}@example.com>\r\n\r\nCould we book a table for {n} on Friday?\r\n"
    )
    .into_bytes()
}

async fn append(addr: &str, folder: &str, raw: &[u8]) {
    let mut m = connect_plain(addr, "owner", "owner-pass")
        .await
        .expect("login");
    m.append(folder, raw).await.expect("append");
    m.logout().await.expect("logout");
}

/// Wait until the queue holds `n` drafts; the time it took.
fn until_drafts(f: &Fcto, n: usize, limit: Duration) -> Duration {
    let started = Instant::now();
    loop {
        let all = f.json(&["mail", "queue", "harbour-hearth", "--all"]);
        if all.as_array().map_or(0, Vec::len) >= n {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < limit,
            "no draft {n} within {limit:?}: {all}"
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn new_mail_wakes_the_watcher_and_a_dropped_connection_is_survived() {
    let Some(addr) = imap() else { return };
    let (_seen, url) = serve("Hi,\n\nYes, we can. See you Friday.\n\nPriya");
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let tag = format!("{}-{nanos}", std::process::id());
    let folder = format!("watch-{tag}");
    let mut m = connect_plain(&addr, "owner", "owner-pass")
        .await
        .expect("login");
    m.create_folder(&folder).await.expect("create");
    m.append(&folder, &inquiry(2, &tag)).await.expect("append");
    m.logout().await.expect("logout");

    let f = Fcto::new(None);
    f.json(&["init"]);
    f.json(&["client", "add", "Harbour Hearth", "--tier", "growth"]);
    let pass = f.write("pass", b"owner-pass\n");
    f.json(&[
        "mail",
        "connect",
        "harbour-hearth",
        "--imap",
        &addr,
        "--user",
        "owner",
        "--password-file",
        &pass,
    ]);
    let log = f.path("watch.log");
    let mut watcher = Command::new(env!("CARGO_BIN_EXE_fcto"))
        .env("FCTO_HOME", f.home.path())
        .env_remove("FCTO_DATABASE_URL")
        .args([
            "mail",
            "watch",
            "harbour-hearth",
            "--folder",
            &folder,
            "--model-url",
            &url,
            "--idle-seconds",
            "60",
        ])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).expect("log"))
        .spawn()
        .expect("watch");

    until_drafts(&f, 1, Duration::from_secs(60));
    // New mail, while the watcher waits in IDLE.
    std::thread::sleep(Duration::from_millis(300));
    append(&addr, &folder, &inquiry(3, &tag)).await;
    let took = until_drafts(&f, 2, Duration::from_secs(30));
    let latency = f.json(&["mail", "queue", "harbour-hearth", "--all"])[1]["latency_ms"]
        .as_u64()
        .unwrap_or(0);
    eprintln!(
        "new mail to a queued draft: {} ms (the draft itself {latency} ms)",
        took.as_millis()
    );

    // The server drops every connection; mail that comes meanwhile is
    // drafted once the watcher is back.
    let kicked = Command::new("doveadm")
        .args(["-c", &dovecot_conf(), "kick", "owner"])
        .output()
        .expect("doveadm");
    assert!(
        kicked.status.success(),
        "{}",
        String::from_utf8_lossy(&kicked.stderr)
    );
    append(&addr, &folder, &inquiry(4, &tag)).await;
    until_drafts(&f, 3, Duration::from_secs(60));

    let _ = watcher.kill();
    let _ = watcher.wait();
    let stderr = std::fs::read_to_string(&log).expect("log");
    assert!(
        stderr.contains("reconnecting") || stderr.contains("trying again"),
        "the drop was not seen: {stderr}"
    );
    let all = f.json(&["mail", "queue", "harbour-hearth", "--all"]);
    let mut subjects: Vec<&str> = all
        .as_array()
        .expect("drafts")
        .iter()
        .filter_map(|d| d["subject"].as_str())
        .collect();
    subjects.sort_unstable();
    assert_eq!(
        subjects,
        vec!["Table for 2", "Table for 3", "Table for 4"],
        "each inquiry drafted once"
    );
}
