//! The approval queue and the outbox end to end, against the real Dovecot
//! (FCTO_TEST_IMAP) and the SMTP server that delivers into it
//! (FCTO_TEST_SMTP, scripts/smtp-server), with a local model endpoint:
//! inquiries synced and drafted into the queue and the Drafts folder,
//! edited, approved and sent once with threading headers, rejected, noticed
//! when answered from a mail client, and a send killed at every step of
//! its state machine that still goes out at most once.

mod common;

use common::model::serve;
use common::Fcto;
use fcto_mail::imap::connect_plain;
use serde_json::Value;

/// Both servers, or None (and a note) when either is missing.
fn servers() -> Option<(String, String)> {
    match (
        std::env::var("FCTO_TEST_IMAP"),
        std::env::var("FCTO_TEST_SMTP"),
    ) {
        (Ok(imap), Ok(smtp)) if !imap.is_empty() && !smtp.is_empty() => Some((imap, smtp)),
        _ => {
            eprintln!("skipped: FCTO_TEST_IMAP and FCTO_TEST_SMTP are not both set (scripts/test starts Dovecot and the SMTP server)");
            None
        }
    }
}

fn unique(tag: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{tag}-{}-{nanos}", std::process::id())
}

/// An inquiry from the customer (Dovecot user `other`, so the reply is
/// delivered where the test can read it).
fn inquiry(id: &str, subject: &str, text: &str) -> Vec<u8> {
    format!(
        "From: Sam Jones <other@customer.test>\r\nTo: owner@harbour.test\r\nSubject: {subject}\r\n\
         Date: Tue, 24 Nov 2026 09:00:00 +0000\r\nMessage-ID: <{id}>\r\nReferences: <earlier-{id}>\r\n\r\n{text}\r\n"
    )
    .into_bytes()
}

async fn seed(imap: &str, folder: &str, messages: &[Vec<u8>]) {
    let mut m = connect_plain(imap, "owner", "owner-pass")
        .await
        .expect("login");
    m.create_folder(folder).await.expect("create");
    for raw in messages {
        m.append(folder, raw).await.expect("append");
    }
    m.logout().await.expect("logout");
}

/// (UID, flags) of messages in `user`'s `folder` whose `header` holds `value`.
async fn find(
    imap: &str,
    user: &str,
    folder: &str,
    header: &str,
    value: &str,
) -> Vec<(u32, Vec<String>)> {
    let password = format!("{user}-pass");
    let mut m = connect_plain(imap, user, &password).await.expect("login");
    // "Drafts" and "Sent" by SPECIAL-USE: the test server names them otherwise.
    let folder = special(&mut m, folder).await;
    let found = m
        .find_by_header(&folder, header, value)
        .await
        .expect("search");
    m.logout().await.expect("logout");
    found
}

async fn special(m: &mut fcto_mail::imap::Mailbox<tokio::net::TcpStream>, folder: &str) -> String {
    let special = match folder {
        "Drafts" => fcto_mail::imap::Special::Drafts,
        "Sent" => fcto_mail::imap::Special::Sent,
        other => return other.to_string(),
    };
    m.special_folder(special)
        .await
        .expect("list")
        .expect("special folder")
}

const ANSWER: &str =
    "Hi Sam,\n\nGroups of 8 or more pay a deposit of £10 per head.\n\nSee you soon,\nPriya";

/// A fresh fcto home with one client, Harbour Hearth, and no mailbox yet.
fn harbour() -> Fcto {
    let f = Fcto::new(None);
    f.json(&["init"]);
    f.json(&["client", "add", "Harbour Hearth", "--tier", "growth"]);
    f
}

/// A new folder holding one inquiry from the customer; its name.
async fn one_inquiry(imap: &str, tag: &str) -> String {
    let folder = unique(tag);
    let id = format!("{}@customer.test", unique(tag));
    seed(
        imap,
        &folder,
        &[inquiry(&id, "Group of 10", "How much is the deposit?")],
    )
    .await;
    folder
}

/// Sync the folder and draft its inquiry with the model at `model_url`;
/// the draft's id.
fn drafted(f: &Fcto, folder: &str, model_url: &str) -> String {
    let synced = f.json(&[
        "mail",
        "sync",
        "harbour-hearth",
        "--folder",
        folder,
        "--draft",
        "--model-url",
        model_url,
    ]);
    draft_ids(&synced)[0].to_string()
}

