//! Mailbox persistence on SQLite and (with FCTO_TEST_POSTGRES_URL)
//! PostgreSQL: accounts, folder sync state, messages once each, per client.

use chrono::NaiveDate;
use fcto_engage::{NewClient, Tier};
use fcto_store::mail::{FolderSync, MailMessage};
use fcto_store::testkit::TestDb;
use fcto_store::{Store, StoreError};

async fn client(s: &Store, slug: &str) {
    s.add_client(&NewClient {
        slug: slug.into(),
        name: slug.into(),
        sector: None,
        currency: "GBP".into(),
        tier: Tier::Growth,
        owner_name: None,
        owner_email: None,
        start_date: NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
    })
    .await
    .expect("client");
}

fn message(key: &str, uid: i64, triage: &str) -> MailMessage {
    MailMessage {
        message_key: key.into(),
        folder: "INBOX".into(),
        uid,
        thread_id: Some(key.into()),
        from_email: Some("sam@example.com".into()),
        subject: format!("Table {uid}"),
        sent_at: Some("2026-11-30T10:00:00Z".into()),
        triage: triage.into(),
        intent: (triage == "inquiry").then(|| "booking".into()),
        needs_person: false,
        detail: String::new(),
        body: "Can we book?".into(),
        reply_to: None,
        refs: String::new(),
    }
}

#[tokio::test]
async fn accounts_folders_and_messages_once_each_per_client() {
    for db in TestDb::all().await {
        let s = db.open().await.expect("open");
        client(&s, "acme").await;
        client(&s, "beta").await;

        assert_eq!(s.mail_account("acme").await.expect("none"), None);
        s.save_mail_account("acme", "127.0.0.1:143", None, "old", "n0", "s0")
            .await
            .expect("save");
        let account = s
            .save_mail_account(
                "acme",
                "127.0.0.1:14143",
                Some("127.0.0.1:2525"),
                "owner",
                "aa",
                "bb",
            )
            .await
            .expect("replace");
        assert_eq!(
            s.mail_account("acme").await.expect("one"),
            Some(account.clone())
        );
        let json = serde_json::to_string(&account).expect("json");
        assert!(!json.contains("bb") && !json.contains("secret"), "{json}");
        assert_eq!(s.mail_account("beta").await.expect("beta"), None);

        let state = |next| FolderSync {
            uid_validity: 7,
            uid_next: next,
            highest_modseq: Some(3),
        };
        assert!(s
            .record_mail_message("acme", &message("a@x", 1, "inquiry"), state(2))
            .await
            .expect("1"));
        assert!(s
            .record_mail_message("acme", &message("b@x", 2, "auto_reply"), state(3))
            .await
            .expect("2"));
        // The same message again (a renumbered folder): not stored twice,
        // but the state moves on.
        assert!(!s
            .record_mail_message("acme", &message("a@x", 9, "inquiry"), state(10))
            .await
            .expect("dup"));
        assert_eq!(
            s.mail_folder_sync("acme", "INBOX").await.expect("state"),
            Some(state(10))
        );
        assert_eq!(
            s.mail_messages("acme", false, 50)
                .await
                .expect("inquiries")
                .len(),
            1
        );
        let all = s.mail_messages("acme", true, 50).await.expect("all");
        assert_eq!(
            all.iter().map(|m| m.message.uid).collect::<Vec<_>>(),
            vec![2, 1],
            "{}",
            db.label
        );

        // Beta's own copy of the same Message-ID is Beta's.
        assert!(s
            .record_mail_message("beta", &message("a@x", 1, "inquiry"), state(2))
            .await
            .expect("beta"));
        assert_eq!(
            s.mail_messages("beta", true, 50).await.expect("beta").len(),
            1
        );
        assert_eq!(
            s.mail_folder_sync("beta", "Other").await.expect("none"),
            None
        );
        assert!(matches!(
            s.mail_messages("ghost", true, 5).await,
            Err(StoreError::UnknownClient(_))
        ));
        s.close().await;
        db.cleanup().await;
    }
}

