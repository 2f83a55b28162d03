//! Persistence of spend data: imports (all or nothing, de-duplicated by a
//! stable key), seat exports, catalog extensions, the vendor register.

use chrono::NaiveDate;
use fcto_spend::import::{Format, Transaction};
use fcto_spend::register::VendorRecord;
use fcto_spend::seats::SeatList;
use serde::Serialize;
use sqlx::Row;

use crate::error::{StoreError, StoreResult};
use crate::Store;

/// One parsed file, ready to store.
pub struct ParsedFile {
    pub file_name: String,
    pub sha256: String,
    pub format: Format,
    pub transactions: Vec<Transaction>,
    pub keys: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileImported {
    pub file: String,
    pub format: Format,
    pub transactions: usize,
    pub new: usize,
    pub already_stored: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportSummary {
    pub client: String,
    pub files: Vec<FileImported>,
    pub new: usize,
    pub already_stored: usize,
}

/// Rows per INSERT (11 parameters each). With `$N` placeholders SQLite
/// slowed sharply as statements grew (200k rows: 16 rows a statement 2.7 s,
/// 400 rows 18.8 s); with `?` any size from 100 to 1,000 takes about 1.6 s.
const BATCH: usize = 100;

/// A client's transactions by column position (a million rows make name
/// lookups show), for the sqlx and the native SQLite load alike; the id
/// orders same-day rows.
pub(crate) const LOAD_TRANSACTIONS: &str = "SELECT tx_date, amount, currency, description, counterparty, original_amount, original_currency, account, id
     FROM spend_transactions WHERE client_id = $1";

impl Store {
    /// Store every file's transactions in one database transaction: either
    /// all of them are stored (duplicates skipped) or none.
    pub async fn import_transactions(
        &self,
        client: &str,
        files: &[ParsedFile],
    ) -> StoreResult<ImportSummary> {
        let c = self.client(client).await?;
        let mut summary = ImportSummary {
            client: c.slug.clone(),
            files: Vec::new(),
            new: 0,
            already_stored: 0,
        };
        if let Some(path) = &self.sqlite_file {
            summary.files = crate::bulk::import(path, c.id, files, &crate::now_text())?;
            summary.new = summary.files.iter().map(|f| f.new).sum();
            summary.already_stored = summary.files.iter().map(|f| f.already_stored).sum();
            return Ok(summary);
        }
        let mut tx = self.pool.begin().await?;
        for f in files {
            // Checked inside the transaction: returning drops `tx`, which
            // rolls back whatever earlier files wrote.
            if f.keys.len() != f.transactions.len() {
                return Err(StoreError::Corrupt(format!(
                    "{}: {} keys for {} transactions",
                    f.file_name,
                    f.keys.len(),
                    f.transactions.len()
                )));
            }
            let row = sqlx::query(
                "INSERT INTO spend_imports (client_id, file_name, format, sha256, transactions, new_transactions, imported_at)
                 VALUES ($1, $2, $3, $4, $5, 0, $6) RETURNING id",
            )
            .bind(c.id)
            .bind(&f.file_name)
            .bind(f.format.as_str())
            .bind(&f.sha256)
            .bind(f.transactions.len() as i64)
            .bind(crate::now_text())
            .fetch_one(&mut *tx)
            .await?;
            let import_id: i64 = row.try_get("id")?;
            let mut new = 0usize;
            for (chunk, keys) in f.transactions.chunks(BATCH).zip(f.keys.chunks(BATCH)) {
                let mut sql = String::from(
                    "INSERT INTO spend_transactions (client_id, tx_key, import_id, tx_date, amount, currency, description,
                     counterparty, original_amount, original_currency, account) VALUES ",
                );
                for i in 0..chunk.len() {
                    let b = i * 11;
                    if i > 0 {
                        sql.push(',');
                    }
                    if self.backend == crate::Backend::Sqlite {
                        // Positional `?`: SQLite resolves `$N` names one by
                        // one, which made big statements slow.
                        sql.push_str("(?,?,?,?,?,?,?,?,?,?,?)");
                    } else {
                        let n: Vec<String> = (1..=11).map(|k| format!("${}", b + k)).collect();
                        sql.push_str(&format!("({})", n.join(",")));
                    }
                }
                sql.push_str(" ON CONFLICT (client_id, tx_key) DO NOTHING");
                let mut q = sqlx::query(&sql);
                for (t, k) in chunk.iter().zip(keys) {
                    q = q
                        .bind(c.id)
                        .bind(k.as_str())
                        .bind(import_id)
                        .bind(t.date.to_string())
                        .bind(t.amount)
                        .bind(t.currency.as_str())
                        .bind(t.description.as_str())
                        .bind(t.counterparty.as_deref())
                        .bind(t.original_amount)
                        .bind(t.original_currency.as_deref())
                        .bind(t.account.as_deref());
                }
                new += q.execute(&mut *tx).await?.rows_affected() as usize;
            }
            sqlx::query("UPDATE spend_imports SET new_transactions = $1 WHERE id = $2")
                .bind(new as i64)
                .bind(import_id)
                .execute(&mut *tx)
                .await?;
            summary.new += new;
            summary.already_stored += f.transactions.len() - new;
            summary.files.push(FileImported {
                file: f.file_name.clone(),
                format: f.format,
                transactions: f.transactions.len(),
                new,
                already_stored: f.transactions.len() - new,
            });
        }
        tx.commit().await?;
        Ok(summary)
    }

    /// A client's transactions, oldest first.
    pub async fn spend_transactions(&self, client: &str) -> StoreResult<Vec<Transaction>> {
        let c = self.client(client).await?;
        if let Some(path) = &self.sqlite_file {
            return crate::bulk::load(path, c.id);
        }
        let rows = sqlx::query(LOAD_TRANSACTIONS)
            .bind(c.id)
            .fetch_all(&self.pool)
            .await?;
        let ids = rows
            .iter()
            .map(|r| r.try_get::<i64, _>(8))
            .collect::<Result<Vec<_>, _>>()?;
        let txs = rows
            .iter()
            .map(|r| {
                Ok(Transaction {
                    date: date_at(r, 0)?,
                    amount: r.try_get(1)?,
                    currency: r.try_get(2)?,
                    description: r.try_get(3)?,
                    counterparty: r.try_get(4)?,
                    original_amount: r.try_get(5)?,
                    original_currency: r.try_get(6)?,
                    bank_id: None,
                    account: r.try_get(7)?,
                    category: None,
                    line: 0,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(in_date_order(txs, &ids))
    }

    /// Replace a vendor's seat list.
    pub async fn save_seat_list(
        &self,
        client: &str,
        vendor_id: &str,
        file_name: &str,
        list: &SeatList,
    ) -> StoreResult<()> {
        let c = self.client(client).await?;
        let json = serde_json::to_string(list).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM spend_seat_lists WHERE client_id = $1 AND vendor_id = $2")
            .bind(c.id)
            .bind(vendor_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO spend_seat_lists (client_id, vendor_id, file_name, seats, imported_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(c.id)
            .bind(vendor_id)
            .bind(file_name)
            .bind(json)
            .bind(crate::now_text())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn seat_lists(&self, client: &str) -> StoreResult<Vec<(String, SeatList)>> {
        let c = self.client(client).await?;
        let rows = sqlx::query(
            "SELECT vendor_id, seats FROM spend_seat_lists WHERE client_id = $1 ORDER BY vendor_id",
        )
        .bind(c.id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let v: String = r.try_get("vendor_id")?;
                let s: String = r.try_get("seats")?;
                let list = seat_list_from_json(&s)?;
                Ok((v, list))
            })
            .collect()
    }

    pub async fn set_catalog_extension(
        &self,
        client: &str,
        source_name: &str,
        body: &str,
    ) -> StoreResult<()> {
        let c = self.client(client).await?;
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM spend_catalog_extensions WHERE client_id = $1")
            .bind(c.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO spend_catalog_extensions (client_id, source_name, body, updated_at) VALUES ($1, $2, $3, $4)")
            .bind(c.id)
            .bind(source_name)
            .bind(body)
            .bind(crate::now_text())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn catalog_extension(&self, client: &str) -> StoreResult<Option<(String, String)>> {
        let c = self.client(client).await?;
        let row = sqlx::query(
            "SELECT source_name, body FROM spend_catalog_extensions WHERE client_id = $1",
        )
        .bind(c.id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok((r.try_get("source_name")?, r.try_get("body")?)))
            .transpose()
    }

    /// Insert or replace a vendor record (`create`: refuse an existing one).
    pub async fn put_vendor(
        &self,
        client: &str,
        rec: &VendorRecord,
        create: bool,
    ) -> StoreResult<VendorRecord> {
        rec.validate()
            .map_err(|(field, reason)| fcto_engage::EngageError::invalid(field, reason))?;
        let c = self.client(client).await?;
        let json = serde_json::to_string(rec).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let exists = self.vendor(client, &rec.vendor_id).await.is_ok();
        if exists && create {
            return Err(StoreError::Duplicate(format!(
                "vendor {:?} of client {client:?}",
                rec.vendor_id
            )));
        }
        let renewal = rec.renewal_date.map(|d| d.to_string());
        if exists {
            sqlx::query("UPDATE vendor_register SET record = $1, renewal_date = $2, owner = $3, updated_at = $4 WHERE client_id = $5 AND vendor_id = $6")
                .bind(json)
                .bind(renewal)
                .bind(rec.owner.as_deref())
                .bind(crate::now_text())
                .bind(c.id)
                .bind(&rec.vendor_id)
                .execute(&self.pool)
                .await?;
        } else {
            sqlx::query("INSERT INTO vendor_register (client_id, vendor_id, record, renewal_date, owner, updated_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(c.id)
                .bind(&rec.vendor_id)
                .bind(json)
                .bind(renewal)
                .bind(rec.owner.as_deref())
                .bind(crate::now_text())
                .execute(&self.pool)
                .await
                .map_err(|e| if crate::error::is_unique_violation(&e) { StoreError::Duplicate(format!("vendor {:?}", rec.vendor_id)) } else { e.into() })?;
        }
        self.vendor(client, &rec.vendor_id).await
    }

    pub async fn vendor(&self, client: &str, vendor_id: &str) -> StoreResult<VendorRecord> {
        let c = self.client(client).await?;
        let row = sqlx::query(
            "SELECT record FROM vendor_register WHERE client_id = $1 AND vendor_id = $2",
        )
        .bind(c.id)
        .bind(vendor_id)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(r) => record_from_json(&r.try_get::<String, _>("record")?),
            None => Err(StoreError::NotFound(format!(
                "vendor {vendor_id:?} of client {client:?} (see `fcto vendor list {client}`)"
            ))),
        }
    }

    /// Vendor records with their client's slug; one client or all.
    pub async fn vendors(&self, client: Option<&str>) -> StoreResult<Vec<(String, VendorRecord)>> {
        if let Some(c) = client {
            self.client(c).await?;
        }
        let rows = sqlx::query(
            "SELECT c.slug, v.record FROM vendor_register v JOIN clients c ON c.id = v.client_id
             WHERE ($1 IS NULL OR c.slug = $1) AND c.archived = 0 ORDER BY c.slug, v.vendor_id",
        )
        .bind(client)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("slug")?,
                    record_from_json(&r.try_get::<String, _>("record")?)?,
                ))
            })
            .collect()
    }
}

fn record_from_json(s: &str) -> StoreResult<VendorRecord> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(format!("vendor record: {e}")))
}

fn seat_list_from_json(s: &str) -> StoreResult<SeatList> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(format!("seat list: {e}")))
}

/// Sort by date, ties by row id (the order stored). No index serves this:
/// rows come in any order and a stable in-memory sort of a million nearly
/// sorted rows costs tens of milliseconds.
pub(crate) fn in_date_order(txs: Vec<Transaction>, ids: &[i64]) -> Vec<Transaction> {
    let mut keyed: Vec<(NaiveDate, i64, Transaction)> = txs
        .into_iter()
        .zip(ids)
        .map(|(t, id)| (t.date, *id, t))
        .collect();
    keyed.sort_unstable_by_key(|(date, id, _)| (*date, *id));
    keyed.into_iter().map(|(_, _, t)| t).collect()
}

fn date_at(r: &sqlx::any::AnyRow, i: usize) -> StoreResult<NaiveDate> {
    let s: String = r.try_get(i)?;
    NaiveDate::parse_from_str(&s, "%Y-%m-%d")
        .map_err(|_| StoreError::Corrupt(format!("transaction date {s:?}")))
}