/// Sync the folder, draft the inquiry with the model at `model_url`,
/// approve the draft: it must be sent and reach the customer once.
async fn reply_reaches_the_customer(f: &Fcto, imap: &str, folder: &str, model_url: &str) {
    let draft = drafted(f, folder, model_url);
    let approved = f.json(&["mail", "approve", "harbour-hearth", &draft]);
    assert_eq!(approved["draft"]["status"], "sent", "{approved}");
    let reply_id = approved["draft"]["reply_message_id"]
        .as_str()
        .expect("id")
        .to_string();
    assert_eq!(
        find(imap, "other", "INBOX", "Message-ID", &reply_id)
            .await
            .len(),
        1
    );
}

fn connected(imap: &str, smtp: &str) -> Fcto {
    let f = Fcto::new(None);
    f.json(&["init"]);
    f.json(&["client", "add", "Harbour Hearth", "--tier", "growth"]);
    f.json(&["client", "add", "Beta Bakery", "--tier", "growth"]);
    let pass = f.write("pass", b"owner-pass\n");
    f.json(&[
        "mail",
        "connect",
        "harbour-hearth",
        "--imap",
        imap,
        "--smtp",
        smtp,
        "--user",
        "owner",
        "--from",
        "Harbour Hearth <owner@harbour.test>",
        "--password-file",
        &pass,
    ]);
    f
}