fn new_draft(message_id: i64, reply_id: &str) -> fcto_store::mail_drafts::NewMailDraft {
    fcto_store::mail_drafts::NewMailDraft {
        message_id,
        body: "Hi Sam, yes.".into(),
        flags: "[]".into(),
        model: "test".into(),
        latency_ms: 1200,
        prompt_chars: 900,
        examples: "[]".into(),
        passages: "[]".into(),
        reply_message_id: reply_id.into(),
        from_address: "hello@harbour.example".into(),
        to_address: "sam@example.com".into(),
        subject: "Table 1".into(),
        in_reply_to: Some("k1@example.com".into()),
        refs: "k0@example.com".into(),
    }
}

#[tokio::test]
async fn drafts_queue_once_decide_once_and_move_by_compare_and_set() {
    use fcto_store::mail_drafts::DraftChange;
    for db in TestDb::all().await {
        let s = db.open().await.expect("open");
        client(&s, "harbour-hearth").await;
        client(&s, "beta-bakery").await;
        let sync = FolderSync {
            uid_validity: 1,
            uid_next: 2,
            highest_modseq: None,
        };
        s.record_mail_message(
            "harbour-hearth",
            &message("k1@example.com", 1, "inquiry"),
            sync,
        )
        .await
        .expect("record");
        let pending = s
            .mail_inquiries_to_draft("harbour-hearth")
            .await
            .expect("pending");
        assert_eq!(pending.len(), 1, "{}", db.label);
        let inquiry = pending[0].id;
        // Another client cannot draft onto this inquiry.
        assert!(s
            .insert_mail_draft("beta-bakery", &new_draft(inquiry, "r0@harbour.example"))
            .await
            .is_err());
        let d = s
            .insert_mail_draft("harbour-hearth", &new_draft(inquiry, "r1@harbour.example"))
            .await
            .expect("insert")
            .expect("new");
        assert_eq!(d.status, "queued");
        assert_eq!(d.inquiry_subject, "Table 1");
        assert!(s
            .insert_mail_draft("harbour-hearth", &new_draft(inquiry, "r2@harbour.example"))
            .await
            .expect("insert")
            .is_none());
        assert!(s
            .mail_inquiries_to_draft("harbour-hearth")
            .await
            .expect("pending")
            .is_empty());
        s.edit_mail_draft("harbour-hearth", d.id, "Hi Sam, yes, do.")
            .await
            .expect("edit");
        assert!(
            s.mail_draft("beta-bakery", d.id).await.is_err(),
            "isolation"
        );
        let approved = s
            .decide_mail_draft("harbour-hearth", d.id, true, "priya", None, Some(5))
            .await
            .expect("approve");
        assert_eq!(
            (approved.status.as_str(), approved.body.as_str()),
            ("approved", "Hi Sam, yes, do.")
        );
        assert!(s
            .decide_mail_draft("harbour-hearth", d.id, false, "sam", None, None)
            .await
            .is_err());
        assert!(s
            .edit_mail_draft("harbour-hearth", d.id, "late")
            .await
            .is_err());
        // Only one of two concurrent movers wins.
        let change = || DraftChange {
            attempt: true,
            ..Default::default()
        };
        assert!(s
            .advance_mail_draft("harbour-hearth", d.id, &["approved"], "sending", change())
            .await
            .expect("advance"));
        assert!(!s
            .advance_mail_draft("harbour-hearth", d.id, &["approved"], "sending", change())
            .await
            .expect("advance"));
        assert!(!s
            .advance_mail_draft(
                "beta-bakery",
                d.id,
                &["sending"],
                "sent",
                DraftChange::default()
            )
            .await
            .expect("advance"));
        let sent = DraftChange {
            sent: true,
            ..Default::default()
        };
        assert!(s
            .advance_mail_draft(
                "harbour-hearth",
                d.id,
                &["submitting", "sending"],
                "sent",
                sent
            )
            .await
            .expect("advance"));
        let d = s.mail_draft("harbour-hearth", d.id).await.expect("draft");
        assert_eq!((d.status.as_str(), d.attempts), ("sent", 1), "{}", db.label);
        assert!(d.sent_at.is_some());
        assert_eq!(
            s.mail_drafts("beta-bakery", &[]).await.expect("list").len(),
            0
        );
    }
}
