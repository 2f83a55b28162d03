//! Known-vulnerability data: OSV advisories kept as their JSON text (the
//! reading and matching live in fcto-osv), indexed by the packages they name.
//!
//! An import is one database transaction over many batches, so a whole
//! all.zip is stored or nothing is, while only one batch is in memory. An
//! advisory already stored is replaced only when the incoming `modified` is
//! newer.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use sqlx::Row;

use crate::error::StoreResult;
use crate::{Backend, Store};

/// One advisory ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAdvisory {
    pub id: String,
    /// OSV `modified` (RFC 3339).
    pub modified: String,
    pub withdrawn: bool,
    /// Where it was read from (file, or `all.zip:ID.json`).
    pub source: String,
    /// The advisory's JSON text.
    pub body: String,
    /// (ecosystem, normalised name) of each package it names.
    pub packages: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportCounts {
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OsvStatus {
    pub advisories: i64,
    pub withdrawn: i64,
    /// Advisories naming at least one package of each ecosystem.
    pub ecosystems: Vec<EcosystemCount>,
    /// The newest `modified` stored: how fresh the data is.
    pub newest_modified: Option<String>,
    pub last_import: Option<LastImport>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EcosystemCount {
    pub ecosystem: String,
    pub advisories: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LastImport {
    pub sources: String,
    pub advisories: i64,
    pub new: i64,
    pub updated: i64,
    pub imported_at: String,
}

/// Rows per INSERT of advisories (6 parameters each) and of package rows
/// (3 each); ids per IN list. Well under SQLite's 32,766 and PostgreSQL's
/// 65,535 parameters; `?` on SQLite (see `spend::BATCH` on why).
const ADVISORY_ROWS: usize = 100;
const PACKAGE_ROWS: usize = 300;
const IN_LIST: usize = 500;
/// (ecosystem, name) pairs per lookup query.
const LOOKUP_PAIRS: usize = 200;

/// An import under way: [`OsvImport::add`] batches, then
/// [`OsvImport::finish`]. Dropping it unfinished rolls everything back.
pub struct OsvImport {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    backend: Backend,
    counts: ImportCounts,
}

impl Store {
    /// Start an all-or-nothing import.
    pub async fn osv_begin_import(&self) -> StoreResult<OsvImport> {
        Ok(OsvImport {
            tx: self.pool.begin().await?,
            backend: self.backend,
            counts: ImportCounts::default(),
        })
    }

    /// Import one set of advisories in one transaction.
    pub async fn osv_import(
        &self,
        sources: &str,
        advisories: &[StoredAdvisory],
    ) -> StoreResult<ImportCounts> {
        let mut import = self.osv_begin_import().await?;
        for batch in advisories.chunks(ADVISORY_ROWS) {
            import.add(batch).await?;
        }
        import.finish(sources).await
    }

    /// The JSON text of every advisory (withdrawn ones left out) naming one
    /// of these (ecosystem, normalised name) pairs, each once, by id.
    pub async fn osv_advisories_for(
        &self,
        packages: &[(String, String)],
    ) -> StoreResult<Vec<String>> {
        let mut found: BTreeMap<String, String> = BTreeMap::new();
        for chunk in packages.chunks(LOOKUP_PAIRS) {
            let mut sql = String::from(
                "SELECT DISTINCT a.id, a.body FROM osv_packages p JOIN osv_advisories a ON a.id = p.advisory_id
                 WHERE a.withdrawn = 0 AND (",
            );
            for i in 0..chunk.len() {
                if i > 0 {
                    sql.push_str(" OR ");
                }
                let (e, n) = (
                    param(self.backend, 2 * i + 1),
                    param(self.backend, 2 * i + 2),
                );
                sql.push_str(&format!("(p.ecosystem = {e} AND p.name = {n})"));
            }
            sql.push(')');
            let mut q = sqlx::query(&sql);
            for (ecosystem, name) in chunk {
                q = q.bind(ecosystem.as_str()).bind(name.as_str());
            }
            for row in q.fetch_all(&self.pool).await? {
                found.insert(row.try_get(0)?, row.try_get(1)?);
            }
        }
        Ok(found.into_values().collect())
    }

    pub async fn osv_status(&self) -> StoreResult<OsvStatus> {
        let row = sqlx::query("SELECT COUNT(*), MAX(modified) FROM osv_advisories")
            .fetch_one(&self.pool)
            .await?;
        let advisories: i64 = row.try_get(0)?;
        let newest_modified: Option<String> = row.try_get(1)?;
        let withdrawn: i64 = sqlx::query("SELECT COUNT(*) FROM osv_advisories WHERE withdrawn = 1")
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        let ecosystems = sqlx::query(
            "SELECT ecosystem, COUNT(DISTINCT advisory_id) FROM osv_packages GROUP BY ecosystem ORDER BY ecosystem",
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(EcosystemCount {
                ecosystem: r.try_get(0)?,
                advisories: r.try_get(1)?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
        let last_import = sqlx::query(
            "SELECT sources, advisories, new_advisories, updated_advisories, imported_at
             FROM osv_imports ORDER BY id DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?
        .map(|r| {
            Ok::<_, crate::StoreError>(LastImport {
                sources: r.try_get(0)?,
                advisories: r.try_get(1)?,
                new: r.try_get(2)?,
                updated: r.try_get(3)?,
                imported_at: r.try_get(4)?,
            })
        })
        .transpose()?;
        Ok(OsvStatus {
            advisories,
            withdrawn,
            ecosystems,
            newest_modified,
            last_import,
        })
    }
}

impl OsvImport {
    /// Store a batch: new advisories are added, stored ones replaced when
    /// the batch's `modified` is newer, the rest counted as unchanged.
    pub async fn add(&mut self, batch: &[StoredAdvisory]) -> StoreResult<()> {
        let backend = self.backend;
        // What the database holds for these ids (earlier batches included:
        // they are in this transaction).
        let mut stored: HashMap<String, String> = HashMap::with_capacity(batch.len());
        for chunk in batch.chunks(IN_LIST) {
            let sql = format!(
                "SELECT id, modified FROM osv_advisories WHERE id IN ({})",
                params(backend, 1, chunk.len())
            );
            let mut q = sqlx::query(&sql);
            for a in chunk {
                q = q.bind(a.id.as_str());
            }
            for row in q.fetch_all(&mut *self.tx).await? {
                stored.insert(row.try_get(0)?, row.try_get(1)?);
            }
        }
        // Decide in batch order, so an id repeated within the batch keeps
        // its newest version.
        let mut writes: Vec<&StoredAdvisory> = Vec::new();
        let mut replace: Vec<&str> = Vec::new();
        let mut pending: HashMap<&str, usize> = HashMap::new();
        for a in batch {
            let known = pending
                .get(a.id.as_str())
                .and_then(|&i| writes.get(i))
                .map(|w| w.modified.as_str())
                .or_else(|| stored.get(&a.id).map(String::as_str));
            match known {
                None => {
                    self.counts.new += 1;
                    pending.insert(&a.id, writes.len());
                    writes.push(a);
                }
                Some(old) if newer(&a.modified, old) => {
                    self.counts.updated += 1;
                    if let Some(&i) = pending.get(a.id.as_str()) {
                        if let Some(slot) = writes.get_mut(i) {
                            *slot = a;
                        }
                    } else {
                        replace.push(&a.id);
                        pending.insert(&a.id, writes.len());
                        writes.push(a);
                    }
                }
                Some(_) => self.counts.unchanged += 1,
            }
        }
        for chunk in replace.chunks(IN_LIST) {
            for table_sql in [
                "DELETE FROM osv_packages WHERE advisory_id IN",
                "DELETE FROM osv_advisories WHERE id IN",
            ] {
                let sql = format!("{table_sql} ({})", params(backend, 1, chunk.len()));
                let mut q = sqlx::query(&sql);
                for id in chunk {
                    q = q.bind(*id);
                }
                q.execute(&mut *self.tx).await?;
            }
        }
        let now = crate::now_text();
        for chunk in writes.chunks(ADVISORY_ROWS) {
            let sql = format!(
                "INSERT INTO osv_advisories (id, modified, withdrawn, source, imported_at, body) VALUES {}",
                rows(backend, chunk.len(), 6)
            );
            let mut q = sqlx::query(&sql);
            for a in chunk {
                q = q
                    .bind(a.id.as_str())
                    .bind(a.modified.as_str())
                    .bind(i64::from(a.withdrawn))
                    .bind(a.source.as_str())
                    .bind(now.as_str())
                    .bind(a.body.as_str());
            }
            q.execute(&mut *self.tx).await?;
        }
        let packages: Vec<(&str, &str, &str)> = writes
            .iter()
            .flat_map(|a| {
                a.packages
                    .iter()
                    .map(|(e, n)| (e.as_str(), n.as_str(), a.id.as_str()))
            })
            .collect();
        for chunk in packages.chunks(PACKAGE_ROWS) {
            let sql = format!(
                "INSERT INTO osv_packages (ecosystem, name, advisory_id) VALUES {} ON CONFLICT DO NOTHING",
                rows(backend, chunk.len(), 3)
            );
            let mut q = sqlx::query(&sql);
            for (e, n, id) in chunk {
                q = q.bind(*e).bind(*n).bind(*id);
            }
            q.execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    /// Record the import and commit it.
    pub async fn finish(mut self, sources: &str) -> StoreResult<ImportCounts> {
        let c = &self.counts;
        let total = (c.new + c.updated + c.unchanged) as i64;
        sqlx::query(
            "INSERT INTO osv_imports (sources, advisories, new_advisories, updated_advisories, imported_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(sources)
        .bind(total)
        .bind(c.new as i64)
        .bind(c.updated as i64)
        .bind(crate::now_text())
        .execute(&mut *self.tx)
        .await?;
        self.tx.commit().await?;
        Ok(self.counts)
    }

    pub fn counts(&self) -> &ImportCounts {
        &self.counts
    }
}

/// Is `incoming` a later time than `stored`? RFC 3339 texts are compared
/// as instants (fractions and offsets vary between databases); text that
/// does not parse compares as text.
fn newer(incoming: &str, stored: &str) -> bool {
    match (
        chrono::DateTime::parse_from_rfc3339(incoming.trim()),
        chrono::DateTime::parse_from_rfc3339(stored.trim()),
    ) {
        (Ok(a), Ok(b)) => a > b,
        _ => incoming > stored,
    }
}

fn param(backend: Backend, n: usize) -> String {
    match backend {
        Backend::Sqlite => "?".to_string(),
        Backend::Postgres => format!("${n}"),
    }
}

/// `count` parameters from number `first`, comma-separated.
fn params(backend: Backend, first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| param(backend, n))
        .collect::<Vec<_>>()
        .join(",")
}

/// `(..),(..)` for `count` rows of `width` parameters.
fn rows(backend: Backend, count: usize, width: usize) -> String {
    (0..count)
        .map(|r| format!("({})", params(backend, r * width + 1, width)))
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modified_times_compare_as_instants() {
        assert!(newer("2024-01-02T00:00:00Z", "2024-01-01T23:59:59Z"));
        assert!(newer("2024-01-01T00:00:05Z", "2024-01-01T00:00:04.999999Z"));
        assert!(!newer("2024-01-01T00:00:04.5Z", "2024-01-01T00:00:05Z"));
        assert!(!newer("2024-01-01T01:00:00+01:00", "2024-01-01T00:00:00Z"));
        assert!(newer("b", "a"));
    }

    #[test]
    fn placeholders_per_backend() {
        assert_eq!(rows(Backend::Sqlite, 2, 2), "(?,?),(?,?)");
        assert_eq!(rows(Backend::Postgres, 2, 3), "($1,$2,$3),($4,$5,$6)");
        assert_eq!(params(Backend::Postgres, 1, 3), "$1,$2,$3");
    }
}
