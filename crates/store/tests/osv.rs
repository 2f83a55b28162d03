//! OSV advisory storage on SQLite and (with FCTO_TEST_POSTGRES_URL)
//! PostgreSQL: all-or-nothing imports across batches, updates only when
//! `modified` is newer, lookups by package.

use fcto_store::osv::{ImportCounts, StoredAdvisory};
use fcto_store::testkit::TestDb;

fn advisory(id: &str, modified: &str, packages: &[(&str, &str)]) -> StoredAdvisory {
    StoredAdvisory {
        id: id.into(),
        modified: modified.into(),
        withdrawn: false,
        source: format!("all.zip:{id}.json"),
        body: format!(r#"{{"id": "{id}", "modified": "{modified}"}}"#),
        packages: packages
            .iter()
            .map(|(e, n)| (e.to_string(), n.to_string()))
            .collect(),
    }
}

fn counts(new: usize, updated: usize, unchanged: usize) -> ImportCounts {
    ImportCounts {
        new,
        updated,
        unchanged,
    }
}

#[tokio::test]
async fn import_counts_updates_and_lookups() {
    for db in TestDb::all().await {
        let s = db.open().await.expect("open");
        let first = vec![
            advisory("GHSA-1", "2024-01-01T00:00:00Z", &[("npm", "lodash")]),
            advisory(
                "GHSA-2",
                "2024-01-01T00:00:00Z",
                &[("npm", "lodash"), ("npm", "lodash-es")],
            ),
            advisory("PYSEC-1", "2023-05-01T00:00:00Z", &[("PyPI", "django")]),
        ];
        let c = s.osv_import("first.zip", &first).await.expect("import");
        assert_eq!(c, counts(3, 0, 0), "{}", db.label);

        // Same again: nothing changes.
        let c = s.osv_import("first.zip", &first).await.expect("import");
        assert_eq!(c, counts(0, 0, 3), "{}", db.label);

        // GHSA-2 is newer (by fractional seconds too) and no longer names
        // lodash-es; PYSEC-1 is older than stored; GHSA-3 is new.
        let mut second = vec![
            advisory("GHSA-2", "2024-01-01T00:00:00.5Z", &[("npm", "lodash")]),
            advisory("PYSEC-1", "2023-04-01T00:00:00Z", &[("PyPI", "flask")]),
            advisory("GHSA-3", "2024-02-01T00:00:00Z", &[("npm", "minimist")]),
        ];
        second[0].body = r#"{"id": "GHSA-2", "v": 2}"#.into();
        let c = s.osv_import("second.zip", &second).await.expect("import");
        assert_eq!(c, counts(1, 1, 1), "{}", db.label);

        let lodash = s
            .osv_advisories_for(&[("npm".into(), "lodash".into())])
            .await
            .expect("lookup");
        assert_eq!(lodash.len(), 2, "{}", db.label);
        assert!(
            lodash.iter().any(|b| b.contains(r#""v": 2"#)),
            "{}",
            db.label
        );
        let es = s
            .osv_advisories_for(&[("npm".into(), "lodash-es".into())])
            .await
            .expect("lookup");
        assert!(
            es.is_empty(),
            "the replaced advisory's old index rows are gone"
        );
        let flask = s
            .osv_advisories_for(&[("PyPI".into(), "flask".into())])
            .await
            .expect("lookup");
        assert!(flask.is_empty(), "an older copy changes nothing");

        let status = s.osv_status().await.expect("status");
        assert_eq!(status.advisories, 4);
        assert_eq!(status.withdrawn, 0);
        assert_eq!(
            status.newest_modified.as_deref(),
            Some("2024-02-01T00:00:00Z")
        );
        let eco: Vec<(String, i64)> = status
            .ecosystems
            .iter()
            .map(|e| (e.ecosystem.clone(), e.advisories))
            .collect();
        assert_eq!(eco, vec![("PyPI".into(), 1), ("npm".into(), 3)]);
        let last = status.last_import.expect("last import");
        assert_eq!(
            (
                last.sources.as_str(),
                last.advisories,
                last.new,
                last.updated
            ),
            ("second.zip", 3, 1, 1)
        );
        s.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn an_unfinished_import_stores_nothing() {
    for db in TestDb::all().await {
        let s = db.open().await.expect("open");
        {
            let mut import = s.osv_begin_import().await.expect("begin");
            import
                .add(&[advisory("GHSA-9", "2024-01-01T00:00:00Z", &[("npm", "x")])])
                .await
                .expect("add");
            // Dropped here without finish: a later file failed to parse.
        }
        let status = s.osv_status().await.expect("status");
        assert_eq!(status.advisories, 0, "{}", db.label);
        assert!(status.last_import.is_none());
        s.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn many_batches_many_lookups_and_repeats_within_an_import() {
    for db in TestDb::all().await {
        let s = db.open().await.expect("open");
        let all: Vec<StoredAdvisory> = (0..1_250)
            .map(|i| {
                let name = format!("pkg-{}", i % 400);
                let mut a = advisory(
                    &format!("PYSEC-{i:05}"),
                    "2024-01-01T00:00:00Z",
                    &[("PyPI", &name)],
                );
                a.withdrawn = i % 100 == 0;
                a
            })
            .collect();
        let mut import = s.osv_begin_import().await.expect("begin");
        for batch in all.chunks(300) {
            import.add(batch).await.expect("add");
        }
        // A repeat with a newer time, in the same import and batch as
        // another repeat with an older one.
        import
            .add(&[
                advisory("PYSEC-00001", "2024-06-01T00:00:00Z", &[("PyPI", "pkg-1")]),
                advisory("PYSEC-00001", "2024-03-01T00:00:00Z", &[("PyPI", "pkg-1")]),
            ])
            .await
            .expect("add");
        let c = import.finish("big.zip").await.expect("finish");
        assert_eq!(c, counts(1_250, 1, 1), "{}", db.label);

        let wanted: Vec<(String, String)> = (0..400)
            .map(|i| ("PyPI".to_string(), format!("pkg-{i}")))
            .collect();
        let bodies = s.osv_advisories_for(&wanted).await.expect("lookup");
        // 13 of the 1,250 are withdrawn (every 100th) and left out.
        assert_eq!(bodies.len(), 1_250 - 13, "{}", db.label);
        let status = s.osv_status().await.expect("status");
        assert_eq!((status.advisories, status.withdrawn), (1_250, 13));
        s.close().await;
        db.cleanup().await;
    }
}