fn draft_ids(queued: &Value) -> Vec<i64> {
    queued["then"]["queued"]
        .as_array()
        .expect("queued")
        .iter()
        .map(|q| q["draft"].as_i64().expect("id"))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn queue_edit_approve_send_once_reject_and_notice_replies_from_the_mail_client() {
    let Some((imap, smtp)) = servers() else {
        return;
    };
    let (_seen, url) = serve(ANSWER);
    let folder = unique("send");
    let ids: Vec<String> = (1..=3)
        .map(|i| format!("{}@customer.test", unique(&format!("q{i}"))))
        .collect();
    seed(
        &imap,
        &folder,
        &[
            inquiry(
                &ids[0],
                "Group of 10 on Saturday",
                "How much is the deposit for a group of 10?",
            ),
            inquiry(
                &ids[1],
                "Dogs?",
                "Can I bring my dog to the bar for a booking?",
            ),
            inquiry(
                &ids[2],
                "Price for a party booking",
                "What would a party of 12 cost?",
            ),
        ],
    )
    .await;
    let f = connected(&imap, &smtp);
    let synced = f.json(&[
        "mail",
        "sync",
        "harbour-hearth",
        "--folder",
        &folder,
        "--draft",
        "--model-url",
        &url,
    ]);
    assert_eq!(synced["first"]["inquiries"], 3, "{synced}");
    let drafts = draft_ids(&synced);
    assert_eq!(drafts.len(), 3, "{synced}");
    let queue = f.json(&["mail", "queue", "harbour-hearth"]);
    assert_eq!(queue.as_array().map(Vec::len), Some(3));
    let first = &queue[0];
    let reply_id = first["reply_message_id"]
        .as_str()
        .expect("reply id")
        .to_string();
    assert_eq!(first["status"], "queued");
    assert_eq!(first["in_reply_to"], ids[0].as_str());
    assert_eq!(first["model"], "test-model");
    assert!(first["prompt_chars"].as_i64().unwrap_or(0) > 100, "{first}");
    // Each draft waits in the mailbox's Drafts folder as a threaded reply.
    let in_drafts = find(&imap, "owner", "Drafts", "Message-ID", &reply_id).await;
    assert_eq!(in_drafts.len(), 1);
    assert!(
        in_drafts[0].1.iter().any(|f| f == "\\Draft"),
        "{in_drafts:?}"
    );

    // The owner edits, and the Drafts copy follows.
    let edited = "Hi Sam,\n\nA group of 10 pays a deposit of £10 per head.\n\nSee you soon,\nPriya";
    let file = f.write("edited.txt", edited.as_bytes());
    let id0 = drafts[0].to_string();
    f.json(&["mail", "edit", "harbour-hearth", &id0, "--file", &file]);
    assert_eq!(
        find(&imap, "owner", "Drafts", "Message-ID", &reply_id)
            .await
            .len(),
        1
    );

    // Approve: sent once, threaded, filed in Sent, gone from Drafts.
    let approved = f.json(&["mail", "approve", "harbour-hearth", &id0, "--by", "priya"]);
    assert_eq!(approved["draft"]["status"], "sent", "{approved}");
    let delivered = find(&imap, "other", "INBOX", "Message-ID", &reply_id).await;
    assert_eq!(delivered.len(), 1, "delivered exactly once");
    assert_eq!(
        find(&imap, "other", "INBOX", "In-Reply-To", &ids[0])
            .await
            .len(),
        1
    );
    let filed = find(&imap, "owner", "Sent", "Message-ID", &reply_id).await;
    assert_eq!(filed.len(), 1);
    assert!(!filed[0].1.iter().any(|f| f == "$FctoSending"), "{filed:?}");
    assert!(find(&imap, "owner", "Drafts", "Message-ID", &reply_id)
        .await
        .is_empty());
    let shown = f.json(&["mail", "show", "harbour-hearth", &id0]);
    assert_eq!(shown["body"], edited);
    assert_eq!(shown["decided_by"], "priya");
    assert!(shown["edit_distance"].as_i64().unwrap_or(0) > 0);

    // Approving again is refused and sends nothing more.
    f.fails(&["mail", "approve", "harbour-hearth", &id0], 1, "already");
    f.json(&["mail", "send", "harbour-hearth"]);
    assert_eq!(
        find(&imap, "other", "INBOX", "Message-ID", &reply_id)
            .await
            .len(),
        1
    );

    // Reject: nothing sent, the Drafts copy goes.
    let id1 = drafts[1].to_string();
    let reply1 = f.json(&["mail", "show", "harbour-hearth", &id1])["reply_message_id"]
        .as_str()
        .expect("id")
        .to_string();
    let rejected = f.json(&[
        "mail",
        "reject",
        "harbour-hearth",
        &id1,
        "--reason",
        "we answer dogs by phone",
    ]);
    assert_eq!(rejected["status"], "rejected");
    assert!(find(&imap, "owner", "Drafts", "Message-ID", &reply1)
        .await
        .is_empty());
    f.fails(&["mail", "approve", "harbour-hearth", &id1], 1, "rejected");
    assert!(find(&imap, "other", "INBOX", "Message-ID", &reply1)
        .await
        .is_empty());

    // The owner answers the third from their mail client: fcto notices.
    let theirs = format!(
        "From: owner@harbour.test\r\nTo: other@customer.test\r\nSubject: Re: Price for a party booking\r\n\
         Message-ID: <{}>\r\nIn-Reply-To: <{}>\r\n\r\nI'll call you.\r\n",
        unique("theirs") + "@harbour.test",
        ids[2]
    );
    let mut m = connect_plain(&imap, "owner", "owner-pass")
        .await
        .expect("login");
    let sent_folder = special(&mut m, "Sent").await;
    assert_ne!(
        sent_folder, "Sent",
        "the test server names its Sent folder otherwise"
    );
    m.append(&sent_folder, theirs.as_bytes())
        .await
        .expect("append");
    m.logout().await.expect("logout");
    let sent = f.json(&["mail", "send", "harbour-hearth"]);
    assert_eq!(sent["handled"], serde_json::json!([drafts[2]]), "{sent}");
    let id2 = drafts[2].to_string();
    assert_eq!(
        f.json(&["mail", "show", "harbour-hearth", &id2])["status"],
        "handled"
    );

    // The Sent folder: past replies, never inquiries; the voice learns
    // from them and the next drafts take them as examples.
    let sent = f.json(&["mail", "sync", "harbour-hearth", "--folder", &sent_folder]);
    assert_eq!(sent["inquiries"], 0, "{sent}");
    assert!(sent["new"].as_u64().unwrap_or(0) >= 2, "{sent}");
    let voice = f.json(&["mail", "voice", "harbour-hearth", "--from-sent"]);
    assert!(voice["messages"].as_u64().unwrap_or(0) >= 2, "{voice}");
    assert_eq!(voice["greetings"][0][0], "Hi {name},", "{voice}");
    let edited_voice = f.write(
        "voice.json",
        serde_json::to_string(&serde_json::json!({
            "messages": 2, "greetings": [["Hello {name},", 2]], "sign_offs": [["Warm regards,", 2]],
            "median_words": 40, "formality": 0.6, "phrases": []
        }))
        .expect("json")
        .as_bytes(),
    );
    let loaded = f.json(&["mail", "voice", "harbour-hearth", "--load", &edited_voice]);
    assert_eq!(loaded["greetings"][0][0], "Hello {name},");
    let broken = f.write("broken.json", br#"{"messages": 2, "greetings": "#);
    f.fails(
        &["mail", "voice", "harbour-hearth", "--load", &broken],
        1,
        "broken.json",
    );

    let metrics = f.json(&["mail", "metrics", "harbour-hearth"]);
    assert_eq!(metrics["drafts"], 3);
    assert_eq!(metrics["sent"], 1);
    assert_eq!(metrics["rejected"], 1);
    assert_eq!(metrics["handled_outside"], 1);
    assert_eq!(metrics["approval_rate"], 0.5);
    assert!(metrics["reply_p50_minutes"].as_f64().is_some(), "{metrics}");

    // Another client sees none of it.
    assert_eq!(
        f.json(&["mail", "queue", "beta-bakery", "--all"]),
        serde_json::json!([])
    );
    f.fails(&["mail", "show", "beta-bakery", &id0], 1, "not found");
    f.fails(&["mail", "approve", "beta-bakery", &id0], 1, "not found");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_send_killed_at_any_step_goes_out_at_most_once() {
    let Some((imap, smtp)) = servers() else {
        return;
    };
    let (_seen, url) = serve(ANSWER);
    let f = connected(&imap, &smtp);
    for step in fcto_responder::outbox::CRASH_STEPS {
        let folder = one_inquiry(&imap, &format!("crash-{step}")).await;
        let draft = drafted(&f, &folder, &url);
        f.json(&["mail", "approve", "harbour-hearth", &draft, "--no-send"]);
        let reply_id = f.json(&["mail", "show", "harbour-hearth", &draft])["reply_message_id"]
            .as_str()
            .expect("id")
            .to_string();

        let crashed = f.run_env(
            &["mail", "send", "harbour-hearth"],
            &[("FCTO_MAIL_CRASH_AT", step)],
        );
        assert!(
            !crashed.status.success(),
            "{step}: the process was to abort"
        );
        assert!(
            String::from_utf8_lossy(&crashed.stderr).contains("aborting"),
            "{step}"
        );

        // Recovery: a plain run after the crash.
        let _ = f.run(&["mail", "send", "harbour-hearth"]);
        let status = f.json(&["mail", "show", "harbour-hearth", &draft])["status"]
            .as_str()
            .expect("status")
            .to_string();
        let delivered = find(&imap, "other", "INBOX", "Message-ID", &reply_id)
            .await
            .len();
        match *step {
            // Crashed between handing the message to SMTP and hearing back:
            // fcto cannot know, so it asks rather than sending again.
            "submitting" | "accepted" => {
                assert_eq!(status, "uncertain", "{step}");
                let arrived = delivered == 1;
                assert_eq!(delivered, usize::from(*step == "accepted"), "{step}");
                let flag = if arrived {
                    "--arrived"
                } else {
                    "--not-arrived"
                };
                f.json(&["mail", "resolve", "harbour-hearth", &draft, flag]);
                let _ = f.run(&["mail", "send", "harbour-hearth"]);
                assert_eq!(
                    f.json(&["mail", "show", "harbour-hearth", &draft])["status"],
                    "sent",
                    "{step}"
                );
            }
            _ => assert_eq!(status, "sent", "{step}"),
        }
        assert_eq!(
            find(&imap, "other", "INBOX", "Message-ID", &reply_id)
                .await
                .len(),
            1,
            "{step}: delivered exactly once in the end"
        );
        let filed = find(&imap, "owner", "Sent", "Message-ID", &reply_id).await;
        assert!(filed.len() <= 1, "{step}: {filed:?}");
        assert!(
            find(&imap, "owner", "Drafts", "Message-ID", &reply_id)
                .await
                .is_empty(),
            "{step}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_model_that_fails_loses_nothing_and_the_inquiry_is_drafted_later() {
    let Some((imap, smtp)) = servers() else {
        return;
    };
    let folder = unique("model-down");
    let id = format!("{}@customer.test", unique("md"));
    seed(
        &imap,
        &folder,
        &[inquiry(&id, "Opening hours", "Are you open on Mondays?")],
    )
    .await;
    let f = connected(&imap, &smtp);
    // Nothing listens on port 1: every attempt is refused.
    let down = f.json(&[
        "mail",
        "sync",
        "harbour-hearth",
        "--folder",
        &folder,
        "--draft",
        "--model-url",
        "http://127.0.0.1:1/v1",
    ]);
    assert_eq!(down["first"]["inquiries"], 1);
    assert_eq!(down["then"]["queued"], serde_json::json!([]));
    let why = down["then"]["not_drafted"].to_string();
    assert!(why.contains("drafting failed"), "{down}");
    assert_eq!(
        f.json(&["mail", "queue", "harbour-hearth", "--all"]),
        serde_json::json!([])
    );
    // Garbage from the model: the draft is flagged, not sent.
    let (_seen, url) = serve("");
    let drafted = f.json(&["mail", "draft", "harbour-hearth", "--model-url", &url]);
    let queued = drafted["queued"].as_array().expect("queued");
    assert_eq!(queued.len(), 1, "{drafted}");
    assert!(
        queued[0]["flags"].to_string().contains("returned nothing"),
        "{drafted}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_oauth2_access_token_reads_and_sends_like_a_password() {
    let Some((imap, smtp)) = servers() else {
        return;
    };
    let (_seen, url) = serve(ANSWER);
    let folder = one_inquiry(&imap, "oauth").await;
    let f = harbour();
    let connect = |token_file: &str| {
        vec![
            "mail".to_string(),
            "connect".into(),
            "harbour-hearth".into(),
            "--imap".into(),
            imap.clone(),
            "--smtp".into(),
            smtp.clone(),
            "--user".into(),
            "owner".into(),
            "--xoauth2".into(),
            "--from".into(),
            "owner@harbour.test".into(),
            "--password-file".into(),
            token_file.into(),
        ]
    };
    // A token the provider does not know (expired, revoked) is refused at once.
    let stale = f.write("stale-token", b"expired-token\n");
    let args = connect(&stale);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    f.fails(&args, 1, "login refused");
    let token = f.write("token", b"owner-oauth-token\n");
    let args = connect(&token);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    f.json(&args);
    reply_reaches_the_customer(&f, &imap, &folder, &url).await;
}

/// The test OAuth provider's token endpoint and the folder of its
/// refresh-tokens file, when scripts/test gave them.
fn oauth_provider() -> Option<(String, std::path::PathBuf)> {
    let given = std::env::var("FCTO_TEST_OAUTH").unwrap_or_default();
    match given.split_once(' ') {
        Some((url, dir)) => Some((url.to_string(), dir.into())),
        None => {
            eprintln!("skipped: FCTO_TEST_OAUTH is not set (scripts/test sets it)");
            None
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refresh_token_keeps_the_mailbox_working_as_access_tokens_expire_and_rotate() {
    let Some((imap, smtp)) = servers() else {
        return;
    };
    let Some((token_url, provider)) = oauth_provider() else {
        return;
    };
    // A grant of our own at the provider: access tokens that live two
    // seconds (so every login needs a fresh one) and a refresh token
    // replaced at every use, as Microsoft's are.
    let refresh = unique("rt");
    let client_secret = unique("secret");
    let grants = provider.join("refresh-tokens");
    let line = format!("{refresh} owner fcto-test {client_secret} 2 rotate\n");
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&grants)
        .expect("the provider's refresh-tokens file");
    std::io::Write::write_all(&mut file, line.as_bytes()).expect("grant added");
    let (_seen, url) = serve(ANSWER);
    let folder = one_inquiry(&imap, "refresh").await;
    let f = harbour();
    let refresh_file = f.write("refresh", format!("{refresh}\n").as_bytes());
    let connect = [
        "mail",
        "connect",
        "harbour-hearth",
        "--imap",
        &imap,
        "--smtp",
        &smtp,
        "--user",
        "owner",
        "--from",
        "owner@harbour.test",
        "--oauth-token-url",
        &token_url,
        "--oauth-client-id",
        "fcto-test",
        "--oauth-client-secret-env",
        "HARBOUR_OAUTH_SECRET",
        "--password-file",
        &refresh_file,
        "--json",
    ];
    // The wrong client secret: refused by the endpoint, nothing kept.
    let wrong = f.run_env(&connect, &[("HARBOUR_OAUTH_SECRET", "not-it")]);
    assert_eq!(wrong.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("invalid_client"));
    let out = f.run_env(&connect, &[("HARBOUR_OAUTH_SECRET", &client_secret)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let account: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(account["auth_method"], "xoauth2", "{account}");
    assert_eq!(account["oauth_token_url"], token_url.as_str());
    assert!(!account.to_string().contains(&refresh), "{account}");
    // Every login below (the sync's, the approval's IMAP and SMTP) takes a
    // new access token, theirs living less than the minute fcto renews
    // ahead, from a refresh token the previous exchange rotated in: the
    // old one is refused by then, so this works only if every rotation
    // was kept.
    reply_reaches_the_customer(&f, &imap, &folder, &url).await;
    // A watcher: one process, a login per sync and per IDLE, each with a
    // fresh access token and the refresh token the last exchange gave.
    let watched = f.json(&[
        "mail",
        "watch",
        "harbour-hearth",
        "--folder",
        &folder,
        "--model-url",
        &url,
        "--idle-seconds",
        "1",
        "--rounds",
        "3",
    ]);
    assert_eq!(watched["rounds"], 3, "{watched}");
    assert_eq!(watched["retries"], 0, "{watched}");
    let now = std::fs::read_to_string(&grants).expect("grants");
    let ours: Vec<&str> = now.lines().filter(|l| l.contains(&client_secret)).collect();
    assert_eq!(ours.len(), 1, "{now}");
    assert!(!ours[0].starts_with(&refresh), "never rotated: {now}");
    // The grant revoked at the provider: a clear word to connect again.
    let kept: String = now
        .lines()
        .filter(|l| !l.contains(&client_secret))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&grants, kept).expect("grant revoked");
    f.fails(
        &["mail", "sync", "harbour-hearth", "--folder", &folder],
        1,
        "connect the mailbox again",
    );
}

/// The STARTTLS-only SMTP port and the test CA, when scripts/test gave them.
fn starttls() -> Option<(String, String)> {
    let port = std::env::var("FCTO_TEST_SMTP_STARTTLS")
        .ok()
        .filter(|s| !s.is_empty());
    let ca = std::env::var("FCTO_TEST_IMAPS")
        .ok()
        .and_then(|s| s.split_once(' ').map(|(_, ca)| ca.to_string()));
    match (port, ca) {
        (Some(port), Some(ca)) => Some((port, ca)),
        _ => {
            eprintln!("skipped: FCTO_TEST_SMTP_STARTTLS and FCTO_TEST_IMAPS are not set (scripts/test sets them)");
            None
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn smtp_over_starttls_trusts_the_ca_given_and_sends_nothing_without_it() {
    let Some((imap, _)) = servers() else { return };
    let Some((smtp_tls, ca)) = starttls() else {
        return;
    };
    let (_seen, url) = serve(ANSWER);
    let f = harbour();
    let pass = f.write("pass", b"owner-pass\n");
    let connect = |ca: Option<&str>| {
        let mut args = vec![
            "mail",
            "connect",
            "harbour-hearth",
            "--imap",
            &imap,
            "--smtp",
            &smtp_tls,
            "--smtp-security",
            "starttls",
            "--user",
            "owner",
            "--from",
            "owner@harbour.test",
            "--password-file",
            &pass,
        ];
        if let Some(ca) = ca {
            args.extend(["--ca-file", ca]);
        }
        f.json(&args);
    };
    // No CA: the server's certificate is not trusted, so nothing is sent and
    // the draft stays approved for the next run.
    connect(None);
    let mut ids = Vec::new();
    for n in 0..2 {
        let folder = one_inquiry(&imap, &format!("tls{n}")).await;
        ids.push(drafted(&f, &folder, &url));
    }
    let refused = f.run(&["mail", "approve", "harbour-hearth", &ids[0], "--json"]);
    assert_eq!(
        refused.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let shown = f.json(&["mail", "show", "harbour-hearth", &ids[0]]);
    assert_eq!(shown["status"], "approved", "{shown}");
    assert!(
        shown["last_error"].to_string().contains("not connected"),
        "{shown}"
    );
    let reply_id = shown["reply_message_id"].as_str().expect("id").to_string();
    assert!(find(&imap, "other", "INBOX", "Message-ID", &reply_id)
        .await
        .is_empty());
    assert!(
        find(&imap, "owner", "Sent", "Message-ID", &reply_id)
            .await
            .is_empty(),
        "no copy left in Sent"
    );
    // With the CA: both go, once each.
    connect(Some(&ca));
    f.json(&["mail", "approve", "harbour-hearth", &ids[1], "--no-send"]);
    let sent = f.json(&["mail", "send", "harbour-hearth"]);
    assert_eq!(sent["outcomes"].as_array().map(Vec::len), Some(2), "{sent}");
    assert_eq!(
        find(&imap, "other", "INBOX", "Message-ID", &reply_id)
            .await
            .len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_that_files_sent_mail_itself_gets_no_second_copy_and_settles_a_crash() {
    let Some((imap, smtp)) = servers() else {
        return;
    };
    let (_seen, url) = serve(ANSWER);
    let f = harbour();
    let pass = f.write("pass", b"gmailish-pass\n");
    f.json(&[
        "mail",
        "connect",
        "harbour-hearth",
        "--imap",
        &imap,
        "--smtp",
        &smtp,
        "--user",
        "gmailish",
        "--from",
        "gmailish@harbour.test",
        "--server-saves-sent",
        "--password-file",
        &pass,
    ]);
    let mut m = connect_plain(&imap, "gmailish", "gmailish-pass")
        .await
        .expect("login");
    let folder = unique("gmailish");
    m.create_folder(&folder).await.expect("create");
    for n in 0..2 {
        let id = format!("{}@customer.test", unique(&format!("g{n}")));
        m.append(
            &folder,
            &inquiry(&id, "Group of 10", "How much is the deposit?"),
        )
        .await
        .expect("append");
    }
    m.logout().await.expect("logout");
    let synced = f.json(&[
        "mail",
        "sync",
        "harbour-hearth",
        "--folder",
        &folder,
        "--draft",
        "--model-url",
        &url,
    ]);
    let ids: Vec<String> = draft_ids(&synced).iter().map(i64::to_string).collect();
    assert_eq!(ids.len(), 2);
    let reply = |id: &str| {
        f.json(&["mail", "show", "harbour-hearth", id])["reply_message_id"]
            .as_str()
            .expect("id")
            .to_string()
    };
    // A plain send: one copy in Sent, the server's.
    let approved = f.json(&["mail", "approve", "harbour-hearth", &ids[0]]);
    assert_eq!(approved["draft"]["status"], "sent", "{approved}");
    let r0 = reply(&ids[0]);
    assert_eq!(
        find(&imap, "gmailish", "Sent", "Message-ID", &r0)
            .await
            .len(),
        1
    );
    // Killed after the server accepted: its own Sent copy proves the send.
    f.json(&["mail", "approve", "harbour-hearth", &ids[1], "--no-send"]);
    let crashed = f.run_env(
        &["mail", "send", "harbour-hearth"],
        &[("FCTO_MAIL_CRASH_AT", "accepted")],
    );
    assert!(!crashed.status.success());
    f.json(&["mail", "send", "harbour-hearth"]);
    assert_eq!(
        f.json(&["mail", "show", "harbour-hearth", &ids[1]])["status"],
        "sent"
    );
    let r1 = reply(&ids[1]);
    assert_eq!(
        find(&imap, "other", "INBOX", "Message-ID", &r1).await.len(),
        1
    );
    assert_eq!(
        find(&imap, "gmailish", "Sent", "Message-ID", &r1)
            .await
            .len(),
        1
    );
}
