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
