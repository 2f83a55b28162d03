//! Spend persistence on SQLite and (with FCTO_TEST_POSTGRES_URL) PostgreSQL.

use chrono::NaiveDate;
use fcto_engage::{NewClient, Tier};
use fcto_spend::import::{Format, Transaction};
use fcto_spend::register::VendorRecord;
use fcto_store::spend::ParsedFile;
use fcto_store::testkit::TestDb;
use fcto_store::{Store, StoreError};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

async fn client(s: &Store, slug: &str) {
    s.add_client(&NewClient {
        slug: slug.into(),
        name: slug.into(),
        sector: None,
        currency: "GBP".into(),
        tier: Tier::Growth,
        owner_name: None,
        owner_email: None,
        start_date: d(2026, 1, 1),
    })
    .await
    .expect("client");
}

fn tx(day: u32, pence: i64, desc: &str) -> Transaction {
    Transaction {
        date: d(2026, 3, day),
        amount: pence,
        currency: "GBP".into(),
        description: desc.into(),
        counterparty: None,
        original_amount: None,
        original_currency: None,
        bank_id: None,
        account: None,
        category: None,
        line: day as usize + 1,
    }
}

fn file(name: &str, txs: Vec<Transaction>) -> ParsedFile {
    let keys = fcto_spend::identity::transaction_keys(Format::Barclays, &txs);
    ParsedFile {
        file_name: name.into(),
        sha256: "x".into(),
        format: Format::Barclays,
        transactions: txs,
        keys,
    }
}

#[tokio::test]
async fn imports_deduplicate_and_stay_per_client() {
    for db in TestDb::all().await {
        let s = db.open().await.expect("open");
        client(&s, "acme").await;
        client(&s, "beta").await;
        let a = file(
            "march.csv",
            vec![
                tx(1, -320, "PRET"),
                tx(1, -320, "PRET"),
                tx(2, -1599, "ZOOM.US"),
                tx(3, 50000, "INVOICE 12"),
            ],
        );
        let overlap = file(
            "march-b.csv",
            vec![tx(2, -1599, "ZOOM.US"), tx(4, -675, "SLACK")],
        );
        let first = s.import_transactions("acme", &[a]).await.expect("import");
        assert_eq!((first.new, first.already_stored), (4, 0), "{}", db.label);
        let second = s
            .import_transactions("acme", &[overlap])
            .await
            .expect("import");
        assert_eq!((second.new, second.already_stored), (1, 1));
        let stored = s.spend_transactions("acme").await.expect("list");
        assert_eq!(stored.len(), 5);
        assert_eq!(
            stored.iter().filter(|t| t.description == "PRET").count(),
            2,
            "two identical coffees stay two"
        );
        assert!(
            s.spend_transactions("beta").await.expect("beta").is_empty(),
            "nothing leaks to another client"
        );
        // The same statement for another client is that client's own.
        let b = s
            .import_transactions("beta", &[file("march.csv", vec![tx(2, -1599, "ZOOM.US")])])
            .await
            .expect("beta");
        assert_eq!(b.new, 1);
        // Acme again, after Beta: Beta's row sits inside Acme's id range,
        // and an earlier date lands first.
        let mut early = tx(1, -999, "EARLY");
        early.date = d(2026, 2, 1);
        s.import_transactions("acme", &[file("feb.csv", vec![early])])
            .await
            .expect("acme again");
        let acme = s.spend_transactions("acme").await.expect("acme");
        assert_eq!(acme.len(), 6, "{}", db.label);
        assert_eq!(acme[0].description, "EARLY");
        assert!(
            acme.windows(2).all(|w| w[0].date <= w[1].date),
            "date order"
        );
        let beta = s.spend_transactions("beta").await.expect("beta");
        assert_eq!(beta.len(), 1, "only Beta's own row");
        assert!(matches!(
            s.import_transactions("ghost", &[]).await,
            Err(StoreError::UnknownClient(_))
        ));
        s.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_failing_import_leaves_nothing_behind() {
    for db in TestDb::all().await {
        let s = db.open().await.expect("open");
        client(&s, "acme").await;
        let good = file("good.csv", vec![tx(1, -100, "A"), tx(2, -200, "B")]);
        // The second file is inconsistent, which the store notices only after
        // the first file's rows are written in the same transaction.
        let mut broken = file("broken.csv", vec![tx(3, -300, "C")]);
        broken.keys.clear();
        let err = s.import_transactions("acme", &[good, broken]).await;
        assert!(matches!(err, Err(StoreError::Corrupt(_))), "{err:?}");
        assert_eq!(
            s.spend_transactions("acme").await.expect("list").len(),
            0,
            "rolled back on {}",
            db.label
        );
        s.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn vendor_register_round_trips_and_is_per_client() {
    for db in TestDb::all().await {
        let s = db.open().await.expect("open");
        client(&s, "acme").await;
        client(&s, "beta").await;
        let mut r = VendorRecord::new("hubspot", "HubSpot", "GBP");
        r.renewal_date = Some(d(2027, 1, 31));
        r.notice_days = Some(30);
        r.owner = Some("Priya".into());
        s.put_vendor("acme", &r, true).await.expect("add");
        assert!(matches!(
            s.put_vendor("acme", &r, true).await,
            Err(StoreError::Duplicate(_))
        ));
        r.seats = Some(7);
        let back = s.put_vendor("acme", &r, false).await.expect("edit");
        assert_eq!(back, r);
        let mut bad = r.clone();
        bad.notice_days = Some(-1);
        assert!(matches!(
            s.put_vendor("acme", &bad, false).await,
            Err(StoreError::Invalid(_))
        ));
        assert_eq!(
            s.vendor("acme", "hubspot").await.expect("get").seats,
            Some(7),
            "bad edit changed nothing"
        );
        assert!(matches!(
            s.vendor("beta", "hubspot").await,
            Err(StoreError::NotFound(_))
        ));
        assert_eq!(s.vendors(Some("beta")).await.expect("beta").len(), 0);
        assert_eq!(s.vendors(None).await.expect("all").len(), 1);
        s.close().await;
        db.cleanup().await;
    }
}
